"""The knowledge base as one search query needs it, read from a cache file instead of built.

Building the knowledge base (``rasd.kb.knowledge_base.knowledge_base``: every spelling variant of every
name, then the Aho-Corasick automaton) takes longer than the rest of a ``rasd search`` command. A
query only needs the forms that occur in its own few words, so the forms, entities and word lists
are kept in a ``marshal`` file (loads in milliseconds: each form's readings and each entity stay
marshalled bytes until a query needs them), and a query's knowledge base holds only the forms that
are substrings of the text it scans: the automaton then finds exactly the matches the
whole one finds (tests/store/test_query_kb.py compares them). The file is named by a digest of the
code and resource files the knowledge base is built from, so any change builds it again; where it
cannot be written (read-only home), the whole knowledge base is built as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import marshal
import os
import sys
from array import array
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rasd.kb.knowledge_base import KB_VERSION, Form, KBEntity, KnowledgeBase, Office, knowledge_base

_FORMAT = 4


def cache_dir() -> Path:
    base = os.environ.get("RASD_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rasd"
    return Path(base)


def _digest() -> str:
    """Of what the knowledge base is made from and how it is cached: the knowledge base's, the Arabic
    modules' and this module's code and every resource table (name, size, modification time), the
    KB's own version, Python's version."""
    import rasd

    root = Path(rasd.__file__).parent
    h = hashlib.blake2b(f"{_FORMAT}|{KB_VERSION}|{sys.version}|{rasd.__version__}".encode(), digest_size=10)
    for pattern in ("kb/*.py", "arabic/*.py", "store/query_kb.py", "resources/*.tsv", "resources/kb/*.tsv"):
        for p in sorted(root.glob(pattern)):
            st = p.stat()
            h.update(f"{p.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


# Fields kept in a form of their own; every other field of KnowledgeBase is kept as it is (plain
# dicts, sets and strings), so a field added to the knowledge base is in the cache too.
_OWN_FORM = {"entities", "forms", "offices", "automaton"}


def _pack(items: dict[str, object]) -> tuple[str, bytes, bytes]:
    """A dict as its keys (one string, a line each), and its values marshalled one by one into one
    blob with the end offset of each: read back, a value is unmarshalled only when it is looked up."""
    if any("\n" in k for k in items):
        raise ValueError("a key with a line break")  # no cache file: the whole knowledge base
    parts = [marshal.dumps(v) for v in items.values()]
    return "\n".join(items), array("Q", itertools.accumulate(map(len, parts))).tobytes(), b"".join(parts)


class _Packed:
    def __init__(self, packed: tuple[str, bytes, bytes]):
        keys, ends, self._blob = packed
        self.keys = keys.split("\n") if keys else []
        self._ends = array("Q")
        self._ends.frombytes(ends)

    def value(self, i: int):
        return marshal.loads(self._blob[self._ends[i - 1] if i else 0:self._ends[i]])


def _compact(kb: KnowledgeBase) -> dict:
    rest = {f.name: getattr(kb, f.name) for f in dataclasses.fields(kb) if f.name not in _OWN_FORM}
    return {
        "entities": _pack({e.id: dataclasses.astuple(e) for e in kb.entities.values()}),
        "forms": _pack({k: [dataclasses.astuple(f) for f in fs] for k, fs in kb.forms.items()}),
        "offices": [(o.country, o.role, o.holder, o.start.isoformat(), o.end.isoformat() if o.end else None) for o in kb.offices],
        "rest": {k: dict(v) if isinstance(v, dict) else v for k, v in rest.items()},
    }


@lru_cache(maxsize=1)
def _cached() -> dict | None:
    """The compact knowledge base from the cache file, written first if missing; None if it cannot be."""
    path = cache_dir() / f"kb-{_digest()}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    try:
        data = _compact(knowledge_base())
        blob = marshal.dumps(data)
    except ValueError:  # a field marshal cannot write: no cache, the whole knowledge base
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)  # another process writing the same file at once writes the same bytes
    except OSError:
        return None
    return data


class _Entities(dict):
    """The knowledge base's entities, each made from its cached bytes when first looked up; anything
    that goes over them all (iteration, ``len``, ``values()``) makes them all first."""

    def __init__(self, packed: tuple[str, bytes, bytes]):
        super().__init__()
        self._packed = _Packed(packed)
        self._rows = {eid: i for i, eid in enumerate(self._packed.keys)}

    def __missing__(self, eid: str) -> KBEntity:
        e = self[eid] = KBEntity(*self._packed.value(self._rows[eid]))  # KeyError for an unknown id, as a dict
        return e

    def get(self, eid, default=None):
        return self[eid] if eid in self._rows else default

    def __contains__(self, eid) -> bool:
        return eid in self._rows

    def _all(self) -> None:
        if super().__len__() < len(self._rows):
            for eid in self._rows:
                self[eid]

    def __iter__(self):
        self._all()
        return super().__iter__()

    def __len__(self) -> int:
        return len(self._rows)

    def keys(self):
        self._all()
        return super().keys()

    def values(self):
        self._all()
        return super().values()

    def items(self):
        self._all()
        return super().items()


@lru_cache(maxsize=1)
def _forms() -> _Packed:
    return _Packed(_cached()["forms"])


@lru_cache(maxsize=1)
def _entities() -> dict[str, KBEntity]:
    return _Entities(_cached()["entities"])


def query_kb(text: str) -> KnowledgeBase:
    """A knowledge base for scanning ``text`` (the scan text of a short query): the forms that occur
    in it, everything else whole. Without a cache file: the whole knowledge base."""
    data = _cached()
    if data is None:
        return knowledge_base()
    forms: defaultdict[str, list[Form]] = defaultdict(list)
    packed = _forms()
    for i, k in enumerate(packed.keys):
        if k in text:
            forms[k] = [Form(*f) for f in packed.value(i)]
    kb = KnowledgeBase(
        entities=_entities(), forms=forms,
        offices=[Office(c, r, h, dt.date.fromisoformat(s), dt.date.fromisoformat(e) if e else None)
                 for c, r, h, s, e in data["offices"]],
        **data["rest"],
    )
    if forms:  # an automaton without words cannot scan: a query_kb without forms finds nothing
        kb.build()
    return kb
