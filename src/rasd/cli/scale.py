"""Options and plumbing shared by `rasd extract` and `rasd ingest`: which engine runs the text path
(this process, or a Dask cluster), and the stream of per-input outcomes it gives back in input order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import click

from rasd.errors import RasdError


def _workers(ctx, param, value):  # noqa: ANN001 - click callback
    if value is not None and value < 1:
        raise click.BadParameter("must be at least 1")
    return value


def engine_options(fn: Callable) -> Callable:
    fn = click.option("--scheduler", metavar="ADDRESS",
                      help="With --engine dask: an existing Dask scheduler (tcp://host:8786) instead of a local cluster.")(fn)
    fn = click.option("--workers", type=int, callback=_workers,
                      help="With --engine dask: local worker processes, one thread each (default: one per core).")(fn)
    fn = click.option("--engine", type=click.Choice(["single", "dask"]), default="single", show_default=True,
                      help="Run the text path in this process, or on Dask workers (same results; see README, Scale).")(fn)
    return fn


def check_engine(engine: str, workers: int | None, scheduler: str | None) -> None:
    if engine != "dask" and (workers is not None or scheduler):
        raise RasdError(f"{'--workers' if workers is not None else '--scheduler'} needs --engine dask")
    if workers is not None and scheduler:
        raise RasdError("--workers and --scheduler: give one (the cluster at --scheduler has its own workers)")


@contextmanager
def outcomes(items: Iterable, *, engine: str, workers: int | None, scheduler: str | None, published: str | None,
             ner: str | None, keep: Callable[[Iterable], Iterable] | None = None) -> Iterator[Iterator]:
    """Yield an iterator of (where, Document | None, error line | None) per input, in input order.
    ``keep`` filters cleaned outcomes before annotation (single process only: it may read the store)."""
    from rasd.scale.engine import _use_ner, annotated, cleaned, dask_client, ner_mode, run_on

    mode = ner_mode(ner)
    if engine == "dask":
        with dask_client(workers, scheduler) as client:
            yield run_on(client, items, published=published, ner=mode)
        return
    _use_ner(mode)
    stream = cleaned(items, published)
    yield annotated(keep(stream) if keep else stream)
