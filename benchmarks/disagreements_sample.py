"""Draw disagreements at random (fixed seed) from a store, for judging against their sentences.

    .venv/bin/python benchmarks/disagreements_sample.py --db /tmp/rasd-crossdoc.db --n 30 \
        --judged benchmarks/disagreements_judged.tsv --out benchmarks/disagreements_sample.md

The draw depends only on the store's content (disagreements come in a canonical order). Verdicts are
read from --judged (TSV: number, right|wrong, reason) and written beside each drawn pair.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from rasd.store import open_store
from rasd.store.analysis import disagreements, stats


def draw(db: str, n: int, seed: int) -> tuple[dict, list[dict]]:
    store = open_store(db)
    rows = sorted(disagreements(store), key=lambda d: json.dumps(d, ensure_ascii=False, sort_keys=True, default=str))
    picked = random.Random(seed).sample(rows, min(n, len(rows)))
    st = stats(store)
    return {"claims": st["claims"], "documents": st["documents"], "disagreements": len(rows),
            "figures": sum(d["kind"] == "figures" for d in rows), "denials": sum(d["kind"] == "denial" for d in rows)}, picked


def _side(s: dict) -> str:
    src = (s.get("source") or {}).get("text") or "no source in text"
    doc = s["source_document"]
    return f"  - [{doc['source']['path']}, {doc['published'] or 'undated'}] ({src}) {s['sentence']}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--judged", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    totals, picked = draw(args.db, args.n, args.seed)
    verdicts = {}
    if args.judged and args.judged.exists():
        for line in args.judged.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                num, verdict, reason = line.split("\t", 2)
                verdicts[int(num)] = (verdict, reason)
    right = sum(v[0] == "right" for v in verdicts.values())
    lines = [f"# {len(picked)} disagreements drawn at random (seed {args.seed})", "",
             f"Store: {totals['documents']:,} documents, {totals['claims']:,} claims, {totals['disagreements']:,} disagreements "
             f"({totals['figures']} figures, {totals['denials']} denials): one per "
             f"{totals['claims'] / max(1, totals['disagreements']):.1f} claims.", ""]
    if verdicts:
        lines += [f"Judged right: **{right} / {len(picked)}**.", ""]
    for i, d in enumerate(picked, 1):
        head = (f"{d['subject']} / {d['unit']} / {d.get('count')}" if d["kind"] == "figures" else f"denial of {d['type']}")
        lines += [f"## {i}. {d['kind']}: {head}", "", f"Why (Rasd): {d['why']['text']}", ""]
        lines += [_side(s) for s in d["sides"]] + [""]
        if i in verdicts:
            lines += [f"**{verdicts[i][0]}** — {verdicts[i][1]}", ""]
    text = "\n".join(lines)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(json.dumps({**totals, "drawn": len(picked), "judged_right": right if verdicts else None}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
