"""Entity links on fresh ANT news, to judge what a linking change adds and removes (issue 13).

  python scripts/ant_entity_sample.py make DIR [--n 300] [--seed 913]
      writes N random political ANT articles (middleEast, internationalNews; not the devset's) as
      DIR/NNN.txt: headline, a dateline Rasd reads, a blank line, the body.
  rasd extract DIR --jsonl --no-progress > A.jsonl   (before; again after the change: B.jsonl)
  python scripts/ant_entity_sample.py diff A.jsonl B.jsonl [--k 40] [--seed 1]
      links (entity name, mention end) in one run and not the other, and a random K of each with
      their context, to judge by hand (NEW = a name the KB does not know).
"""
import argparse
import email.utils
import gzip
import json
import random
from pathlib import Path

ANT = Path("../shared/data/ant/ant_v2_1_multisource.jsonl.gz")
DEVSET = Path("../shared/devset")


def make(out: Path, n: int, seed: int) -> None:
    dev = {json.loads(p.read_text(encoding="utf-8"))["corpus_record_id"] for p in DEVSET.glob("*.meta.json")}
    rows = [r for r in map(json.loads, gzip.open(ANT, "rt", encoding="utf-8"))
            if r["category"] in ("middleEast", "internationalNews") and r["id"] not in dev and 800 < len(r["text"]) < 4000]
    out.mkdir(parents=True, exist_ok=True)
    for i, r in enumerate(random.Random(seed).sample(rows, n)):
        date = email.utils.parsedate_to_datetime(r["date"]).strftime("نشرت في : %d/%m/%Y - %H:%M")
        (out / f"{i:03d}.txt").write_text(f"{r['title']}\n{date}\n\n{r['text']}\n", encoding="utf-8")
    print(f"{n} of {len(rows)} articles in {out}")


def _links(path: Path) -> dict[str, tuple[str, set]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        name = d["source"]["path"].rsplit("/", 1)[-1]
        out[name] = (d["text"], {(m["start"], m["end"], "NEW" if e["id"].startswith("new:") else e["name"])
                                 for e in d["entities"] for m in e["mentions"]})
    return out


def diff(a: Path, b: Path, k: int, seed: int) -> None:
    before, after = _links(a), _links(b)
    added, removed = [], []
    for name, (text_a, links_a) in before.items():
        text_b, links_b = after.get(name, (text_a, set()))
        keys_a, keys_b = {(e, n) for _s, e, n in links_a}, {(e, n) for _s, e, n in links_b}
        added += [(name, x, text_b) for x in links_b if x[1:] not in keys_a]
        removed += [(name, x, text_a) for x in links_a if x[1:] not in keys_b]
    print(f"added {len(added)} removed {len(removed)}")
    rng = random.Random(seed)
    for tag, items in (("ADD", added), ("DEL", removed)):
        for name, (s, e, entity), text in sorted(rng.sample(items, min(k, len(items)))):
            print(tag, name, entity, "|", text[max(0, s - 50):s].replace("\n", " "), "[[", text[s:e], "]]",
                  text[e:e + 30].replace("\n", " "))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir", type=Path)
    m.add_argument("--n", type=int, default=300)
    m.add_argument("--seed", type=int, default=913)
    d = sub.add_parser("diff")
    d.add_argument("a", type=Path)
    d.add_argument("b", type=Path)
    d.add_argument("--k", type=int, default=40)
    d.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if args.cmd == "make":
        make(args.dir, args.n, args.seed)
    else:
        diff(args.a, args.b, args.k, args.seed)


if __name__ == "__main__":
    main()
