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

from sqlalchemy import Connection

from rasd.store.dedupe import SAME_STORY, similarity
from rasd.store.sql import Sql, marks

# Plain SQL through the driver (rasd.store.sql): these run once or more per stored document and event.
_CANDIDATES = "SELECT id, story_id, minhash FROM documents WHERE id IN (SELECT doc_id FROM lsh_bands WHERE key IN ({}))"


def assign_story(db: Sql, doc_id: str, sig, doc_bands: list[str], first_seen: str | None,
                 title: str | None) -> tuple[int, int]:
    """The story (row id) of a new document — its own, or the merge of every story it is a near-duplicate
    of — and the change in the number of stories (1 for a new one, 1 - n for n merged)."""
    linked = set()
    for other, story, stored in db.rows(_CANDIDATES.format(marks(len(doc_bands))), doc_bands) if doc_bands else ():
        if other != doc_id and story is not None and stored is not None and similarity(sig, stored) >= SAME_STORY:
            linked.add(story)
    if not linked:
        return db.insert_id('INSERT INTO stories ("key", first_seen, title) VALUES (?, ?, ?)', (doc_id, first_seen, title)), 1
    ids = sorted(linked)
    rows = db.rows(f'SELECT id, first_seen, title, "key" FROM stories WHERE id IN ({marks(len(ids))})', ids)
    keep = min(rows, key=lambda r: (r[3] or "", r[0]))
    key, story_title = (doc_id, title) if doc_id < (keep[3] or "") else (keep[3], keep[2])
    firsts = [r[1] for r in rows if r[1]] + ([first_seen] if first_seen else [])
    others = [r[0] for r in rows if r[0] != keep[0]]
    if others:
        db.run(f"UPDATE documents SET story_id = ? WHERE story_id IN ({marks(len(others))})", (keep[0], *others))
        db.run(f"DELETE FROM stories WHERE id IN ({marks(len(others))})", others)
    db.run('UPDATE stories SET "key" = ?, title = ?, first_seen = ? WHERE id = ?',
           (key, story_title, min(firsts) if firsts else None, keep[0]))
    return keep[0], -len(others)


def event_key(doc_id: str, start: int, end: int, etype: str) -> str:
    return f"{doc_id}:{start:07d}:{end:07d}:{etype}"


def _related(actors: set[str], place: str | None, dated: bool, other_actors: set[str], other_place: str | None) -> bool:
    if not actors & other_actors:
        return False
    if place and other_place and place != other_place:
        return False
    return dated or actors == other_actors  # undated: only the very same participants


_DATED = "SELECT actors, place, incident_id FROM events WHERE type = ? AND date_value = ? AND incident_id IS NOT NULL"
_UNDATED = ("SELECT actors, place, incident_id FROM events WHERE incident_id IN (SELECT id FROM incidents "
            "WHERE type = ? AND date_value IS NULL AND actors = ?) AND incident_id IS NOT NULL")


def incident_for(db: Sql, key: str, etype: str, actors: list[str], date_value: str | None, place: str | None) -> int:
    """The incident of an event that is not yet in one: its own (a new row), or the merge of every
    incident it is the same as. Events of merged incidents move to the one kept; the event's own row
    (if it is stored already) is left for the caller to point at the id returned."""
    mine = set(actors)
    mine_json = json.dumps(sorted(mine))
    # An event without actors is related to no other (``_related`` needs a shared actor): no look-up,
    # which would read every actor-less event of the type (or of the type and day). Undated events
    # join only events with the very same actors: the incidents of those actors, found by the index
    # incidents (type, actors) WHERE date_value IS NULL (migration 0007_incidx), not by a scan.
    if not mine:
        found = []
    else:
        found = db.rows(_DATED, (etype, date_value)) if date_value else db.rows(_UNDATED, (etype, mine_json))
    linked = {inc for acts, p, inc in found if _related(mine, place, bool(date_value), set(json.loads(acts)), p)}
    if not linked:
        return db.insert_id('INSERT INTO incidents ("key", type, date_value, place, actors) VALUES (?, ?, ?, ?, ?)',
                            (key, etype, date_value, place, mine_json))
    ids = sorted(linked)
    rows = db.rows(f'SELECT id, actors, place, "key" FROM incidents WHERE id IN ({marks(len(ids))})', ids)
    keep = min(rows, key=lambda r: (r[3] or "", r[0]))
    all_actors = sorted(mine.union(*(json.loads(r[1]) for r in rows)))
    places = sorted({p for p in [place, *(r[2] for r in rows)] if p})
    others = [r[0] for r in rows if r[0] != keep[0]]
    if others:
        db.run(f"UPDATE events SET incident_id = ? WHERE incident_id IN ({marks(len(others))})", (keep[0], *others))
        db.run(f"DELETE FROM incidents WHERE id IN ({marks(len(others))})", others)
    db.run('UPDATE incidents SET "key" = ?, actors = ?, place = ? WHERE id = ?',
           (min(key, keep[3] or key), json.dumps(all_actors), places[0] if places else None, keep[0]))
    return keep[0]


def assign_incident(db: Sql, event_id: int, key: str, etype: str, actors: list[str], date_value: str | None,
                    place: str | None) -> int:
    """Put a stored event (without an incident) in its incident."""
    inc = incident_for(db, key, etype, actors, date_value, place)
    db.run("UPDATE events SET incident_id = ? WHERE id = ?", (inc, event_id))
    return inc


def relink(conn: Connection) -> None:
    """Rebuild every story and incident from the stored documents and events (the same result as
    ingesting them, in any order)."""
    from types import SimpleNamespace

    import numpy as np

    db = Sql(conn)
    db.run("UPDATE documents SET story_id = NULL")
    db.run("DELETE FROM stories")
    for doc_id, minhash, published, title, ingested_at in db.rows(
            "SELECT id, minhash, published, title, ingested_at FROM documents ORDER BY id"):
        first_seen = published or ingested_at
        if minhash is None:
            story = db.insert_id('INSERT INTO stories ("key", first_seen, title) VALUES (?, ?, ?)', (doc_id, first_seen, title))
        else:
            sig = SimpleNamespace(hashvalues=np.frombuffer(minhash, dtype=np.uint64))
            keys = db.column("SELECT key FROM lsh_bands WHERE doc_id = ?", (doc_id,))
            story, _ = assign_story(db, doc_id, sig, keys, first_seen, title)
        db.run("UPDATE documents SET story_id = ? WHERE id = ?", (story, doc_id))
    db.run("UPDATE events SET incident_id = NULL")
    db.run("DELETE FROM incidents")
    for event_id, doc_id, start, end, etype, actors, date_value, place in db.rows(
            'SELECT id, doc_id, start, "end", type, actors, date_value, place FROM events ORDER BY id'):
        assign_incident(db, event_id, event_key(doc_id, start, end, etype), etype, sorted(set(json.loads(actors))),
                        date_value, place)
