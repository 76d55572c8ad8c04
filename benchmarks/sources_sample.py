#!/usr/bin/env python3
"""Draw claim and event sources at random, to judge whether each is a speaker (issue 14 item 3).

usage: python benchmarks/sources_sample.py [--ant N] [--sample K] [--seed S] [--shared ../shared] > sample.md

The pool: every claim and event with a source in the seeds, the devset and N ANT articles drawn with
the seed from ../shared/data/ant/ant_v2_1_multisource.jsonl.gz (headline, blank line, body; published
from the record's date), all through rasd.pipeline.extract_text — no store is needed for sources.
K of them are drawn with the same seed and printed as a Markdown table (source words, the entity it
resolves to, the sentence) with an empty verdict column for the judge. Reproducible: the same
arguments give the same sample.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import json
import random
import sys
from pathlib import Path

from rasd.pipeline import extract_text


def _published(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return value[:10] if value[:4].isdigit() else None


def articles(shared: Path, n_ant: int, seed: int):
    """(name, text, published) for the seeds, the devset and n_ant ANT records."""
    for folder in ("seeds", "devset"):
        for p in sorted((shared / folder).glob("*.txt")):
            yield f"{folder}/{p.name}", p.read_text(encoding="utf-8"), None
    ant = shared / "data" / "ant" / "ant_v2_1_multisource.jsonl.gz"
    with gzip.open(ant, "rt", encoding="utf-8") as fh:
        records = [line for line in fh if line.strip()]
    for line in random.Random(seed).sample(records, min(n_ant, len(records))):
        r = json.loads(line)
        yield f"ant/{r['id']}", f"{r.get('title') or ''}\n\n{r.get('text') or ''}", _published(r.get("date"))


def pool(shared: Path, n_ant: int, seed: int) -> list[dict]:
    out = []
    for name, text, published in articles(shared, n_ant, seed):
        doc = extract_text(text, published=published, path=name)
        names = {e.id: e.name for e in doc.entities}
        for kind, items in (("claim", doc.claims), ("event", doc.events)):
            for x in items:
                if x.source is None:
                    continue
                out.append({
                    "doc": name, "kind": kind, "source": x.source.text,
                    "entity": names.get(x.source.entity) if x.source.entity else None,
                    "what": f"{x.unit} {x.value if x.value is not None else (x.low, x.high)}" if kind == "claim" else x.type,
                    "sentence": " ".join(x.sentence.split()),
                })
    return out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ant", type=int, default=2000)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    args = ap.parse_args(argv)
    items = pool(args.shared, args.ant, args.seed)
    drawn = random.Random(args.seed).sample(items, min(args.sample, len(items)))
    claims = sum(x["kind"] == "claim" for x in items)
    print(f"Pool: {len(items)} sources ({claims} of claims, {len(items) - claims} of events); {len(drawn)} drawn "
          f"(`python benchmarks/sources_sample.py --ant {args.ant} --sample {args.sample} --seed {args.seed}`).\n")
    print("| # | document | kind | source | entity | sentence | speaker? |")
    print("|---|---|---|---|---|---|---|")
    for i, x in enumerate(drawn, 1):
        sentence = x["sentence"] if len(x["sentence"]) <= 220 else x["sentence"][:220] + " …"
        cells = [str(i), x["doc"], f"{x['kind']} ({x['what']})", x["source"], x["entity"] or "", sentence, ""]
        print("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
