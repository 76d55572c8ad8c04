"""CLI commands over the store: ingest, search, and the analyst's listings. Every listing takes --json."""

from __future__ import annotations

import csv
import json
import sys
import time

import click

from rasd.cli.common import (
    check_date,
    db_option,
    emit_json,
    entity_type_choice,
    event_type_choice,
    json_option,
    note_skipped,
    out,
    positive_int,
    unit_choice,
    with_progress,
)
from rasd.cli.common import open_store as _open
from rasd.cli.common import table as _table
from rasd.cli.scale import engine_options


def _fmt_figure(c: dict) -> str:
    if c["value"] is not None:
        v = f"{c['value']:,.0f}"
    else:
        v = f"{c['low']:,.0f}–{c['high']:,.0f}"
    q = {"exact": "", "about": "~", "more_than": ">", "less_than": "<", "up_to": "≤"}[c["qualifier"]]
    return q + v


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--published", metavar="DATE", help="Publication date for inputs that do not state one.")
@click.option("--batch", type=int, default=50, show_default=True, callback=positive_int, help="Documents per transaction.")
@click.option("--no-progress", is_flag=True)
@click.option("--ner", type=click.Choice(["off", "fast", "full"]), default=None,
              help="Also find names with the trained NER model (see rasd extract --help).")
@engine_options
def ingest(inputs, db, published, batch, no_progress, ner, engine, workers, scheduler):
    """Extract and store articles (files, folders, Parquet archives); the same article twice is stored
    once, and an interrupted run resumes."""
    from rasd.cli.scale import check_engine, outcomes
    from rasd.scale.inputs import iter_items
    from rasd.sources.files import iter_paths
    from rasd.store.ingest import IngestStats, only_new
    from rasd.store.ingest import ingest as store_docs

    check_engine(engine, workers, scheduler)
    check_date(published)
    store = _open(db, create=True)
    paths = list(iter_paths(list(inputs), on_skip=note_skipped))
    stats = IngestStats()
    items = iter_items(with_progress(paths, no_progress))

    def keep(cleaned):  # a re-run or a resumed ingest does not annotate what is stored already
        return only_new(store, cleaned, stats, doc_of=lambda outcome: outcome[1])

    def documents(results):
        for _where, doc, error in results:
            if error is not None:
                stats.errors.append(error)
                click.echo(f"rasd: {error}", err=True)
                continue
            yield doc

    t0 = time.perf_counter()
    try:
        with outcomes(items, engine=engine, workers=workers, scheduler=scheduler, published=published, ner=ner,
                      keep=keep) as results:
            store_docs(store, _noted(documents(results)), batch_size=batch, stats=stats)
    finally:
        items.close()  # close the progress bar now, not at interpreter exit (where it cannot import)
        store.close()
    secs = time.perf_counter() - t0
    click.echo(
        f"{stats.stored} stored, {stats.skipped} already there, {len(stats.errors)} failed, "
        f"{stats.new_stories} new stories ({stats.seen / max(secs, 1e-9):,.0f} docs/s)", err=True,
    )
    if stats.errors:
        sys.exit(1)

def _noted(docs):
    """Pass documents through, saying on stderr what the pipeline could not do for one (its notes)."""
    for doc in docs:
        for note in doc.notes:
            click.echo(f"rasd: {doc.source_path or '-'}: {note}", err=True)
        yield doc


@click.command()
@click.argument("query")
@db_option
@click.option("--entity", help="Only documents that mention this entity (any name or spelling).")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--outlet")
@click.option("--type", "etype", metavar="EVENT", callback=event_type_choice, help="Only documents with an event of this PLOVER type.")
@click.option("--limit", type=int, default=20, show_default=True, callback=positive_int)
@json_option
def search(query, db, entity, since, until, outlet, etype, limit, as_json):
    """Arabic-aware full-text search, ranked by BM25, with highlighted snippets.

    Words must all match; "quoted phrases"; OR between terms; -word excludes.
    """
    from rasd.store.analysis import resolve_entity
    from rasd.store.search import search as run

    for d in (since, until):
        check_date(d)
    store = _open(db)
    hits = run(store, query, entity=resolve_entity(store, entity) if entity else None, since=since, until=until,
               outlet=outlet, event_type=etype, limit=limit)
    if as_json:
        emit_json([h.to_json() for h in hits])
    else:
        _table(f"{len(hits)} hits for {query}", ["score", "published", "outlet", "title", "snippet"],
               [[f"{h.score:.2f}", h.published, h.outlet, h.title, h.snippet] for h in hits])

@click.command("entities")
@db_option
@click.option("--type", "etype", callback=entity_type_choice, help="PERSON, GPE, ORG, LOC, FACILITY, WEAPON, EVENT ...")
@click.option("--limit", type=int, default=50, show_default=True, callback=positive_int)
@json_option
def entities_cmd(db, etype, limit, as_json):
    """Entities in the store, most-reported first."""
    from rasd.store.analysis import entities

    rows = entities(_open(db), limit=limit, etype=etype)
    if as_json:
        return emit_json(rows)
    _table("entities", ["id", "name", "name_ar", "type", "documents", "mentions"],
           [[r["id"], r["name"], r["name_ar"], r["type"], r["documents"], r["mentions"]] for r in rows])

@click.command()
@click.argument("name")
@db_option
@json_option
def entity(name, db, as_json):
    """Profile of one entity: aliases, spellings seen, mentions over time, co-occurring entities, events."""
    from rasd.store.analysis import entity_profile, resolve_entity

    store = _open(db)
    p = entity_profile(store, resolve_entity(store, name))
    if as_json:
        return emit_json(p)
    out.print(f"[bold]{p['name']}[/bold]  {p['name_ar'] or ''}  ({p['type']}, {p['wikidata'] or 'no wikidata'})")
    out.print("spellings seen: " + "، ".join(f"{k} ×{v}" for k, v in p["spellings_seen"].items()))
    _table("mentions by month", ["month", "documents"], [[m["month"], m["documents"]] for m in p["mentions_by_month"]])
    _table("co-occurring", ["entity", "documents"], [[c["name"], c["documents"]] for c in p["co_occurring"]])
    _events_table(p["events"])

@click.command()
@db_option
@click.option("--subject", help="Entity whose figure it is (e.g. \"North Korea\").")
@click.option("--unit", callback=unit_choice, help="troops, containers, artillery_shells, missiles ...")
@click.option("--limit", type=int, callback=positive_int)
@json_option
def claims(db, subject, unit, limit, as_json):
    """Quantitative claims over time, with source, date and document."""
    from rasd.store.analysis import iter_claims, resolve_entity

    store = _open(db)
    rows = list(iter_claims(store, subject=resolve_entity(store, subject) if subject else None, unit=unit, limit=limit))
    if as_json:
        return emit_json(rows)
    _table(f"{len(rows)} claims", ["date", "figure", "unit", "subject", "source", "modality", "document"],
           [[(c["date"] or {}).get("value") or (c["date"] or {}).get("text") or c["source_document"]["published"],
             _fmt_figure(c), c["unit"], c["subject"], (c["source"] or {}).get("text", "—"), c["modality"],
             c["source_document"]["source"]["path"] or c["id"]] for c in rows])

@click.command()
@db_option
@click.option("--entity")
@click.option("--type", "etype", metavar="EVENT", callback=event_type_choice, help="A PLOVER event type.")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--incidents", "merged", is_flag=True, help="One row per incident, with every reporting document.")
@json_option
def events(db, entity, etype, since, until, merged, as_json):
    """PLOVER events, oldest first."""
    from rasd.store.analysis import incidents, iter_events, resolve_entity

    for d in (since, until):
        check_date(d)
    store = _open(db)
    eid = resolve_entity(store, entity) if entity else None
    if merged:
        rows = incidents(store, entity=eid)
        if as_json:
            return emit_json(rows)
        return _table("incidents", ["type", "actors", "targets", "date", "reports", "outlets"],
                      [[r["type"], ", ".join(r["actors"]), ", ".join(r["targets"]), (r["date"] or {}).get("value"),
                        r["reports"], ", ".join(r["outlets"])] for r in rows])
    rows = list(iter_events(store, entity=eid, etype=etype, since=since, until=until))
    if as_json:
        return emit_json(rows)
    _events_table(rows)

@click.command()
@db_option
@click.option("--entity")
@json_option
@click.pass_context
def timeline(ctx, db, entity, as_json):
    """Events in date order (same as `rasd events`, for one entity's story)."""
    ctx.invoke(events, db=db, entity=entity, etype=None, since=None, until=None, merged=False, as_json=as_json)

@click.command("stories")
@db_option
@click.option("--limit", type=int, default=50, show_default=True, callback=positive_int)
@json_option
def stories_cmd(db, limit, as_json):
    """Near-duplicate and rewritten articles grouped into stories, with outlets and first-seen time."""
    from rasd.store.analysis import stories

    rows = stories(_open(db), limit=limit)
    if as_json:
        return emit_json(rows)
    _table("stories", ["story", "first seen", "documents", "outlets", "title"],
           [[s["story"], s["first_seen"], len(s["documents"]), ", ".join(s["outlets"]), s["title"]] for s in rows])

@click.command("disagreements")
@db_option
@click.option("--subject")
@click.option("--unit", callback=unit_choice)
@json_option
def disagreements_cmd(db, subject, unit, as_json):
    """Figures that cannot both be true, and events one source asserts and another denies."""
    from rasd.store.analysis import disagreements, resolve_entity

    store = _open(db)
    rows = disagreements(store, subject=resolve_entity(store, subject) if subject else None, unit=unit)
    if as_json:
        return emit_json(rows)
    for d in rows:
        a, b = d["sides"]
        if d["kind"] == "figures":
            out.print(f"[bold]{d['subject']} / {d['unit']} ({d['period']})[/bold]: {_fmt_figure(a)} vs {_fmt_figure(b)}")
        else:
            out.print(f"[bold]{d['type']} asserted, denied by {', '.join(d['denied_by'])}[/bold]")
        for side in (a, b):
            src = (side["source"] or {}).get("text") or "no source in text"
            out.print(f"  • {src} — {side['sentence']}  [{side['source_document']['source']['path'] or side['id']}]",
                      markup=False, highlight=False)
    if not rows:
        out.print("no disagreements")

@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--what", type=click.Choice(["documents", "claims", "events", "entities"]), default="documents", show_default=True)
def export(db, fmt, what):
    """Export documents, claims, events or entities as JSON Lines, CSV or Parquet on standard output."""
    from rasd.store.analysis import export_rows

    rows = export_rows(_open(db), what)
    if fmt == "parquet":  # a binary file: rasd export --format parquet > table.parquet
        return __import__("rasd.scale.parquet", fromlist=["export_parquet"]).export_parquet(rows)
    if fmt == "jsonl":
        for r in rows:
            click.echo(json.dumps(r, ensure_ascii=False, default=str))
        return
    writer = None
    for r in rows:
        flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v for k, v in r.items()}
        if writer is None:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(flat))
            writer.writeheader()
        writer.writerow(flat)

@click.command("stats")
@db_option
@json_option
def stats_cmd(db, as_json):
    """Counts of documents, entities, claims, events, stories; freshness of each watched source."""
    from rasd.monitor.registry import freshness
    from rasd.store.analysis import stats

    store = _open(db)
    s = stats(store)
    fresh = freshness(store)
    if as_json:
        return emit_json({**s, "sources": fresh})
    _table("store", ["what", "count"], [[k, v] for k, v in s.items()])
    if fresh:
        _table("watched sources", ["id", "url", "last poll", "status", "seen", "stored", "errors", "pending", "median delay"],
               [[f["id"], f["url"], f["last_poll"], f["last_status"], f["items_seen"], f["items_stored"], f["errors"],
                 f["pending"], _delay(f["median_delay_seconds"])] for f in fresh])


def _delay(secs: float | None) -> str:
    if secs is None:
        return "—"
    return f"{secs / 3600:.1f} h" if secs >= 3600 else f"{secs / 60:.0f} min" if secs >= 60 else f"{secs:.0f} s"


def _events_table(rows: list[dict]) -> None:
    _table(f"{len(rows)} events", ["date", "type", "actors", "targets", "place", "source", "document"],
           [[(e["date"] or {}).get("value") or (e["date"] or {}).get("text") or e["source_document"]["published"],
             e["type"] + (" (negated)" if e["negated"] else ""), ", ".join(e["actors"]), ", ".join(e["targets"]), e["place"],
             (e["source"] or {}).get("text"), e["source_document"]["source"]["path"] or e["id"]] for e in rows])
