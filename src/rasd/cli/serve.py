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
def serve(db, host, port, token_file):
    """Serve the store as a REST API under /api/v1 (docs at /docs); reads are open, writes need the token."""
    import uvicorn

    from rasd.serve import create_app

    token = read_token(token_file)
    app = create_app(db, token)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    where = "" if db is None else f" ({db})"
    click.echo(f"rasd: serving the store{where} on http://{host}:{port}/api/v1 (docs: /docs); "
               f"writes {'need the token' if token else 'are refused (no --token-file or $RASD_TOKEN)'}; Ctrl-C stops",
               err=True)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning", timeout_graceful_shutdown=5)
