"""The ``rasd`` command line: thin click commands over the library."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from rasd.errors import InputError, RasdError
from rasd.sources.files import DEFAULT_MAX_BYTES, iter_paths, read_input

if TYPE_CHECKING:
    from rasd.model import Document

stderr = Console(stderr=True)
PROGRESS_MIN_FILES = 5


# Documents cleaned before they are annotated together (the NER model tags a chunk's sentences at once).
EXTRACT_CHUNK = 32


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
    paths = list(iter_paths(list(inputs)))
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
        for where in _with_progress(paths, no_progress):
            try:
                doc = clean(read_input(where, max_bytes))
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
        payload = json.dumps(doc.to_json(), ensure_ascii=False)
        out.write((("" if first else ",") + "\n" + payload) if fmt == "json" else payload + "\n")
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


@train.command("ner")
@click.option("--data", type=click.Path(exists=True, file_okay=False), default="../shared/data", show_default=True,
              help="The shared data folder: ner/anercorp (required), ner/aqmar, ner/wojood_sample, ant/.")
@click.option("--out", type=click.Path(dir_okay=False), help="Default: the packaged resources/ner.npz.")
@click.option("--work", type=click.Path(file_okay=False), default=".rasd-train", show_default=True,
              help="Where the ANT word vectors and language models are trained and kept between runs.")
@click.option("--extra", multiple=True, type=click.Choice(["aqmar", "wojood"]),
              help="Add a corpus to the training data (repeatable). ANERcorp test is never trained on.")
@click.option("--epochs", type=int, help="Most epochs (early stopping on the dev tenth of ANERcorp train).")
@click.option("--hidden", type=int, help="LSTM units per direction.")
@click.option("--seed", type=int, help="Random seed (members take seed, seed+1, ...).")
@click.option("--members", type=int, default=4, show_default=True,
              help="Networks in the model, trained two at a time; their scores are averaged (an ensemble).")
@click.option("--no-lm", "no_lm", is_flag=True,
              help="Leave out the ANT language models' features (for the comparison figure).")
@click.option("--anergazet", is_flag=True,
              help="Also use ANERGazet (ner/anergazet) as features: for the comparison figure only; such a "
                   "model needs that folder at run time and is not one to ship.")
@click.option("--teacher", type=click.Path(exists=True, dir_okay=False),
              help="Self-training: train students of this model (one trained without --teacher), on its word "
                   "vectors and language models, with ANT articles it tags as extra data.")
@click.option("--silver", type=int, default=3000, show_default=True,
              help="With --teacher: how many ANT articles the teacher tags.")
@click.option("--pretrain-epochs", type=int, default=4, show_default=True,
              help="With --teacher: epochs on ANERcorp train + silver data before fine-tuning on ANERcorp alone.")
def train_ner(data: str, out: str | None, work: str, extra: tuple[str, ...], epochs: int | None,
              hidden: int | None, seed: int | None, members: int, no_lm: bool, anergazet: bool,
              teacher: str | None, silver: int, pretrain_epochs: int) -> None:
    """Train the NER model (needs `pip install 'rasd[train]'`); prints the data it used and its scores."""
    from rasd import resources

    try:
        from rasd.ner.run import train_ner as run_train
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        fail(f"training needs the train extra (pip install 'rasd[train]'): {exc}")
    if not (Path(data) / "ner" / "anercorp").is_dir():
        fail(f"no ner/anercorp in {data}: pass --data with the shared data folder")
    overrides = {k: v for k, v in (("epochs", epochs), ("hidden", hidden), ("seed", seed)) if v is not None}
    if no_lm:
        overrides["language_model"] = False
    if anergazet:
        gaz = Path(data).resolve() / "ner" / "anergazet"
        if not gaz.is_dir():
            fail(f"no ner/anergazet in {data}")
        if not out:
            fail("--anergazet needs --out: a model built on ANERGazet is not shipped")
        overrides["gazetteer"] = str(gaz)
    if teacher:
        if silver <= 0 or pretrain_epochs <= 0:
            fail("--silver and --pretrain-epochs must be positive")
        if not (Path(data) / "ant").is_dir():
            fail(f"no ant/ in {data}: the teacher tags ANT articles")
        overrides.update(silver_articles=silver, pretrain_epochs=pretrain_epochs)
    target = Path(out) if out else resources.path("ner.npz")
    if teacher and Path(teacher).resolve() == target.resolve():
        fail("--teacher must not be the file the students are written to (pass --out)")
    try:
        result = run_train(Path(data), target, Path(work), list(extra), overrides,
                           log=lambda m: click.echo(m, err=True), members=members,
                           teacher=Path(teacher) if teacher else None)
    except ImportError as exc:
        fail(f"training needs the train extra (pip install 'rasd[train]'): {exc}")
    except ValueError as exc:
        fail(str(exc))
    click.echo(json.dumps(result, indent=2))


class _DefaultGroup(click.Group):
    """A group whose first argument, when it names no subcommand, goes to a default subcommand
    (``rasd eval GOLD OUTPUT`` keeps working beside ``rasd eval ner``)."""

    default = "seeds"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@main.group("eval", cls=_DefaultGroup)
def eval_() -> None:
    """Measure Rasd: `rasd eval GOLD OUTPUT` scores extraction on gold articles; `rasd eval ner` the NER model."""


@eval_.command("seeds")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("output", type=click.Path(exists=True, dir_okay=False))
def eval_seeds(gold: str, output: str) -> None:
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


@eval_.command("ner")
@click.option("--data", type=click.Path(exists=True, file_okay=False), default="../shared/data", show_default=True,
              help="The shared data folder (ner/anercorp, ner/aqmar).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
              help="Default: the model shipped in the package.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_ner(data: str, model_path: str | None, as_json: bool) -> None:
    """Precision, recall and F1 per type and micro-averaged (exact spans) on the ANERcorp test split,
    and on AQMAR when the model was not trained on it."""
    from rasd.ner.model import ModelError
    from rasd.ner.run import eval_ner as run_eval

    if not (Path(data) / "ner" / "anercorp").is_dir():
        fail(f"no ner/anercorp in {data}: pass --data with the shared data folder")
    try:
        result = run_eval(Path(data), Path(model_path) if model_path else None)
    except ModelError as exc:
        fail(str(exc))
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    _print_ner_scores(result)


def _print_ner_scores(result: dict) -> None:
    from rich.table import Table

    out = Console()
    for name, scores in result.items():
        if not isinstance(scores, dict) or "micro" not in scores:
            continue
        table = Table(title=name)
        for col in ("type", "precision", "recall", "F1", "entities"):
            table.add_column(col, justify="left" if col == "type" else "right")
        for kind, s in scores.items():
            table.add_row(kind, f"{s['precision']:.4f}", f"{s['recall']:.4f}", f"{s['f1']:.4f}", str(s["support"]),
                          style="bold" if kind == "micro" else None)
        out.print(table)
    if "sentences_per_second" in result:
        out.print(f"tagging speed: {result['sentences_per_second']:,} sentences/s")


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
