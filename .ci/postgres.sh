#!/usr/bin/env bash
# Start a local PostgreSQL for the test suite (Debian package; installed when missing) and print the
# URL the tests use as RASD_TEST_PG. Needs root, as CI and the developers' machines have.
set -euo pipefail
# Everything but the URL goes to stderr: the caller captures stdout (pg_ctlcluster, for one, prints
# "Removed stale pid file." there after an unclean shutdown).
exec 3>&1 1>&2
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
  pg_createcluster "$ver" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$ver" main start 3>&-  # the server must not hold the caller's pipe open
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='rasd'\"" | grep -q 1 \
  || su postgres -c "psql -p $port -qc \"CREATE ROLE rasd LOGIN SUPERUSER PASSWORD 'rasd'\""
su postgres -c "psql -p $port -qtAc \"SELECT 1 FROM pg_database WHERE datname='rasd_test'\"" | grep -q 1 \
  || su postgres -c "createdb -p $port -O rasd rasd_test"
echo "postgresql://rasd:rasd@127.0.0.1:$port/rasd_test" >&3
