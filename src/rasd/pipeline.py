"""The pipeline: source -> Document -> clean -> annotate -> extract, as plain functions.

``extract_document(raw)`` does the whole job for one input; each stage is a pure function
``(Document) -> Document`` listed in ``STAGES``, so the same code runs in one process, in a worker
pool or on a cluster.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from rasd.clean import Cleaned, clean_text
from rasd.errors import InputError, RasdError
from rasd.model import Document
from rasd.sources.files import RawArticle

T = TypeVar("T")

Stage = Callable[[Document], Document]


def _stages() -> list[Stage]:
    from rasd.annotate.entities import link_entities
    from rasd.extract.claims import extract_claims
    from rasd.extract.events import extract_events

    return [link_entities, extract_claims, extract_events]


def clean(raw: RawArticle) -> Document:
    """Clean stage: a decoded input to a Document with text, metadata and embedded documents."""
    if raw.is_html:
        from rasd.clean.html import html_to_article  # trafilatura: imported only when HTML is cleaned

        cleaned = html_to_article(raw.where, raw.content, raw.url)
    else:
        cleaned = clean_text(raw.content)
    if not cleaned.text.strip():
        raise InputError(raw.where, "no article text left after cleaning")
    path = None if raw.where == "-" else raw.where
    doc = _to_document(cleaned, path, raw.url)
    if raw.meta:  # fields given beside the text (a JSON Lines record) win over what cleaning guessed
        doc = doc.replace(**{k: v for k, v in raw.meta.items() if k in _META and v})
    return doc


_META = ("title", "published", "outlet", "author")  # the url comes as raw.url


# What an archive record may say about its article, as Document fields.
_META_FIELDS = {"title": "title", "published": "published", "url": "source_url", "outlet": "outlet"}


def prepare(raw: RawArticle, meta: dict[str, str] | None = None, published: str | None = None) -> Document:
    """Clean stage for one input with what its source says about it: ``meta`` (an archive record's
    title, published, url, outlet) takes precedence over what cleaning recovered; ``published`` is
    the default date for an input that states none. Embedded articles inherit outlet and date."""
    doc = clean(raw)
    changes = {_META_FIELDS[k]: v for k, v in (meta or {}).items() if v and k in _META_FIELDS}
    if published and not (changes.get("published") or doc.published):
        changes["published"] = published
    if not changes:
        return doc
    inherit = {k: v for k, v in changes.items() if k in ("outlet", "published")}
    if inherit and doc.embedded:
        changes["embedded"] = tuple(e.replace(**{k: v for k, v in inherit.items() if not getattr(e, k)}) for e in doc.embedded)
    return doc.replace(**changes)


def _to_document(c: Cleaned, path: str | None, url: str | None) -> Document:
    return Document(
        text=c.text,
        source_path=path,
        source_url=url,
        outlet=c.outlet,
        title=c.title,
        author=c.author,
        published=c.published,
        keywords=tuple(c.keywords),
        keywords_raw=c.keywords_raw,
        dropped=tuple(c.dropped),
        embedded=tuple(
            _to_document(e, path, url).replace(outlet=e.outlet or c.outlet, published=e.published or c.published)
            for e in c.embedded
            if e.text.strip()
        ),
    )


def doc_budget() -> float:
    """Seconds of annotation one document may take (RASD_DOC_BUDGET; default 60): past it, the stages
    not yet run are skipped and the document says so in ``notes``."""
    try:
        return float(os.environ.get("RASD_DOC_BUDGET", DOC_BUDGET_S))
    except ValueError:
        raise RasdError(f"RASD_DOC_BUDGET must be a number of seconds, not {os.environ['RASD_DOC_BUDGET']!r}") from None


DOC_BUDGET_S = 60.0


def annotate(doc: Document, stages: Iterable[Stage] | None = None, deadline: float | None = None) -> Document:
    """Run the annotation and extraction stages on a document and on its embedded documents, within
    the per-document time budget (``deadline``, a ``time.monotonic()`` value, shared with the embedded ones)."""
    stage_list = list(stages) if stages is not None else _stages()
    if deadline is None:
        deadline = time.monotonic() + doc_budget()
    for i, stage in enumerate(stage_list):
        if time.monotonic() > deadline:
            left = ", ".join(getattr(s, "__name__", "stage") for s in stage_list[i:])
            note = f"time budget of {doc_budget():g} s per document used up: not run: {left} (RASD_DOC_BUDGET)"
            return doc.replace(notes=(*doc.notes, note))
        doc = stage(doc)
    if doc.embedded:
        doc = doc.replace(embedded=tuple(annotate(e, stage_list, deadline) for e in doc.embedded))
    return doc


def pretagged(items: Iterable[T], batch: int = 64, doc_of: Callable[[T], Document] | None = None) -> Iterator[T]:
    """Pass ``items`` through unchanged, ``batch`` at a time, after the NER model has tagged the
    sentences of each batch's documents together (``doc_of`` finds an item's document). Only a
    speed-up: if it fails, each document is tagged alone when annotated, and reports its own error."""
    from rasd.annotate.entities import pretag

    it = iter(items)
    while chunk := list(itertools.islice(it, batch)):
        try:
            pretag([doc_of(x) if doc_of else x for x in chunk])
        except Exception:  # noqa: BLE001 - see the docstring
            pass
        yield from chunk


def annotate_stream(docs: Iterable[Document], batch: int = 64) -> Iterator[Document]:
    """``annotate`` over a stream of documents, ``batch`` at a time so that the NER model tags
    their sentences together (the results are the same as one by one, only faster)."""
    return (annotate(d) for d in pretagged(docs, batch))


def extract_document(raw: RawArticle) -> Document:
    return annotate(clean(raw))


def extract_text(text: str, *, published: str | None = None, path: str | None = None) -> Document:
    """Convenience for library users: plain article text in, extracted Document out."""
    raw = RawArticle(path or "<text>", text, False, "utf-8")
    doc = clean(raw)
    if published:
        doc = doc.replace(published=published)
    return annotate(doc)


def extract_many(raws: Iterable[RawArticle]) -> Iterator[Document | InputError]:
    for raw in raws:
        try:
            yield extract_document(raw)
        except InputError as exc:
            yield exc
