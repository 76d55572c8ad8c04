"""The ``rasd`` command line: thin click commands over the library."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from rasd.errors import InputError, RasdError
from rasd.sources.files import DEFAULT_MAX_BYTES, iter_paths, read_input

stderr = Console(stderr=True)
PROGRESS_MIN_FILES = 5


def fail(message: str, code: int = 1) -> None:
    click.echo(f"rasd: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rasd")
def main() -> None:
    """Rasd: Arabic news in, who did what to whom, when, how many and who says so out."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--jsonl", "fmt", flag_value="jsonl", default=True, help="One JSON document per line (default).")
@click.option("--json", "fmt", flag_value="json", help="One JSON list of documents.")
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for inputs that do not state one.")
@click.option("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, show_default=True, help="Refuse larger inputs.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
def extract(inputs: tuple[str, ...], fmt: str, published: str | None, max_bytes: int, no_progress: bool) -> None:
    """Extract documents from article files, folders (recursively) or '-' for standard input.

    Prints rasd.extract/1 JSON on standard output; one line on standard error for each input that
    could not be read, and exit code 1 if there was any.
    """
    from rasd.extract.dates import to_date
    from rasd.pipeline import annotate, clean

    if published and to_date(published) is None:
        fail(f"--published: not a date: {published!r} (use YYYY-MM-DD)", 2)
    paths = list(iter_paths(list(inputs)))
    failures = 0
    first = True
    out = sys.stdout
    if fmt == "json":
        out.write("[")
    for where in _with_progress(paths, no_progress):
        try:
            doc = clean(read_input(where, max_bytes))
            if published and not doc.published:
                doc = doc.replace(published=published)
            doc = annotate(doc)
        except InputError as exc:
            failures += 1
            click.echo(f"rasd: {exc}", err=True)
            continue
        except Exception as exc:  # a bug must not lose the other inputs; report it in one line
            failures += 1
            click.echo(f"rasd: {where}: internal error: {type(exc).__name__}: {exc}", err=True)
            continue
        payload = json.dumps(doc.to_json(), ensure_ascii=False)
        if fmt == "json":
            out.write(("" if first else ",") + "\n" + payload)
        else:
            out.write(payload + "\n")
        first = False
    if fmt == "json":
        out.write("\n]\n")
    out.flush()
    if failures:
        sys.exit(1)


@main.command()
@click.argument("corpus", type=click.Path(exists=True))
@click.option("--limit", type=int, default=2000, show_default=True, help="Documents to time.")
def bench(corpus: str, limit: int) -> None:
    """Time the text path on CORPUS (JSON Lines, .gz, or a folder); print docs/s and peak memory as JSON."""
    from rasd.bench import run

    click.echo(json.dumps(run(corpus, limit), ensure_ascii=False, indent=2))


@main.group()
def train() -> None:
    """Build Rasd's learned resources from the corpora in ../shared/data."""


@train.command("lexicon")
@click.option("--data", "data", type=click.Path(exists=True), default="../shared/data/ant", show_default=True,
              help="Folder of *.jsonl.gz corpora (the ANT format).")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/common_words.tsv.")
def train_lexicon(data: str, out: str | None) -> None:
    """Learn which words are common words, not names (used to find unknown names); prints what it used."""
    from rasd import resources
    from rasd.train_lexicon import build

    paths = sorted(Path(data).glob("*.jsonl.gz"))
    if not paths:
        fail(f"no *.jsonl.gz corpora in {data}")
    click.echo(json.dumps(build(paths, Path(out) if out else resources.path("common_words.tsv")), ensure_ascii=False, indent=2))


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("output", type=click.Path(exists=True, dir_okay=False))
def eval_(gold: str, output: str) -> None:
    """Score OUTPUT (rasd extract JSONL or JSON) against GOLD (the form of shared/seeds/gold.json).

    Prints precision, recall and F1 for entities, claims and events, and the cleaning figures, as JSON.
    """
    from rasd.evaluate import evaluate, load_output

    try:
        gold_data = json.loads(Path(gold).read_text(encoding="utf-8"))
        out = load_output(output)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError) as exc:
        fail(f"cannot read gold or output: {exc}")
    click.echo(json.dumps(evaluate(gold_data, out), ensure_ascii=False, indent=2))


def _with_progress(paths: list[str], disabled: bool) -> Iterator[str]:
    """Yield the paths, showing a progress bar with documents/s on stderr for more than a few."""
    if disabled or len(paths) < PROGRESS_MIN_FILES:
        yield from paths
        return
    columns = (TextColumn("[bold]extract"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("extract", total=len(paths), rate="")
        t0 = time.perf_counter()
        for i, p in enumerate(paths, 1):
            yield p
            progress.update(task, advance=1, rate=f"{i / max(time.perf_counter() - t0, 1e-9):,.0f} docs/s")


from rasd.cli_store import register  # noqa: E402

register(main)


def run() -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit."""
    try:
        main(standalone_mode=True)
    except RasdError as exc:
        fail(str(exc))
