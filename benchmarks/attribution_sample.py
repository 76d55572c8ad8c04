#!/usr/bin/env python3
"""Attribution on ANT claims judged by hand: draw a sample once, then score any build against it.

usage:
  python benchmarks/attribution_sample.py draw [--ant N] [--sample K] [--seed S] > draw.md
  python benchmarks/attribution_sample.py score benchmarks/attribution_sample.tsv [--show]

The pool (``draw``): every claim Rasd extracts from N ANT news records (categories middleEast,
internationalNews, economy; the devset's own records left out) whose sentence or the sentence before
it holds a speech or report cue (a speech, relay, estimate or passive verb, an "according to" phrase,
a document noun such as بيان or تقرير, resources/speech_verbs.tsv and speakers.tsv): the claims whose
source is a question. K are drawn with the seed and printed with the sentence before them, for a judge
to write the source they read (or none).

The judged file (``score``): one line per drawn claim, tab-separated: n, record id, value, unit, the
first words of the sentence, the judged source (the Arabic words that must appear in Rasd's source
words, alternatives separated by "/", "-" when the article states the figure itself, or "x" when the
drawn claim is none: a misread figure, a vote count, a multiple — right when the build finds no such
claim) and a note.
A claim of the build is the drawn one when it has the same record, value and sentence start; it is
right when both sources are none, or Rasd's source words hold one of the judged alternatives with at most
two words more (compared after rasd.arabic.normalise.key, quotes ignored): a clause after the speaker
("المرصد السوري من هجوم وشيك") is wrong. The draw depends on the build only through which claims exist, so a
later build is scored on the same claims (a claim the build no longer finds is counted as missing).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from pathlib import Path

from rasd.arabic.normalise import key
from rasd.extract.attribution import lexicon
from rasd.pipeline import extract_text

CATEGORIES = ("middleEast", "internationalNews", "economy")
PREFIX_CHARS = 40
_SENT_END = re.compile(r"(?<=[.!؟?])\s+|\n+")


def _published(value: str | None) -> str | None:
    import email.utils

    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError):
        return None


def _devset_ids(shared: Path) -> set[str]:
    ids = set()
    for p in (shared / "devset").glob("*.meta.json"):
        ids.add(json.loads(p.read_text(encoding="utf-8")).get("corpus_record_id"))
    return ids


def records(shared: Path, n_ant: int, seed: int) -> list[dict]:
    skip = _devset_ids(shared)
    with gzip.open(shared / "data" / "ant" / "ant_v2_1_multisource.jsonl.gz", "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    rows = [r for r in rows if r.get("category") in CATEGORIES and r["id"] not in skip]
    return random.Random(seed).sample(rows, min(n_ant, len(rows)))


def _cue_re() -> re.Pattern[str]:
    lex = lexicon()
    words = {*lex.verbs, *lex.relay, *lex.estimate, *lex.passive, *lex.accuse, *lex.deny, *lex.documents}
    alt = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(rf"(?:^|\s)[وف]?(?:ال|ل|ب)?(?:{alt})(?=\s|$|[،,:.])|{lex.according_re.pattern}")


def _sentences(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for m in _SENT_END.finditer(text + "\n"):
        s = text[pos:m.start()]
        if s.strip():
            out.append((pos, s.strip()))
        pos = m.end()
    return out


def _doc(r: dict):
    return extract_text(f"{r.get('title') or ''}\n\n{r.get('text') or ''}", published=_published(r.get("date")), path=r["id"])


def pool(recs: list[dict]) -> list[dict]:
    cue = _cue_re()
    out = []
    for r in recs:
        doc = _doc(r)
        sents = _sentences(doc.text)
        for c in doc.claims:
            i = max((j for j, (p, _) in enumerate(sents) if p <= c.start), default=0)
            prev = sents[i - 1][1] if i > 0 else ""
            sent = " ".join(c.sentence.split())
            if not (cue.search(key(sent)) or cue.search(key(prev))):
                continue
            out.append({"doc": r["id"], "value": c.value if c.value is not None else c.low, "unit": c.unit,
                        "prefix": " ".join(sent.split()[:6]), "sentence": sent, "previous": " ".join(prev.split()),
                        "source": c.source.text if c.source else "-", "title": r.get("title") or ""})
    return out


def draw(args) -> int:
    items = pool(records(args.shared, args.ant, args.seed))
    drawn = random.Random(args.seed).sample(items, min(args.sample, len(items)))
    print(f"Pool: {len(items)} claims with a cue in their sentence or the one before; {len(drawn)} drawn "
          f"(`python benchmarks/attribution_sample.py draw --ant {args.ant} --sample {args.sample} --seed {args.seed}`).\n")
    for i, x in enumerate(drawn, 1):
        print(f"## {i}\t{x['doc']}\t{x['value']}\t{x['unit']}\t{x['prefix']}\t{x['source']}")
        print(f"title: {x['title']}")
        print(f"before: {x['previous'][-300:]}")
        print(f"sentence: {x['sentence']}\n")
    return 0


def _judged(path: Path) -> list[dict]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        n, doc, value, unit, prefix, judged, *note = line.split("\t")
        rows.append({"n": n, "doc": doc, "value": float(value), "unit": unit, "prefix": prefix, "judged": judged,
                     "note": note[0] if note else ""})
    return rows


EXTRA_WORDS = 2  # words Rasd's source may hold beyond a judged alternative ("على تويتر", "بالسودان")


def right(judged: str, source: str | None) -> bool:
    """Both none, or Rasd's words hold a judged alternative and not much more (a clause after the speaker is wrong)."""
    if judged == "-":
        return source is None
    if source is None:
        return False
    got = key(source.replace('"', " ")).split()
    for alt in judged.split("/"):
        want = key(alt.replace('"', " ")).split()
        if " ".join(want) in " ".join(got) and len(got) - len(want) <= EXTRA_WORDS:
            return True
    return False


def score(args) -> int:
    rows = _judged(args.judged)
    wanted = {r["doc"] for r in rows}
    with gzip.open(args.shared / "data" / "ant" / "ant_v2_1_multisource.jsonl.gz", "rt", encoding="utf-8") as fh:
        by_id = {r["id"]: r for r in map(json.loads, fh) if r["id"] in wanted}
    docs: dict[str, object] = {}
    ok = missing = 0
    for row in rows:
        if row["doc"] not in docs:
            docs[row["doc"]] = _doc(by_id[row["doc"]])
        claim = next((c for c in docs[row["doc"]].claims
                      if (c.value if c.value is not None else c.low) == row["value"]
                      and " ".join(" ".join(c.sentence.split()).split()[:6]) == row["prefix"]), None)
        if row["judged"] == "x":  # no claim there (a misread figure, a vote, a multiple): right when none is found
            good = claim is None
            ok += good
            verdict, got = ("right" if good else "wrong"), (claim.source.text if claim and claim.source else "-")
        elif claim is None:
            missing += 1
            verdict, got = "missing", ""
        else:
            got = claim.source.text if claim.source else None
            good = right(row["judged"], got)
            ok += good
            verdict = "right" if good else "wrong"
        if args.show:
            print(f"{row['n']}\t{verdict}\tjudged: {row['judged']}\tgot: {got if got is not None else '-'}")
    print(f"attribution right: {ok} of {len(rows)} judged claims ({missing} not found by this build)")
    return 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("draw", "score"):
        p = sub.add_parser(name)
        p.add_argument("--ant", type=int, default=400)
        p.add_argument("--seed", type=int, default=1204)
        p.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
        if name == "draw":
            p.add_argument("--sample", type=int, default=40)
        else:
            p.add_argument("judged", type=Path)
            p.add_argument("--show", action="store_true")
    args = ap.parse_args(argv)
    return draw(args) if args.cmd == "draw" else score(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
