"""Stories and incidents as a function of the set of documents, not of the order they arrived in.

* A **story** is a connected component of the "near-duplicate" graph (estimated Jaccard of word
  5-shingles ≥ SAME_STORY between two documents; LSH bands find the candidates). Its key is the
  smallest document id in it, its title that document's title, its first-seen time the earliest
  publication. A new document linked to several stories merges them.
* An **incident** is a connected component of the "same incident" graph over events: the same type,
  a shared actor, compatible places (equal, or one unknown) and the same date — or, undated, the very
  same actors. Its key is the smallest event key (document id, offsets, type) in it.

Both are merged as documents arrive, so ingesting the same documents in any order (or in batches,
or again) leaves the same stories and incidents; ``relink`` rebuilds them from scratch.
"""

from __future__ import annotations

import json

from sqlalchemy import Connection, bindparam, select, update

from rasd.store import schema as t
from rasd.store.dedupe import SAME_STORY, similarity

_CANDIDATES = (
    select(t.documents.c.id, t.documents.c.story_id, t.documents.c.minhash)
    .where(t.documents.c.id.in_(select(t.lsh_bands.c.doc_id).where(t.lsh_bands.c.key.in_(bindparam("keys", expanding=True)))))
)


def assign_story(conn: Connection, doc_id: str, sig, doc_bands: list[str], first_seen: str | None,
                 title: str | None) -> tuple[int, int]:
    """The story (row id) of a new document — its own, or the merge of every story it is a near-duplicate
    of — and the change in the number of stories (1 for a new one, 1 - n for n merged)."""
    linked = set()
    for other, story, stored in conn.execute(_CANDIDATES, {"keys": doc_bands}):
        if other != doc_id and story is not None and stored is not None and similarity(sig, stored) >= SAME_STORY:
            linked.add(story)
    if not linked:
        return conn.execute(t.stories.insert(), {"key": doc_id, "first_seen": first_seen, "title": title}).inserted_primary_key[0], 1
    rows = conn.execute(select(t.stories).where(t.stories.c.id.in_(linked))).all()
    keep = min(rows, key=lambda r: (r.key or "", r.id))
    key, story_title = (doc_id, title) if doc_id < (keep.key or "") else (keep.key, keep.title)
    firsts = [r.first_seen for r in rows if r.first_seen] + ([first_seen] if first_seen else [])
    others = [r.id for r in rows if r.id != keep.id]
    if others:
        conn.execute(update(t.documents).where(t.documents.c.story_id.in_(others)).values(story_id=keep.id))
        conn.execute(t.stories.delete().where(t.stories.c.id.in_(others)))
    conn.execute(update(t.stories).where(t.stories.c.id == keep.id).values(
        key=key, title=story_title, first_seen=min(firsts) if firsts else None))
    return keep.id, -len(others)


def event_key(doc_id: str, start: int, end: int, etype: str) -> str:
    return f"{doc_id}:{start:07d}:{end:07d}:{etype}"


def _related(actors: set[str], place: str | None, dated: bool, other_actors: set[str], other_place: str | None) -> bool:
    if not actors & other_actors:
        return False
    if place and other_place and place != other_place:
        return False
    return dated or actors == other_actors  # undated: only the very same participants


_EVENT_COLS = (t.events.c.id, t.events.c.actors, t.events.c.place, t.events.c.incident_id)


def assign_incident(conn: Connection, event_id: int, key: str, etype: str, actors: list[str], date_value: str | None,
                    place: str | None) -> int:
    """Put a stored event in its incident: its own, or the merge of every incident it is the same as."""
    mine = set(actors)
    if date_value:
        q = select(*_EVENT_COLS).where(t.events.c.type == etype, t.events.c.date_value == date_value)
    else:  # undated events join only events with the very same actors: look in incidents of those actors
        incs = select(t.incidents.c.id).where(t.incidents.c.type == etype, t.incidents.c.date_value.is_(None),
                                              t.incidents.c.actors == json.dumps(sorted(mine)))
        q = select(*_EVENT_COLS).where(t.events.c.incident_id.in_(incs))
    linked = {
        r.incident_id for r in conn.execute(q.where(t.events.c.id != event_id, t.events.c.incident_id.is_not(None)))
        if _related(mine, place, bool(date_value), set(json.loads(r.actors)), r.place)
    }
    if not linked:
        inc = conn.execute(t.incidents.insert(), {
            "key": key, "type": etype, "date_value": date_value, "place": place, "actors": json.dumps(sorted(mine))
        }).inserted_primary_key[0]
        conn.execute(update(t.events).where(t.events.c.id == event_id).values(incident_id=inc))
        return inc
    rows = conn.execute(select(t.incidents).where(t.incidents.c.id.in_(linked))).all()
    keep = min(rows, key=lambda r: (r.key or "", r.id))
    all_actors = sorted(mine.union(*(json.loads(r.actors) for r in rows)))
    places = sorted({p for p in [place, *(r.place for r in rows)] if p})
    others = [r.id for r in rows if r.id != keep.id]
    if others:
        conn.execute(update(t.events).where(t.events.c.incident_id.in_(others)).values(incident_id=keep.id))
        conn.execute(t.incidents.delete().where(t.incidents.c.id.in_(others)))
    conn.execute(update(t.events).where(t.events.c.id == event_id).values(incident_id=keep.id))
    conn.execute(update(t.incidents).where(t.incidents.c.id == keep.id).values(
        key=min(key, keep.key or key), actors=json.dumps(all_actors), place=places[0] if places else None))
    return keep.id


def relink(conn: Connection) -> None:
    """Rebuild every story and incident from the stored documents and events (the same result as
    ingesting them, in any order)."""
    from types import SimpleNamespace

    import numpy as np


    conn.execute(update(t.documents).values(story_id=None))
    conn.execute(t.stories.delete())
    docs = conn.execute(select(t.documents.c.id, t.documents.c.minhash, t.documents.c.published, t.documents.c.title,
                               t.documents.c.ingested_at).order_by(t.documents.c.id)).all()
    for d in docs:
        if d.minhash is None:
            story = conn.execute(t.stories.insert(), {"key": d.id, "first_seen": d.published or d.ingested_at,
                                                      "title": d.title}).inserted_primary_key[0]
        else:
            sig = SimpleNamespace(hashvalues=np.frombuffer(d.minhash, dtype=np.uint64))
            keys = list(conn.execute(select(t.lsh_bands.c.key).where(t.lsh_bands.c.doc_id == d.id)).scalars())
            story, _ = assign_story(conn, d.id, sig, keys, d.published or d.ingested_at, d.title)
        conn.execute(update(t.documents).where(t.documents.c.id == d.id).values(story_id=story))
    conn.execute(update(t.events).values(incident_id=None))
    conn.execute(t.incidents.delete())
    for e in conn.execute(select(t.events.c.id, t.events.c.doc_id, t.events.c.start, t.events.c.end, t.events.c.type,
                                 t.events.c.actors, t.events.c.date_value, t.events.c.place).order_by(t.events.c.id)).all():
        assign_incident(conn, e.id, event_key(e.doc_id, e.start, e.end, e.type), e.type, sorted(set(json.loads(e.actors))),
                        e.date_value, e.place)
