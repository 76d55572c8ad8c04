"""The ``rasd`` command line: thin click commands over the library, one module per command group.

Each module defines its commands without knowing the group they join; this module assembles them,
so imports point one way (``cli`` -> ``cli.extract`` -> ``cli.common``) and never back.
"""

from __future__ import annotations

import click

from rasd import __version__
from rasd.cli import evaluation, extract, monitor, serve, store, train
from rasd.cli.common import fail
from rasd.errors import RasdError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rasd")  # not package_name: importlib.metadata costs start-up
def main() -> None:
    """Rasd: Arabic news in, who did what to whom, when, how many and who says so out."""


for command in (
    extract.extract, serve.with_api_bench(extract.bench), train.train, evaluation.eval_,
    store.ingest, store.search, store.entities_cmd, store.entity, store.claims, store.events, store.timeline,
    store.stories_cmd, store.disagreements_cmd, store.export, store.stats_cmd, serve.serve,
    monitor.sources, monitor.watch, monitor.alerts,
):
    main.add_command(command)


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
