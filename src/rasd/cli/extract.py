"""`rasd extract` and `rasd bench`: the text path over files, folders and standard input."""

from __future__ import annotations

import json
import sys

import click

from rasd.cli.common import fail, note_skipped, positive_int, with_progress
from rasd.cli.scale import check_engine, engine_options, outcomes
from rasd.sources.files import DEFAULT_MAX_BYTES


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
@engine_options
def extract(inputs: tuple[str, ...], fmt: str, published: str | None, max_bytes: int, no_progress: bool,
            ner: str | None, engine: str, workers: int | None, scheduler: str | None) -> None:
    """Extract documents from article files, folders (recursively), Parquet archives or '-' for standard input.

    Prints rasd.extract/1 JSON on standard output; one line on standard error for each input that
    could not be read, and exit code 1 if there was any.
    """
    from rasd.arabic.dates import to_date
    from rasd.scale.inputs import iter_items
    from rasd.sources.files import iter_paths

    check_engine(engine, workers, scheduler)
    if published and to_date(published) is None:
        fail(f"--published: not a date: {published!r} (use YYYY-MM-DD)", 2)
    paths = list(iter_paths(list(inputs), on_skip=note_skipped))
    failures = 0
    out = sys.stdout
    if fmt == "json":
        out.write("[")
    first = True
    items = iter_items(with_progress(paths, no_progress), max_bytes)
    with outcomes(items, engine=engine, workers=workers, scheduler=scheduler, published=published, ner=ner) as results:
        for _where, doc, error in results:
            if error is not None:
                failures += 1
                click.echo(f"rasd: {error}", err=True)
                continue
            for note in doc.notes:
                click.echo(f"rasd: {_where}: {note}", err=True)
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
@click.option("--ceiling", "ceiling_script", metavar="PATH",
              help="The ceiling script to run in the same run (default: ../shared/bench/ceiling.py when present).")
@click.option("--no-ceiling", is_flag=True, help="Do not run the ceiling passes.")
@click.option("--engine", type=click.Choice(["single", "dask"]), default="single", show_default=True,
              help="dask: a scaling table over local clusters of --workers sizes instead of the one-core rates.")
@click.option("--workers", default="1,2", show_default=True, metavar="N,N,...", help="With --engine dask: worker counts.")
@click.option("--json", "as_json", is_flag=True, help="With --engine dask: JSON instead of the table.")
def bench(corpus: str, limit: int, ceiling_script: str | None, no_ceiling: bool, engine: str, workers: str,
          as_json: bool) -> None:
    """Time the text path on CORPUS (JSON Lines, .gz, or a folder) with the ceiling of the same run.

    Prints docs/s, peak memory, the ceiling passes and the ratios as JSON; with --engine dask, a
    table of articles/s and efficiency per number of workers.
    """
    from rasd.bench import text_path as b

    if engine == "dask":
        try:
            counts = [int(x) for x in workers.split(",") if x.strip()]
        except ValueError:
            counts = []
        if not counts or min(counts) < 1:
            fail(f"--workers: not a list of worker counts: {workers!r} (e.g. 1,2)", 2)
        result = b.scaling(corpus, limit, counts)
        click.echo(json.dumps(result, indent=2) if as_json else b.scaling_table(result))
        return
    result = b.run(corpus, limit)
    if not no_ceiling:
        script = b.find_ceiling(ceiling_script)
        if script is None or not script.exists():
            result["ceiling"] = {"error": "ceiling.py not found (pass --ceiling PATH or --no-ceiling)"}
        else:
            result = b.with_ceiling(result, b.ceiling(corpus, limit, script))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    if result.get("bad_inputs"):
        sys.exit(1)
