#!/usr/bin/env python3
"""Score one half of the devset: the gold and the output filtered by the parity of the article id.

usage: devset_split.py GOLD.json OUTPUT.jsonl odd|even [score.py options, e.g. --field claims]

Odd ids are the half to tune on, even ids the half to report. The filtered files go to a temporary
directory and ../shared/devset/score.py (next to GOLD.json) scores them, so the figures are the
independent scorer's own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path


def article_id(name: str) -> int | None:
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
    return int(stem) if stem.isdigit() else None


def keep(name: str, parity: str) -> bool:
    n = article_id(name)
    return n is not None and (n % 2 == 1) == (parity == "odd")


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[3] not in ("odd", "even"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    gold_path, out_path, parity, rest = Path(argv[1]), Path(argv[2]), argv[3], argv[4:]
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    gold["documents"] = {k: v for k, v in gold["documents"].items() if keep(k, parity)}
    lines = []
    for line in out_path.read_text(encoding="utf-8").splitlines():
        if line.strip() and keep(((json.loads(line).get("source") or {}).get("path") or ""), parity):
            lines.append(line)
    with tempfile.TemporaryDirectory() as tmp:
        g, o = Path(tmp) / "gold.json", Path(tmp) / "out.jsonl"
        g.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
        o.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return subprocess.call([sys.executable, str(gold_path.parent / "score.py"), str(g), str(o), *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
