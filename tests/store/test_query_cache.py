"""The query layer's cache of whole-store aggregates (disagreements, entity counts, event places): one
computation per state of the store, redone after an ingest; callers that do not wait (the dashboard)
get the previous state's value, or Pending, while a background thread computes the new one."""

import threading
import time

import pytest

from rasd.store import analysis, open_store, query
from rasd.store.ingest import ingest
from store.bulk import documents


@pytest.fixture
def store(db_url):
    s = open_store(db_url)
    ingest(s, documents(0, 6))
    yield s
    s.close()


@pytest.fixture
def slow(monkeypatch):
    """analysis.disagreements made slow (and counted), released by setting the event."""
    calls, gate = [], threading.Event()
    real = analysis.disagreements

    def slow_disagreements(*a, **kw):
        calls.append(1)
        gate.wait(10)
        return real(*a, **kw)

    monkeypatch.setattr(analysis, "disagreements", slow_disagreements)
    monkeypatch.setattr(query, "_GRACE", 0.01)
    return calls, gate


def _finish(gate):
    gate.set()
    for t in list(query._RUNNING.values()):
        t.join(10)


def test_computed_once_per_state_and_again_after_an_ingest(store, slow):
    calls, gate = slow
    gate.set()
    first = query.disagreements(store, count=True).total
    query.disagreements(store)
    query.disagreements(store, kind="figures")
    assert len(calls) == 1
    ingest(store, documents(6, 12))
    assert query.disagreements(store, count=True).total >= first
    assert len(calls) == 2


def test_not_waiting_is_pending_then_ready(store, slow):
    calls, gate = slow
    with pytest.raises(query.Pending):
        query.disagreements(store, wait=False)
    with pytest.raises(query.Pending):  # still computing: no second computation started
        query.disagreements(store, wait=False)
    assert len(calls) == 1
    _finish(gate)
    assert query.disagreements(store, wait=False, count=True).total == query.disagreements(store, count=True).total
    assert len(calls) == 1


def test_after_an_ingest_the_previous_value_is_shown_while_the_new_one_computes(store, slow):
    calls, gate = slow
    gate.set()
    before = query.disagreements(store, count=True).total
    gate.clear()
    ingest(store, documents(6, 12))
    t0 = time.perf_counter()
    assert query.disagreements(store, wait=False, count=True).total == before  # stale, at once
    assert time.perf_counter() - t0 < 5
    _finish(gate)
    after = query.disagreements(store, wait=False, count=True).total
    assert after == len(analysis.disagreements(store))
    assert len(calls) == 3


def test_warm_computes_the_whole_store_aggregates(store):
    query.warm(store).join(60)
    gen = query._generation(store)
    assert query._CACHE[("disagreements:None:None", store.url)][0] == gen
    assert query._CACHE[("entities", store.url)][0] == gen
    assert query._CACHE[("stats", store.url)][0] == gen
    days = [k for k in query._CACHE if k[0].startswith("days:") and k[1] == store.url]
    assert days and query.event_days(store) == query._CACHE[days[0]][1]


def test_warm_runs_the_callers_first_and_computes_the_top_profiles(store, monkeypatch):
    monkeypatch.setattr(query, "WARM_PROFILES", 2)
    seen = []
    query.warm(store, first=[seen.append]).join(60)
    assert seen == [store]
    gen = query._generation(store)
    top = [e["id"] for e in query.entities(store, limit=3).items]
    cached = {k[0] for k, v in query._CACHE.items() if k[1] == store.url and v[0] == gen}
    assert {f"entity:{e}" for e in top[:2]} <= cached and f"entity:{top[2]}" not in cached


def test_a_stale_profile_is_shown_after_an_ingest_and_a_new_one_is_computed_at_once(store, monkeypatch):
    calls, gate = [], threading.Event()
    real = analysis.entity_profile

    def slow_profile(*a, **kw):
        calls.append(1)
        gate.wait(10)
        return real(*a, **kw)

    monkeypatch.setattr(analysis, "entity_profile", slow_profile)
    monkeypatch.setattr(query, "_GRACE", 0.01)
    gate.set()
    before = query.entity(store, "north-korea", stale=True)  # never computed: computed now
    assert len(calls) == 1 and before["mentions_by_day"]
    gate.clear()
    ingest(store, documents(6, 12))
    t0 = time.perf_counter()
    assert query.entity(store, "north-korea", stale=True) == before  # the previous state's, at once
    assert time.perf_counter() - t0 < 5
    _finish(gate)
    after = query.entity(store, "north-korea", stale=True)
    assert after == query.entity(store, "north-korea") and after != before  # the new state's, computed once
    assert len(calls) == 2
