"""`rasd serve`: the store over HTTP (FastAPI under uvicorn)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from rasd.cli.common import db_option, fail


def read_token(token_file: str | None) -> str | None:
    """The write token: the first line of --token-file, else $RASD_TOKEN, else None (writes refused)."""
    if token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            fail(f"cannot read token file {token_file}: {exc.strerror or exc}")
        if not token:
            fail(f"token file {token_file} is empty")
        return token
    return os.environ.get("RASD_TOKEN") or None


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--token-file", type=click.Path(dir_okay=False), help="File holding the token writes need (else $RASD_TOKEN).")
@click.option("--alerts-dir", type=click.Path(file_okay=False), help="The folder alerts created over HTTP may write hit files into (file delivery over HTTP is refused without it).")
def serve(db, host, port, token_file, alerts_dir):
    """Serve the store: the analyst's dashboard at /, the REST API under /api/v1 (docs at /docs); reads are open, writes need the token."""
    import uvicorn

    from rasd.serve import create_app
    from rasd.serve.dashboard import router as dashboard
    from rasd.serve.dashboard import warm as warm_dashboard

    token = read_token(token_file)
    if alerts_dir:
        try:
            Path(alerts_dir).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            fail(f"cannot use alerts folder {alerts_dir}: {exc.strerror or exc}")
    app = create_app(db, token, routers=[dashboard], alerts_dir=alerts_dir, warm=True, warmers=[warm_dashboard])
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    where = "" if db is None else f" ({db})"
    click.echo(f"rasd: serving the store{where} on http://{host}:{port}/ (dashboard; API under /api/v1, docs: /docs); "
               f"writes {'need the token' if token else 'are refused (no --token-file or $RASD_TOKEN)'}; Ctrl-C stops",
               err=True)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", timeout_graceful_shutdown=5)


@click.command("api")
@click.option("--url", help="A running rasd serve on this machine, e.g. http://127.0.0.1:8000.")
@db_option
@click.option("--requests", "n", type=click.IntRange(1, 20_000), default=1500, show_default=True, help="Requests to time.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True, help="Client threads.")
def bench_api(url, db, n, concurrency):
    """Drive a rasd serve over HTTP on loopback (--url, or --db to start one); print p50/p95/p99 and requests/s."""
    from rasd.serve.bench import main

    main((["--url", url] if url else []) + (["--db", db] if db else []) + ["--requests", str(n), "--concurrency", str(concurrency)])


@click.command("dashboard")
@click.option("--url", help="A running rasd serve on this machine, e.g. http://127.0.0.1:8000.")
@db_option
@click.option("--rounds", type=click.IntRange(1, 200), default=20, show_default=True, help="Timed requests per page after the first.")
@click.option("--wait", type=click.FloatRange(0), default=1800, show_default=True,
              help="Seconds to wait for the background aggregates (disagreements) before timing.")
def bench_dashboard(url, db, rounds, wait):
    """Time every dashboard page on a rasd serve (--url, or --db to start one): the server's time, first and p50/p95/max."""
    from rasd.serve.dashboard.bench import main

    main((["--url", url] if url else []) + (["--db", db] if db else []) + ["--rounds", str(rounds), "--wait", str(wait)])


class BenchGroup(click.Group):
    """`rasd bench CORPUS ...` as before, and `rasd bench api ...`: a word that is not a subcommand
    goes to the corpus benchmark."""

    def __init__(self, corpus_bench: click.Command):
        super().__init__(name=corpus_bench.name, help=(corpus_bench.help or "") + "\n\n`rasd bench api --help`: the HTTP API "
                         "benchmark; `rasd bench dashboard --help`: the dashboard pages' server time.",
                         commands=[bench_api, bench_dashboard], invoke_without_command=False, no_args_is_help=True)
        self.corpus_bench = corpus_bench

    def resolve_command(self, ctx, args):
        if args and args[0] not in self.commands:
            return self.corpus_bench.name, self.corpus_bench, args
        return super().resolve_command(ctx, args)


def with_api_bench(corpus_bench: click.Command) -> click.Group:
    return BenchGroup(corpus_bench)
