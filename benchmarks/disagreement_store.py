"""Build the store the disagreement figures are measured on: the seeds, the devset (dated from their
meta.json) and the first N records of the ANT corpus (dated from their ``date`` field).

    .venv/bin/python benchmarks/disagreement_store.py --db /tmp/rasd-crossdoc.db --ant 2000

Reads the JSON Lines itself (no dependency on `rasd ingest`'s own JSONL input). Resumable: documents
already in the store are skipped before annotation.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import json
import sys
from pathlib import Path

from rasd.errors import InputError
from rasd.pipeline import annotate_stream, clean
from rasd.sources.files import RawArticle, read_input
from rasd.store import open_store
from rasd.store.analysis import stats
from rasd.store.ingest import ingest, only_new

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _iso(rfc: str | None) -> str | None:
    if not rfc:
        return None
    try:
        return email.utils.parsedate_to_datetime(rfc).date().isoformat()
    except (TypeError, ValueError):
        return rfc[:10] if rfc[:4].isdigit() else None


def seeds(folder: Path):
    for f in sorted(folder.glob("*.txt")):
        yield clean(read_input(str(f)))


def devset(folder: Path):
    for f in sorted(folder.glob("[0-9]*.txt")):
        doc = clean(read_input(str(f)))
        meta = f.with_suffix(".meta.json")
        if meta.exists():
            m = json.loads(meta.read_text(encoding="utf-8"))
            doc = doc.replace(published=doc.published or _iso(m.get("published_raw")), outlet=doc.outlet or m.get("outlet"),
                              source_url=doc.source_url or m.get("url"))
        yield doc


def ant(path: Path, limit: int):
    n = 0
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if n >= limit:
                return
            rec = json.loads(line)
            body = (rec.get("text") or "").strip()
            if not body:
                continue
            text = (rec.get("title") or "").strip() + "\n\n" + body
            try:
                doc = clean(RawArticle(rec["id"], text, False, "utf-8"))
            except InputError:
                continue
            n += 1
            yield doc.replace(published=_iso(rec.get("date")), outlet=rec.get("outlet"), source_url=rec.get("url"),
                              title=rec.get("title") or doc.title)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--ant", type=int, default=2000, help="how many ANT records (first N with text)")
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args(argv)
    store = open_store(args.db)

    def stream():
        yield from seeds(args.shared / "seeds")
        yield from devset(args.shared / "devset")
        yield from ant(args.shared / "data/ant/ant_v2_1_multisource.jsonl.gz", args.ant)

    ingest(store, annotate_stream(only_new(store, stream())), batch_size=100)
    print(json.dumps(stats(store)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
