"""The knowledge base kept in a cache file between runs, instead of built by every command.

Building the knowledge base (``rasd.kb.knowledge_base.build_knowledge_base``: every spelling variant
of every name, the ministries and state bodies of every state, then the Aho-Corasick automaton)
takes about a second, longer than the rest of a one-article ``rasd extract``. Its forms, entities
and word lists are kept in a ``marshal`` file (``$RASD_CACHE``, else ``~/.cache/rasd``), each form's
readings and each entity as marshalled bytes of their own, so that a reader unmarshals only what it
looks up: ``rasd search`` the forms in its query's words (``rasd.store.query_kb``), the text path
every form (then the automaton is built from them, a tenth of the cost of building the KB).

The file is named by a digest of the code and resource files the knowledge base is built from, so
any change builds it again; where it cannot be written (read-only home), the knowledge base is
built as before. tests/kb/test_cache.py checks that the knowledge base read back is the one built.
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

from rasd.kb.knowledge_base import KB_VERSION, Form, KBEntity, KnowledgeBase, Office, build_knowledge_base

_FORMAT = 4


def cache_dir() -> Path:
    base = os.environ.get("RASD_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rasd"
    return Path(base)


def _digest() -> str:
    """Of what the knowledge base is made from and how it is cached: the knowledge base's and the
    Arabic modules' code (this module's too) and every resource table (name, size, modification
    time), the KB's own version, Python's version."""
    import rasd

    root = Path(rasd.__file__).parent
    h = hashlib.blake2b(f"{_FORMAT}|{KB_VERSION}|{sys.version}|{rasd.__version__}".encode(), digest_size=10)
    for pattern in ("kb/*.py", "arabic/*.py", "resources/*.tsv", "resources/kb/*.tsv"):
        for p in sorted(root.glob(pattern)):
            st = p.stat()
            h.update(f"{p.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


def _pack(items: dict[str, object]) -> tuple[str, bytes, bytes]:
    """A dict as its keys (one string, a line each), and its values marshalled one by one into one
    blob with the end offset of each: read back, a value is unmarshalled only when it is looked up."""
    if any("\n" in k for k in items):
        raise ValueError("a key with a line break")  # no cache file: the knowledge base is built
    parts = [marshal.dumps(v) for v in items.values()]
    return "\n".join(items), array("Q", itertools.accumulate(map(len, parts))).tobytes(), b"".join(parts)


class Packed:
    """A dict written by ``_pack``: its keys in order, and the value of the i-th key on demand."""

    def __init__(self, packed: tuple[str, bytes, bytes]):
        keys, ends, self._blob = packed
        self.keys = keys.split("\n") if keys else []
        self._ends = array("Q")
        self._ends.frombytes(ends)

    def value(self, i: int):
        return marshal.loads(self._blob[self._ends[i - 1] if i else 0:self._ends[i]])


class Entities(dict):
    """The knowledge base's entities, each made from its cached bytes when first looked up; anything
    that goes over them all (iteration, ``len``, ``values()``) makes them all first."""

    def __init__(self, packed: tuple[str, bytes, bytes]):
        super().__init__()
        self._packed = Packed(packed)
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


# Fields kept in a form of their own; every other field of KnowledgeBase is kept as it is (plain
# dicts, sets and strings), so a field added to the knowledge base is in the cache too.
_OWN_FORM = {"entities", "forms", "offices", "automaton"}


def _compact(kb: KnowledgeBase) -> dict:
    rest = {f.name: getattr(kb, f.name) for f in dataclasses.fields(kb) if f.name not in _OWN_FORM}
    return {
        "entities": _pack({e.id: dataclasses.astuple(e) for e in kb.entities.values()}),
        "forms": _pack({k: [dataclasses.astuple(f) for f in fs] for k, fs in kb.forms.items()}),
        "offices": [(o.country, o.role, o.holder, o.start.isoformat(), o.end.isoformat() if o.end else None) for o in kb.offices],
        "rest": {k: dict(v) if isinstance(v, dict) else v for k, v in rest.items()},
    }


_built: list[KnowledgeBase] = []  # the knowledge base this process built to write the file, if it did


@lru_cache(maxsize=1)
def cached() -> dict | None:
    """The compact knowledge base from the cache file, written first if missing; None if it cannot be."""
    path = cache_dir() / f"kb-{_digest()}.marshal"
    try:
        data = marshal.loads(path.read_bytes())
        if isinstance(data, dict) and data.get("format") == _FORMAT:
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    kb = build_knowledge_base()
    _built[:] = [kb]
    try:
        data = {"format": _FORMAT, **_compact(kb)}
        blob = marshal.dumps(data)
    except ValueError:  # a field marshal cannot write: no cache, the knowledge base is built
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, path)  # another process writing the same file at once writes the same bytes
    except OSError:
        return None
    return data


@lru_cache(maxsize=1)
def forms() -> Packed:
    return Packed(cached()["forms"])


@lru_cache(maxsize=1)
def entities() -> dict[str, KBEntity]:
    return Entities(cached()["entities"])


def offices(data: dict) -> list[Office]:
    return [Office(c, r, h, dt.date.fromisoformat(s), dt.date.fromisoformat(e) if e else None) for c, r, h, s, e in data["offices"]]


def load_knowledge_base() -> KnowledgeBase:
    """The whole knowledge base: read from the cache file (written first if missing), else built."""
    data = cached()
    if data is None or _built:
        return _built[0] if _built else build_knowledge_base()
    fpacked = forms()
    all_forms: defaultdict[str, list[Form]] = defaultdict(list)
    for i, k in enumerate(fpacked.keys):
        all_forms[k] = [Form(*f) for f in fpacked.value(i)]
    # a plain dict of every entity: the text path looks entities up in its inner loops, where the
    # look-up-made ``Entities`` (a search's few) would cost a Python call each
    packed = Packed(data["entities"])
    ents = {eid: KBEntity(*packed.value(i)) for i, eid in enumerate(packed.keys)}
    kb = KnowledgeBase(entities=ents, forms=all_forms, offices=offices(data), **data["rest"])
    kb.build()
    return kb


def clear() -> None:
    """Forget what this process read or built (tests that change the cache folder)."""
    cached.cache_clear()
    forms.cache_clear()
    entities.cache_clear()
    _built.clear()
