#!/bin/sh
# Reproduce src/rasd/serve/dashboard/static/world-110m.json, the map's world outline: Natural Earth's
# 1:110m Admin 0 countries (public domain) as TopoJSON, from the npm package world-atlas (ISC licence),
# fetched with npm's own client from the registry, checked against the pinned checksum, and copied.
set -eu
VERSION=2.0.2
SHA256=2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8
HERE=$(cd "$(dirname "$0")/.." && pwd)
OUT="$HERE/src/rasd/serve/dashboard/static/world-110m.json"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --silent "world-atlas@$VERSION" >/dev/null
tar xzf "world-atlas-$VERSION.tgz" package/countries-110m.json package/LICENSE
echo "$SHA256  package/countries-110m.json" | sha256sum -c --quiet -
cp package/countries-110m.json "$OUT"
echo "wrote $OUT from world-atlas@$VERSION"
