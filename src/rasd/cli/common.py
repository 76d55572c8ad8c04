"""What every command shares: failing with one line, progress bars, the store options, tables and JSON."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator

import click


class _Console:
    """A rich Console made on first use (rich takes a few hundredths of a second to import, which
    every command would pay at start-up)."""

    def __init__(self, **options):
        self._options, self._console = options, None

    def console(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.console(), name)


stderr = _Console(stderr=True)
out = _Console(soft_wrap=False)
PROGRESS_MIN_FILES = 5

db_option = click.option("--db", metavar="PATH|URL", help="SQLite file or postgresql:// URL (default: $RASD_DB or ~/.local/share/rasd/rasd.db).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def fail(message: str, code: int = 1) -> None:
    click.echo(f"rasd: {message}", err=True)
    sys.exit(code)


def open_store(db: str | None, create: bool = False):
    from rasd.store import open_store as _open_store

    return _open_store(db, create=create)


# Option checks: a value that cannot match anything is refused in one line (exit 2), not taken silently.
# Use as ``callback=`` of a click option; the known values come from the resources, so they grow with them.
def positive_int(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        fail(f"--{param.name.replace('_', '-')}: must be a positive number, not {value}", 2)
    return value


def _choice(param: click.Parameter, value: str | None, known: list[str], what: str, upper: bool = False) -> str | None:
    if value is None:
        return None
    v = value.strip().upper() if upper else value.strip()
    if v in known:
        return v
    import difflib

    close = difflib.get_close_matches(v, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    fail(f"{param.opts[0]} {value}: no such {what} ({hint}known: {', '.join(known)})", 2)
    return None


def unit_choice(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A claim unit as units.tsv names it (troops, containers, artillery_shells ...)."""
    from rasd import resources

    # class "none" rows are measures that are never claims (durations, distances): not a unit to filter by
    units = {row[0] for row in resources.read_tsv("units.tsv", 3) if row[1] != "none"}
    return _choice(param, value, sorted(units), "unit")


def event_type_choice(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A PLOVER event type as event_triggers.tsv lists them (case-insensitive)."""
    from rasd import resources

    return _choice(param, value, sorted({row[0] for row in resources.read_tsv("event_triggers.tsv")}), "event type", upper=True)


def entity_type_choice(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An entity type of the knowledge base (PERSON, GPE, ORG, LOC ...; case-insensitive)."""
    from rasd import resources

    known = {row[1] for row in resources.read_tsv("kb/entities.tsv")} | {"GPE", "PERSON", "ORG", "LOC"}
    return _choice(param, value, sorted(known), "entity type", upper=True)


def note_skipped(path: str) -> None:
    """A file in a folder that is neither an article nor a batch: say so, do not fail."""
    from pathlib import Path

    from rasd.sources.files import ARTICLE_SUFFIXES, JSONL_SUFFIXES

    kinds = ", ".join(sorted(s for s in ARTICLE_SUFFIXES if s) + list(JSONL_SUFFIXES))
    click.echo(f"rasd: {path}: skipped: {Path(path).suffix or 'no'} suffix is not an article ({kinds})", err=True)


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def table(title: str, columns: list[str], rows: list[list]) -> None:
    """A rich table on a terminal; piped or redirected, plain lines: the title, then the header and one
    row a line, tab-separated (what cut and awk read, as other CLIs print when not on a terminal;
    and rich, a tenth of a second to import and render, is not loaded)."""
    cells = [["" if v is None else str(v) for v in r] for r in rows]
    if not sys.stdout.isatty():
        def line(values):
            return "\t".join(" ".join(v.split()) for v in values)
        click.echo("\n".join([title, line(columns), *map(line, cells)]))
        return
    from rich.table import Table

    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in cells:
        t.add_row(*r)
    out.print(t)


def check_date(value: str | None) -> None:
    """A date option is YYYY-MM-DD (or a longer ISO timestamp), else one line and exit (rasd.store.query decides)."""
    from rasd.store.query import check_date as _check

    _check(value)


def with_progress(paths: list[str], disabled: bool, label: str = "extract") -> Iterator[str]:
    """Yield the paths, showing a progress bar with documents/s on stderr for more than a few."""
    if disabled or len(paths) < PROGRESS_MIN_FILES:
        yield from paths
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=stderr.console(), transient=True) as progress:
        task = progress.add_task(label, total=len(paths), rate="")
        t0 = time.perf_counter()
        for i, p in enumerate(paths, 1):
            yield p
            progress.update(task, advance=1, rate=f"{i / max(time.perf_counter() - t0, 1e-9):,.0f} docs/s")
