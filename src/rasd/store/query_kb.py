"""The knowledge base as one search query needs it, read from a cache file instead of built.

Building the knowledge base (``rasd.kb.knowledge_base.knowledge_base``: every spelling variant of every
name, then the Aho-Corasick automaton) takes longer than the rest of a ``rasd search`` command. A
query only needs the forms that occur in its own few words, so the forms, entities and word lists
are kept in a ``marshal`` file (loads in milliseconds), and a query's knowledge base holds only the
forms that are substrings of the text it scans: the automaton then finds exactly the matches the
whole one finds (tests/store/test_query_kb.py compares them). The file is named by a digest of the
code and resource files the knowledge base is built from, so any change builds it again; where it
cannot be written (read-only home), the whole knowledge base is built as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
import os
import sys
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from rasd.kb.knowledge_base import KB_VERSION, Form, KBEntity, KnowledgeBase, Office, knowledge_base

_FORMAT = 2


def cache_dir() -> Path:
    base = os.environ.get("RASD_CACHE") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "rasd"
    return Path(base)


def _digest() -> str:
    """Of what the knowledge base is made from: the entities' and Arabic modules' code and every
    resource table (name, size, modification time), the KB's own version, Python's version."""
    import rasd

    root = Path(rasd.__file__).parent
    h = hashlib.blake2b(f"{_FORMAT}|{KB_VERSION}|{sys.version}|{rasd.__version__}".encode(), digest_size=10)
    for pattern in ("entities/*.py", "arabic/*.py", "resources/*.tsv", "resources/kb/*.tsv"):
        for p in sorted(root.glob(pattern)):
            st = p.stat()
            h.update(f"{p.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()


# Fields kept in a form of their own; every other field of KnowledgeBase is kept as it is (plain
# dicts, sets and strings), so a field added to the knowledge base is in the cache too.
_OWN_FORM = {"entities", "forms", "offices", "automaton"}


def _compact(kb: KnowledgeBase) -> dict:
    rest = {f.name: getattr(kb, f.name) for f in dataclasses.fields(kb) if f.name not in _OWN_FORM}
    return {
        "entities": [dataclasses.astuple(e) for e in kb.entities.values()],
        "forms": {k: [dataclasses.astuple(f) for f in fs] for k, fs in kb.forms.items()},
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
    data = _compact(knowledge_base())
    try:
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


@lru_cache(maxsize=1)
def _entities() -> dict[str, KBEntity]:
    return {row[0]: KBEntity(*row) for row in _cached()["entities"]}


def query_kb(text: str) -> KnowledgeBase:
    """A knowledge base for scanning ``text`` (the scan text of a short query): the forms that occur
    in it, everything else whole. Without a cache file: the whole knowledge base."""
    data = _cached()
    if data is None:
        return knowledge_base()
    forms: defaultdict[str, list[Form]] = defaultdict(list)
    for k, fs in data["forms"].items():
        if k in text:
            forms[k] = [Form(*f) for f in fs]
    kb = KnowledgeBase(
        entities=_entities(), forms=forms,
        offices=[Office(c, r, h, dt.date.fromisoformat(s), dt.date.fromisoformat(e) if e else None)
                 for c, r, h, s, e in data["offices"]],
        **data["rest"],
    )
    if forms:  # an automaton without words cannot scan: a query_kb without forms finds nothing
        kb.build()
    return kb
