"""The text path on a Dask cluster, with the same results as one process.

Items (decoded inputs) are cut into partitions in input order and sent to the workers, which run the
pure stages of ``rasd.pipeline`` (clean, NER pre-tagging, annotate) and send back the extracted
Documents. The client takes the partitions back *in input order* (a bounded number in flight, so
memory stays flat) and hands them to the one writer: the store's own ``ingest`` (batched
transactions) or the JSON writer of ``rasd extract``. Everything that depends on other documents —
stories (MinHash/LSH against what is stored), incidents, ids, claim series, disagreements — is done
by that writer, on the same documents in the same order, so ``--engine dask`` and the single process
give identical stores and outputs.

``process_items`` is also what the single process runs, so the two engines share one code path.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rasd.errors import InputError, RasdError

if TYPE_CHECKING:
    from rasd.model import Document
    from rasd.scale.inputs import Item

# (where, document or None, error line or None): what the writer gets for each item.
Outcome = tuple[str, "Document | None", "str | None"]

ENGINES = ("single", "dask")
PARTITION = 64  # items per Dask task: large enough that scheduling costs little, small enough to balance
NER_CHUNK = 32  # documents whose sentences the NER model tags at once
_NER_IN_USE: list[str] = []
_LOADED: list[bool] = []  # set once the first document has loaded the stages' lexicons, models and KB


@contextmanager
def _loading() -> Iterator[None]:
    """The first document of a process loads what every later one reuses (the knowledge base, the
    lexicons, the compiled patterns: a few hundred thousand objects that live as long as the process).
    The collector is kept off while they are built, then they are frozen (moved out of its reach), so
    neither this load nor each later full collection walks them again; results are unchanged."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        _LOADED.append(True)
        gc.freeze()
        if enabled:
            gc.enable()


def ner_mode(ner: str | None) -> str:
    """The NER mode the workers must use: the option, else $RASD_NER here on the client (workers on
    other machines do not see the client's environment)."""
    mode = (ner or os.environ.get("RASD_NER") or "off").lower()
    return "full" if mode == "on" else mode


def _use_ner(mode: str) -> None:
    if _NER_IN_USE != [mode]:
        from rasd.annotate.entities import use_ner

        use_ner(mode)
        _NER_IN_USE[:] = [mode]


def _error_line(where: str, exc: Exception) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    return f"{where}: internal error: {type(exc).__name__}: {exc}"  # a bug must not lose the other inputs


def cleaned(items: Iterable[Item], published: str | None = None) -> Iterator[tuple[str, Document | None, str | None]]:
    """Clean stage over items: (where, document, None), or (where, None, error line)."""
    from rasd.pipeline import prepare

    for item in items:
        if item.error is not None:
            yield item.where, None, str(item.error)
            continue
        try:
            yield item.where, prepare(item.raw, item.meta, published), None
        except Exception as exc:  # noqa: BLE001 - reported per input
            yield item.where, None, _error_line(item.where, exc)


def annotated(outcomes: Iterable[Outcome], chunk: int = NER_CHUNK) -> Iterator[Outcome]:
    """Annotation stages over cleaned outcomes (errors pass through), NER-tagged ``chunk`` at a time."""
    from rasd.pipeline import annotate, pretagged

    for where, doc, error in pretagged(outcomes, chunk, doc_of=_doc_of):
        if doc is None:
            yield where, None, error
            continue
        try:
            if _LOADED:
                done = annotate(doc)
            else:
                with _loading():
                    done = annotate(doc)
            yield where, done, None
        except Exception as exc:  # noqa: BLE001 - reported per input
            yield where, None, _error_line(where, exc)


def _doc_of(outcome: Outcome):
    from rasd.model import Document

    return outcome[1] if outcome[1] is not None else Document(text="")


def process_items(items: list[Item], published: str | None = None, ner: str = "off") -> list[Outcome]:
    """The pure part of the text path for one partition: runs in this process or on a Dask worker."""
    _use_ner(ner)
    return list(annotated(cleaned(items, published)))


@contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator:
    """A dask.distributed Client: on a cluster already running at ``scheduler``, or on a local
    cluster of ``workers`` single-threaded worker processes (all cores by default), closed after."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise RasdError(f"--engine dask needs dask.distributed ({exc})") from None
    if scheduler:
        try:
            client = Client(scheduler)  # waits distributed.comm.timeouts.connect (dask config, 30 s)
        except (OSError, TimeoutError, ValueError) as exc:
            raise RasdError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def workers_of(client) -> int:
    return max(len(client.scheduler_info(n_workers=-1).get("workers", {})), 1)


def run_on(client, items: Iterable[Item], *, published: str | None = None, ner: str = "off",
           partition: int = PARTITION, window: int | None = None,
           on_partition: Callable[[int], None] | None = None) -> Iterator[Outcome]:
    """Outcomes for ``items`` computed on the cluster, in input order. At most ``window`` partitions
    are in flight (default: two per worker and one more), so the client's memory does not grow with
    the input. ``on_partition(n)`` is called as each partition of n items comes back."""
    window = window or 2 * workers_of(client) + 1
    pending: deque = deque()
    it = iter(items)

    def take():
        fut = pending.popleft()
        try:
            result = fut.result()
        except Exception as exc:  # a worker died or the cluster went away
            raise RasdError(f"dask: a partition failed: {type(exc).__name__}: {exc}") from None
        finally:
            fut.release()
        if on_partition:
            on_partition(len(result))
        return result

    while part := list(itertools.islice(it, partition)):
        pending.append(client.submit(process_items, part, published, ner, pure=False))
        if len(pending) >= window:
            yield from take()
    while pending:
        yield from take()
