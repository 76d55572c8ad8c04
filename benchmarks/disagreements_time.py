"""Time the disagreements of a store and write them as canonical JSON Lines (to diff two versions).

    .venv/bin/python benchmarks/disagreements_time.py /tmp/rasd-crossdoc.db /tmp/disagreements.jsonl

Prints the count and the seconds taken on stderr. Run ../shared/bench/ceiling.py in the same run and
quote both: the machine is shared.
"""

from __future__ import annotations

import json
import sys
import time

from rasd.store import open_store
from rasd.store.analysis import disagreements


def main(argv: list[str] | None = None) -> int:
    db, out = (argv if argv is not None else sys.argv[1:])[:2]
    t = time.perf_counter()
    found = disagreements(open_store(db))
    took = time.perf_counter() - t
    with open(out, "w", encoding="utf-8") as fh:
        for d in found:
            fh.write(json.dumps(d, ensure_ascii=False, sort_keys=True, default=str) + "\n")
    print(f"{len(found)} disagreements in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
