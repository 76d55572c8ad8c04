"""The ``rasd`` command line: thin click commands over the library, one module per command group.

Each module defines its commands without knowing the group they join; this module assembles them
(importing a command's module only when that command runs: see ``COMMANDS``),
so imports point one way (``cli`` -> ``cli.extract`` -> ``cli.common``) and never back.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, MutableMapping

import click

from rasd import __version__
from rasd.cli.common import fail
from rasd.errors import RasdError


def _bench() -> click.Command:
    from rasd.cli.extract import bench
    from rasd.cli.serve import with_api_bench

    return with_api_bench(bench)


# The command table: name -> "module:attribute" (or a function making the command). A command's
# module is imported only when that command runs (or its help is asked for): start-up pays for
# click and this table, not for every command's imports.
COMMANDS: dict[str, str | Callable[[], click.Command]] = {
    "extract": "rasd.cli.extract:extract", "bench": _bench, "train": "rasd.cli.train:train",
    "eval": "rasd.cli.evaluation:eval_", "ingest": "rasd.cli.store:ingest", "search": "rasd.cli.store:search",
    "entities": "rasd.cli.store:entities_cmd", "entity": "rasd.cli.store:entity", "claims": "rasd.cli.store:claims",
    "events": "rasd.cli.store:events", "timeline": "rasd.cli.store:timeline", "stories": "rasd.cli.store:stories_cmd",
    "disagreements": "rasd.cli.store:disagreements_cmd", "export": "rasd.cli.store:export",
    "stats": "rasd.cli.store:stats_cmd", "serve": "rasd.cli.serve:serve", "sources": "rasd.cli.monitor:sources",
    "watch": "rasd.cli.monitor:watch", "alerts": "rasd.cli.monitor:alerts",
}


class _LazyCommands(MutableMapping):
    """``Group.commands`` whose values are loaded on first access; names are known without imports."""

    def __init__(self, table: dict[str, str | Callable[[], click.Command]]):
        self._table, self._loaded = dict(table), {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            where = self._table[name]  # KeyError for an unknown command, as a dict
            if callable(where):
                command = where()
            else:
                module, attr = where.split(":")
                command = getattr(importlib.import_module(module), attr)
            if command.name != name:
                raise RuntimeError(f"the command table names {command.name!r} as {name!r}")
            self._loaded[name] = command
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._table[name] = lambda: command
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._table[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, name: object) -> bool:
        return name in self._table


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rasd")  # not package_name: importlib.metadata costs start-up
def main() -> None:
    """Rasd: Arabic news in, who did what to whom, when, how many and who says so out."""


main.commands = _LazyCommands(COMMANDS)


def run() -> None:
    """Console entry point: user errors become one line on stderr and a non-zero exit."""
    try:
        main(standalone_mode=True)
    except RasdError as exc:
        fail(str(exc))
    except Exception as exc:
        if not type(exc).__module__.startswith("sqlalchemy"):
            raise
        # a database failing under a command (locked past the timeout, disk full, made read-only):
        # one line, not a traceback
        from rasd.store.db import default_db, describe

        fail(describe(exc, _db_arg() or default_db()))


def _db_arg() -> str | None:
    import sys

    args = sys.argv[1:]
    for i, a in enumerate(args):
        if a == "--db" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--db="):
            return a[5:]
    return None
