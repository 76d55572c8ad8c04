"""`rasd extract` and `rasd bench`: the text path over files, folders and standard input."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from rasd.cli.common import fail, note_skipped, positive_int, with_progress
from rasd.errors import InputError
from rasd.sources.files import DEFAULT_MAX_BYTES, iter_paths, read_inputs

if TYPE_CHECKING:
    from rasd.model import Document

# Documents cleaned before they are annotated together (the NER model tags a chunk's sentences at once).
EXTRACT_CHUNK = 32


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jsonl", "fmt", flag_value="jsonl", default=True, help="One JSON document per line (default).")
@click.option("--json", "fmt", flag_value="json", help="One JSON list of documents.")
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for inputs that do not state one.")
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True, callback=positive_int,
              help="Refuse larger inputs.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--ner", type=click.Choice(["off", "fast", "full"]), default=None,
              help="Also find names with the trained NER model: fast = one network, full = the ensemble "
                   "(slower than the rest of the text path; default off, or RASD_NER).")
def extract(inputs: tuple[str, ...], fmt: str, published: str | None, max_bytes: int, no_progress: bool,
            ner: str | None) -> None:
    """Extract documents from article files, folders (recursively) or '-' for standard input.

    Prints rasd.extract/1 JSON on standard output; one line on standard error for each input that
    could not be read, and exit code 1 if there was any.
    """
    from rasd.entities.stage import use_ner
    from rasd.extract.dates import to_date
    from rasd.pipeline import annotate, clean, pretagged

    if ner:
        use_ner(ner)
    if published and to_date(published) is None:
        fail(f"--published: not a date: {published!r} (use YYYY-MM-DD)", 2)
    paths = list(iter_paths(list(inputs), on_skip=note_skipped))
    failures = 0
    out = sys.stdout
    if fmt == "json":
        out.write("[")

    def report(where: str, exc: Exception) -> None:
        nonlocal failures
        failures += 1
        if isinstance(exc, InputError):
            click.echo(f"rasd: {exc}", err=True)
        else:  # a bug must not lose the other inputs; report it in one line
            click.echo(f"rasd: {where}: internal error: {type(exc).__name__}: {exc}", err=True)

    def cleaned() -> Iterator[tuple[str, Document]]:
        for path in with_progress(paths, no_progress):
            for raw in read_inputs(path, max_bytes):
                where = getattr(raw, "where", path)
                try:
                    if isinstance(raw, InputError):
                        raise raw
                    doc = clean(raw)
                except Exception as exc:
                    report(where, exc)
                    continue
                yield where, (doc.replace(published=published) if published and not doc.published else doc)

    first = True
    for where, doc in pretagged(cleaned(), EXTRACT_CHUNK, doc_of=lambda item: item[1]):
        try:
            doc = annotate(doc)
        except Exception as exc:
            report(where, exc)
            continue
        for note in doc.notes:
            click.echo(f"rasd: {where}: {note}", err=True)
        payload = json.dumps(doc.to_json(), ensure_ascii=False)
        out.write((("" if first else ",") + "\n" + payload) if fmt == "json" else payload + "\n")
        first = False
    if fmt == "json":
        out.write("\n]\n")
    out.flush()
    if failures:
        sys.exit(1)


@click.command()
@click.argument("corpus", type=click.Path(exists=True))
@click.option("--limit", type=int, default=2000, show_default=True, callback=positive_int, help="Documents to time.")
def bench(corpus: str, limit: int) -> None:
    """Time the text path on CORPUS (JSON Lines, .gz, or a folder); print docs/s and peak memory as JSON."""
    from rasd.bench import run

    result = run(corpus, limit)
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    if result.get("bad_inputs"):
        sys.exit(1)
