"""`rasd eval`: score extraction against gold articles, and the NER model on its test corpora."""

from __future__ import annotations

import json
from pathlib import Path

import click

from rasd.cli.common import fail


class _DefaultGroup(click.Group):
    """A group whose first argument, when it names no subcommand, goes to a default subcommand
    (``rasd eval GOLD OUTPUT`` keeps working beside ``rasd eval ner``)."""

    default = "seeds"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = [self.default, *args]
        return super().parse_args(ctx, args)


@click.group("eval", cls=_DefaultGroup)
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
    from rich.console import Console
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
