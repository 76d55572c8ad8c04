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
@click.option("--ids", help="Score one half: odd or even numeric file names (the devset's tuning and report "
                            "halves), or a comma-separated list of file names.")
@click.option("--misses", is_flag=True, help="Also list every false negative and false positive, with its sentence.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures (and misses) as JSON.")
def eval_seeds(gold: str, output: str, ids: str | None, misses: bool, as_json: bool) -> None:
    """Score OUTPUT (rasd extract JSONL or JSON) against GOLD (the form of shared/seeds/gold.json or
    shared/devset/gold.json): entities, claims per unit, attribution, events per type, cleaning."""
    from rasd.evaluate.gold import evaluate, load_output

    try:
        gold_data = json.loads(Path(gold).read_text(encoding="utf-8"))
        out = load_output(output)
        result = evaluate(gold_data, out, ids)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, AttributeError, ValueError) as exc:
        fail(f"cannot read gold or output: {exc!r}")
    if not result["documents"] and result["missing"]:
        fail("no gold document is in the output (documents are paired by file name)")
    if not misses:
        result.pop("misses")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    _print_gold_scores(result)


def _print_gold_scores(result: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    c = result["cleaning"]
    con.print(f"documents: {result['documents']}" + (f"; missing in output: {result['missing']}" if result["missing"] else ""))
    con.print(f"cleaning: must_drop dropped {c['must_drop_dropped']}, must_keep kept {c['must_keep_kept']}, "
              f"metadata right {c['metadata_right']}")
    summary = Table(title="summary")
    for col in ("measure", "P", "R", "F1", "tp", "fp", "fn"):
        summary.add_column(col, justify="left" if col == "measure" else "right")
    for name in ("entities", "entities_found", "claims", "events"):
        s = result[name]
        summary.add_row(name, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"]))
    con.print(summary)
    con.print(f"attribution right: {result['claims']['attribution_right']} of {result['claims']['attributed']} "
              f"matched claims with a gold source; event dates right: {result['events']['date_right']} "
              f"of {result['events']['dated']}")
    for field, by in (("events", "by_type"), ("claims", "by_unit")):
        t = Table(title=f"{field} {by.replace('_', ' ')}")
        for col in (by[3:], "P", "R", "F1", "tp", "fp", "fn"):
            t.add_column(col, justify="left" if col == by[3:] else "right")
        for k, s in result[field][by].items():
            t.add_row(k, f"{s['precision']:.2f}", f"{s['recall']:.2f}", f"{s['f1']:.2f}", str(s["tp"]), str(s["fp"]), str(s["fn"]))
        con.print(t)
    for m in result.get("misses", []):
        what = m.get("type") or f"{m.get('value')} {m.get('unit')}"
        extra = {k: v for k, v in m.items() if k not in ("doc", "field", "kind", "type", "unit", "value", "sentence") and v}
        con.print(f"[bold]{m['kind'].upper()}[/bold] {m['doc']} {m['field']} {what} {json.dumps(extra, ensure_ascii=False)}",
                  highlight=False)
        con.print(f"    {m.get('sentence') or '(no sentence found)'}", highlight=False)


@eval_.command("events")
@click.argument("gsr", type=click.Path(exists=True, dir_okay=False), nargs=-1, required=True)
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
              help="Default: the event model shipped in the package.")
@click.option("--misses", is_flag=True, help="Also list each sentence judged wrongly.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def eval_events(gsr: tuple[str, ...], model_path: str | None, misses: bool, as_json: bool) -> None:
    """Sentence-level detection of PLOVER events on OEDA-format CSV files (columns event_type, label,
    text; label yes is a positive, easy/difficult no a negative, ambiguous left out): precision,
    recall and F1 of Rasd's event stage and of the model alone, per event type."""
    from rasd.errors import RasdError
    from rasd.evaluate.events import eval_gsr

    try:
        result = eval_gsr([Path(p) for p in gsr], Path(model_path) if model_path else None)
    except (RasdError, OSError, UnicodeDecodeError, KeyError, ValueError) as exc:
        fail(str(exc))
    if not misses:
        for r in result.values():
            r.pop("misses", None)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    con = Console()
    t = Table(title="sentence-level event detection")
    for col in ("type", "detector", "P", "R", "F1", "tp", "fp", "fn", "sentences"):
        t.add_column(col, justify="left" if col in ("type", "detector") else "right")
    for etype, r in result.items():
        for det in ("rasd", "model", "triggers"):
            s = r[det]
            t.add_row(etype, det, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["tp"]),
                      str(s["fp"]), str(s["fn"]), str(r["sentences"]))
    con.print(t)
    for etype, r in result.items():
        for m in r.get("misses", []):
            con.print(f"[bold]{m['kind'].upper()}[/bold] {etype} {m['id']}: {m['text']}", highlight=False)


@eval_.command("ner")
@click.option("--data", type=click.Path(exists=True, file_okay=False), default="../shared/data", show_default=True,
              help="The shared data folder (ner/anercorp, ner/aqmar).")
@click.option("--model", "model_path", type=click.Path(exists=True, dir_okay=False),
              help="Default: the model shipped in the package.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--fuse", type=float, default=0.0, show_default=True,
              help="With an encoder --model (.pt): read it together with the shipped fast model, this being "
                   "the fast model's share of the per-word scores (rasd.ner.fusion).")
def eval_ner(data: str, model_path: str | None, as_json: bool, fuse: float) -> None:
    """Precision, recall and F1 per type and micro-averaged (exact spans) on the ANERcorp test split,
    and on AQMAR when the model was not trained on it."""
    from rasd.ner.model import ModelError
    from rasd.ner.run import eval_ner as run_eval

    if not (Path(data) / "ner" / "anercorp").is_dir():
        fail(f"no ner/anercorp in {data}: pass --data with the shared data folder")
    if fuse and (not model_path or not model_path.endswith(".pt") or not 0 < fuse < 1):
        fail("--fuse takes an encoder --model (.pt) and a share between 0 and 1")
    try:
        result = run_eval(Path(data), Path(model_path) if model_path else None, fuse)
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
