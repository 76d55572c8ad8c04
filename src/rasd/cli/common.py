"""What every command shares: failing with one line, progress bars, the store options, tables and JSON."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

stderr = Console(stderr=True)
out = Console(soft_wrap=False)
PROGRESS_MIN_FILES = 5

db_option = click.option("--db", metavar="PATH|URL", help="SQLite file or postgresql:// URL (default: $RASD_DB or ~/.local/share/rasd/rasd.db).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


def fail(message: str, code: int = 1) -> None:
    click.echo(f"rasd: {message}", err=True)
    sys.exit(code)


def open_store(db: str | None, create: bool = False):
    from rasd.store import open_store as _open_store

    return _open_store(db, create=create)


def emit_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def table(title: str, columns: list[str], rows: list[list]) -> None:
    t = Table(title=title, show_lines=False)
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
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
    columns = (TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(label, total=len(paths), rate="")
        t0 = time.perf_counter()
        for i, p in enumerate(paths, 1):
            yield p
            progress.update(task, advance=1, rate=f"{i / max(time.perf_counter() - t0, 1e-9):,.0f} docs/s")
