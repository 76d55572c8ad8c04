"""Incidents: the linker's merges are the connected components of the "same incident" relation over
all events, however the look-up finds its candidates (migration 0007_incidx's index, no look-up for an
event without actors)."""

import json
import random

from rasd.store import open_store
from rasd.store.linking import _UNDATED, assign_incident, event_key
from rasd.store.sql import Sql

TYPES = ["ASSAULT", "PROTEST"]
ACTORS = ["a", "b", "c", "d"]
PLACES = [None, None, "p", "q"]
DATES = [None, None, "2024-01-01", "2024-01-02"]


def _events(n: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        actors = sorted(set(rng.sample(ACTORS, rng.randint(0, 2))))
        out.append((i * 10, i * 10 + 5, rng.choice(TYPES), actors, rng.choice(DATES), rng.choice(PLACES)))
    return out


def _same(x: tuple, y: tuple) -> bool:
    """The relation spelt out pairwise: same type, a shared actor, compatible places, and the same
    date — or both undated with the very same actors."""
    (_, _, tx, ax, dx, px), (_, _, ty, ay, dy, py) = x, y
    if tx != ty or not set(ax) & set(ay) or (px and py and px != py):
        return False
    return (dx is not None and dx == dy) or (dx is None and dy is None and ax == ay)


def _components(events: list[tuple]) -> set[frozenset[int]]:
    parent = list(range(len(events)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, x in enumerate(events):
        for j in range(i):
            if _same(x, events[j]):
                parent[root(i)] = root(j)
    groups: dict[int, set[int]] = {}
    for i in range(len(events)):
        groups.setdefault(root(i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


def _link(db_url: str, events: list[tuple]) -> tuple[set[frozenset[int]], dict[int, str]]:
    store = open_store(db_url)
    with store.write() as conn:
        db = Sql(conn)
        db.run("INSERT INTO documents (id, text, search_text, ingested_at) VALUES ('d', 't', 't', 'now')")
        ids = []
        for start, end, etype, actors, date_value, place in events:
            ids.append(db.insert_id(
                'INSERT INTO events (doc_id, type, actors, targets, place, date_value, negated, start, "end") '
                "VALUES ('d', ?, ?, '[]', ?, ?, ?, ?, ?)", (etype, json.dumps(actors), place, date_value, False, start, end)))
            assign_incident(db, ids[-1], event_key("d", start, end, etype), etype, actors, date_value, place)
        by_event = dict(db.rows("SELECT id, incident_id FROM events"))
        keys = dict(db.rows('SELECT id, "key" FROM incidents'))
    store.close()
    groups: dict[int, set[int]] = {}
    for i, ev in enumerate(ids):
        groups.setdefault(by_event[ev], set()).add(i)
    return {frozenset(g) for g in groups.values()}, {i: keys[by_event[ev]] for i, ev in enumerate(ids)}


def test_incidents_are_the_components_of_the_same_incident_relation(db_url):
    events = _events(300, seed=5)
    got, keys = _link(db_url, events)
    assert got == _components(events)
    for group in got:  # an incident's key is its smallest event key
        assert {keys[i] for i in group} == {min(event_key("d", events[i][0], events[i][1], events[i][2]) for i in group)}


def test_events_without_actors_are_incidents_of_their_own(db_url):
    events = [(i * 10, i * 10 + 5, "ASSAULT", [], date, None) for i, date in enumerate([None, None, "2024-01-01", "2024-01-01"])]
    got, _ = _link(db_url, events)
    assert got == {frozenset([i]) for i in range(4)}


def test_the_undated_look_up_reads_the_index_not_every_undated_incident(tmp_path):
    store = open_store(str(tmp_path / "s.db"))
    with store.write() as conn:
        plan = " ".join(str(r[-1]) for r in Sql(conn).rows("EXPLAIN QUERY PLAN " + _UNDATED, ("ASSAULT", '["a"]')))
    store.close()
    assert "ix_incidents_undated_actors (type=? AND actors=?)" in plan
