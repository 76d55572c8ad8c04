"""The objects of the ``rasd.extract/1`` contract, as small frozen dataclasses.

Every offset (``start``/``end``) indexes into ``Document.text``. Stages are functions
``(Document) -> Document`` that return a new document with more fields filled.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from rasd.arabic.dates import DateRef
from rasd.arabic.normalise import Normalised, normalise
from rasd.arabic.segment import Span, sentences

SCHEMA = "rasd.extract/1"

QUALIFIERS = ("exact", "about", "more_than", "less_than", "up_to")
MODALITIES = ("asserted", "reported", "expected", "denied", "hypothetical")
PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
ENTITY_TYPES = ("PERSON", "GPE", "ORG", "LOC", "FACILITY", "WEAPON", "NORP", "EVENT", "MISC")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    name_ar: str | None
    type: str
    wikidata: str | None
    mentions: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Who says so: a linked entity id where one is known, and the words as written."""

    entity: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Claim:
    value: float | None
    low: float | None
    high: float | None
    qualifier: str
    unit: str
    unit_text: str
    subject: str | None
    source: SourceRef | None
    date: DateRef | None
    modality: str
    start: int
    end: int
    sentence: str


@dataclass(frozen=True, slots=True)
class GenericActor:
    """An event participant without a proper name ("مسلحون", "قوات الأمن"): its role code (CAMEO/OEDA:
    UAF, MIL, COP, GOV, REB, OPP, CVL, PRO, EDU ...), the role's name, its span, and the state it belongs
    to when the text says so (an entity id)."""

    role: str
    name: str
    text: str
    start: int
    end: int
    country: str | None
    part: str  # actor | target


MODALITIES = ("asserted", "reported", "planned", "denied", "conditional", "question")


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    mode: str | None
    actors: tuple[str, ...]
    targets: tuple[str, ...]
    place: str | None
    date: DateRef | None
    source: SourceRef | None
    negated: bool
    start: int
    end: int
    sentence: str
    trigger: str = ""
    modality: str = "asserted"  # one of MODALITIES
    background: bool = False  # a past or historical mention, not news of the day
    generic_actors: tuple[GenericActor, ...] = ()
    confidence: float | None = None  # the event model's probability for the type, when it ran


@dataclass(frozen=True)
class Document:
    text: str
    source_path: str | None = None
    source_url: str | None = None
    outlet: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    keywords: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    embedded: tuple[Document, ...] = ()
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    events: tuple[Event, ...] = ()
    # Raw keyword line when it had no delimiters; the entity stage segments it into keywords.
    keywords_raw: str | None = field(default=None, compare=False)
    # What the pipeline could not do for this document (e.g. the time budget ran out); output when not empty.
    notes: tuple[str, ...] = ()

    @cached_property
    def id(self) -> str:
        # key(text), from the normalised text this document already holds
        return hashlib.blake2b(" ".join(self.norm.text.split()).encode("utf-8"), digest_size=10).hexdigest()

    @cached_property
    def norm(self) -> Normalised:
        return normalise(self.text)

    @cached_property
    def sentence_spans(self) -> list[Span]:
        return sentences(self.text)

    def replace(self, **changes: Any) -> Document:
        new = dataclasses.replace(self, **changes)
        if "text" not in changes:  # keep what was computed from the same text
            for cached in ("id", "norm", "sentence_spans"):
                if cached in self.__dict__:
                    new.__dict__[cached] = self.__dict__[cached]
        return new

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "id": self.id,
            "source": {"path": self.source_path, "url": self.source_url},
            "outlet": self.outlet,
            "title": self.title,
            "author": self.author,
            "published": self.published,
            "keywords": list(self.keywords),
            "text": self.text,
            "dropped": list(self.dropped),
            "embedded": [d.to_json() for d in self.embedded],
            "entities": [_plain(e) for e in self.entities],
            "claims": [_plain(c) for c in self.claims],
            "events": [_plain(e) for e in self.events],
        } | ({"notes": list(self.notes)} if self.notes else {})


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    return obj
