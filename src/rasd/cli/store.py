"""CLI commands over the store: ingest, search, and the analyst's listings. Every listing takes --json."""

from __future__ import annotations

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
from rasd.errors import InputError


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


def paging(default: int):
    """--limit, --offset and --cursor, the same on every listing."""
    def deco(f):
        f = click.option("--cursor", metavar="CURSOR", help="Continue after the last page (printed on stderr as next:).")(f)
        f = click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many rows first.")(f)
        return click.option("--limit", type=int, default=default, show_default=True, callback=positive_int,
                            help="Rows to show (at most 1000; see --cursor for the rest).")(f)
    return deco


def _footer(page, noun: str) -> None:
    """On stderr: how many rows matched, how many are shown, and how to get the next page."""
    shown = len(page.items)
    total = page.total if page.total is not None else shown
    msg = f"{total:,} {noun} matched, {shown:,} shown" if total != shown else f"{total:,} {noun}"
    if page.next_cursor:
        msg += f"; next page: --cursor {page.next_cursor}"
    click.echo(msg, err=True)


@click.command(context_settings={"ignore_unknown_options": True})
@click.argument("query", nargs=-1, required=True)
@db_option
@click.option("--not", "excluded", multiple=True, metavar="WORD", help="Leave out documents with this word or phrase (repeatable).")
@click.option("--entity", help="Only documents that mention this entity (any name or spelling).")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--outlet")
@click.option("--type", "etype", metavar="EVENT", callback=event_type_choice, help="Only documents with an event of this PLOVER type.")
@paging(20)
@json_option
def search(query, db, excluded, entity, since, until, outlet, etype, limit, offset, cursor, as_json):
    """Arabic-aware full-text search, ranked by BM25, with highlighted snippets.

    Words must all match; "quoted phrases"; OR between terms; -word (or --not WORD) excludes:
    rasd search روسيا -أوكرانيا, or rasd search "روسيا -أوكرانيا". At most 500 characters.
    """
    from rasd.store import query as q

    page = q.search(_open(db), " ".join(query), exclude=excluded, entity=entity, since=since, until=until,
                    outlet=outlet, type=etype, limit=limit, offset=offset, cursor=cursor)
    if as_json:
        emit_json(page.items)
    else:
        _table(f"{page.total:,} matched, first {len(page.items):,} shown" if not (offset or cursor) else
               f"{page.total:,} matched, {len(page.items):,} shown", ["score", "published", "outlet", "title", "snippet"],
               [[f"{h['score']:.2f}", h["published"], h["outlet"], h["title"], h["snippet"]] for h in page.items])
    if page.next_cursor:
        click.echo(f"next page: --cursor {page.next_cursor}", err=True)

@click.command("entities")
@db_option
@click.option("--type", "etype", callback=entity_type_choice, help="PERSON, GPE, ORG, LOC, FACILITY, WEAPON, EVENT ...")
@click.option("--name", "q", metavar="TEXT", help="Only entities whose name or id contains this.")
@click.option("--sort", type=click.Choice(["documents", "id"]), default="documents", show_default=True)
@paging(50)
@json_option
def entities_cmd(db, etype, q, sort, limit, offset, cursor, as_json):
    """Entities in the store, most-reported first."""
    from rasd.store import query

    page = query.entities(_open(db), type=etype, q=q, sort=sort, limit=limit, offset=offset, cursor=cursor, count=True)
    _footer(page, "entities")
    if as_json:
        return emit_json(page.items)
    _table("entities", ["id", "name", "name_ar", "type", "documents", "mentions"],
           [[r["id"], r["name"], r["name_ar"], r["type"], r["documents"], r["mentions"]] for r in page.items])

@click.command()
@click.argument("name")
@db_option
@json_option
def entity(name, db, as_json):
    """Profile of one entity: aliases, spellings seen, mentions over time, co-occurring entities, events."""
    from rasd.store import query

    p = query.entity(_open(db), name)
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
@click.option("--entity", help="Claims whose subject or source is this entity.")
@click.option("--unit", callback=unit_choice, help="troops, containers, artillery_shells, missiles ...")
@click.option("--since", metavar="DATE", help="The claim's date (else its article's) on or after this.")
@click.option("--until", metavar="DATE")
@click.option("--outlet")
@paging(100)
@json_option
def claims(db, subject, entity, unit, since, until, outlet, limit, offset, cursor, as_json):
    """Quantitative claims over time, with source, date and document."""
    from rasd.store import query

    page = query.claims(_open(db), subject=subject, entity=entity, unit=unit, since=since, until=until, outlet=outlet,
                        limit=limit, offset=offset, cursor=cursor, count=True)
    _footer(page, "claims")
    if as_json:
        return emit_json(page.items)
    _table(f"{len(page.items):,} of {page.total:,} claims", ["date", "figure", "unit", "subject", "source", "modality", "document"],
           [[(c["date"] or {}).get("value") or (c["date"] or {}).get("text") or c["source_document"]["published"],
             _fmt_figure(c), c["unit"], c["subject"], (c["source"] or {}).get("text", "—"), c["modality"],
             c["source_document"]["source"]["path"] or c["id"]] for c in page.items])

@click.command()
@db_option
@click.option("--entity", help="Events with this entity in any role.")
@click.option("--actor", help="Events with this entity as an actor.")
@click.option("--type", "etype", callback=event_type_choice, help="A PLOVER type (ASSAULT, MOBILIZE, REJECT ...).")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--outlet", help="Only events reported by this outlet (not with --incidents).")
@click.option("--incidents", "merged", is_flag=True, help="One row per incident, with every reporting document.")
@click.option("--min-reports", type=int, default=1, show_default=True, help="With --incidents: reported by at least N documents.")
@paging(100)
@json_option
def events(db, entity, actor, etype, since, until, outlet, merged, min_reports, limit, offset, cursor, as_json):
    """PLOVER events, oldest first; with --incidents, incidents newest first."""
    from rasd.store import query

    store = _open(db)
    if merged:
        if outlet:
            raise query.BadRequest("--outlet does not apply to --incidents (an incident has many outlets)")
        page = query.incidents(store, entity=entity, actor=actor, type=etype, since=since, until=until,
                               min_reports=min_reports, limit=limit, offset=offset, cursor=cursor, count=True)
        _footer(page, "incidents")
        if as_json:
            return emit_json(page.items)
        return _table("incidents", ["date", "type", "actors", "targets", "place", "reports", "outlets"],
                      [[r["date"], r["type"], ", ".join(r["actors"]), ", ".join(r["targets"]), r["place"],
                        r["reports"], ", ".join(r["outlets"])] for r in page.items])
    page = query.events(store, entity=entity, actor=actor, type=etype, since=since, until=until, outlet=outlet,
                        limit=limit, offset=offset, cursor=cursor, count=True)
    _footer(page, "events")
    if as_json:
        return emit_json(page.items)
    _events_table(page.items)

@click.command()
@db_option
@click.option("--entity")
@paging(100)
@json_option
@click.pass_context
def timeline(ctx, db, entity, limit, offset, cursor, as_json):
    """Events in date order (same as `rasd events`, for one entity's story)."""
    ctx.invoke(events, db=db, entity=entity, actor=None, etype=None, since=None, until=None, outlet=None, merged=False,
               min_reports=1, limit=limit, offset=offset, cursor=cursor, as_json=as_json)

@click.command("stories")
@db_option
@click.option("--min-documents", type=int, default=1, show_default=True, help="Stories of at least N documents.")
@click.option("--outlet", help="Stories this outlet reported.")
@paging(50)
@json_option
def stories_cmd(db, min_documents, outlet, limit, offset, cursor, as_json):
    """Near-duplicate and rewritten articles grouped into stories (newest first), with outlets and first-seen time."""
    from rasd.store import query

    page = query.stories(_open(db), min_documents=min_documents, outlet=outlet, limit=limit, offset=offset, cursor=cursor,
                         count=True)
    _footer(page, "stories")
    if as_json:
        return emit_json(page.items)
    _table("stories", ["story", "first seen", "documents", "outlets", "title"],
           [[s["story"], s["first_seen"], len(s["documents"]), ", ".join(s["outlets"]), s["title"]] for s in page.items])

@click.command("disagreements")
@db_option
@click.option("--subject")
@click.option("--unit", callback=unit_choice)
@click.option("--kind", type=click.Choice(["figures", "denial"]))
@paging(100)
@json_option
def disagreements_cmd(db, subject, unit, kind, limit, offset, cursor, as_json):
    """Figures that cannot both be true, and events one source asserts and another denies."""
    from rasd.store import query

    page = query.disagreements(_open(db), subject=subject, unit=unit, kind=kind, limit=limit, offset=offset, cursor=cursor,
                               count=True)
    rows = page.items
    if rows or page.total:
        _footer(page, "disagreements")
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
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "xlsx", "geojson", "parquet"]), default="jsonl", show_default=True)
@click.option("--what", type=click.Choice(["documents", "claims", "events", "entities"]), default="documents", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here (default: standard output).")
@click.option("--q", "q", metavar="QUERY", help="documents, entities: a search query (entities: a name).")
@click.option("--entity")
@click.option("--subject", help="claims")
@click.option("--unit", callback=unit_choice, help="claims")
@click.option("--actor", help="events")
@click.option("--type", "etype", help="events: a PLOVER type; entities: an entity type")
@click.option("--since", metavar="DATE")
@click.option("--until", metavar="DATE")
@click.option("--outlet")
def export(db, fmt, what, output, q, entity, subject, unit, actor, etype, since, until, outlet):
    """Export documents, claims, events or entities (JSON Lines, CSV for Excel, XLSX, GeoJSON, Parquet), with the listings' filters."""
    import shutil
    import tempfile

    from rasd.store import export as ex

    given = {"q": q, "entity": entity, "subject": subject, "unit": unit, "actor": actor, "type": etype, "since": since,
             "until": until, "outlet": outlet}
    filters = {k: v for k, v in given.items() if v not in (None, "")}
    store = _open(db)
    if fmt == "parquet":  # a binary file: rasd export --format parquet > table.parquet (see rasd.scale.parquet)
        from rasd.scale.parquet import export_parquet

        ex.check(what, "jsonl")
        rows = ex.rows(store, what, **filters)
        if output:
            with open(output, "wb") as fh:
                export_parquet(rows, fh)
        else:
            export_parquet(rows)
        return
    ex.check(what, fmt)
    if fmt == "xlsx":
        if output is None and sys.stdout.isatty():
            raise InputError("-", "XLSX is binary: pass -o FILE.xlsx or redirect standard output")
        rows = ex.rows(store, what, **filters)
        if output:
            ex.xlsx(what, rows, output)
            return
        with tempfile.TemporaryFile() as tmp:
            ex.xlsx(what, rows, tmp)
            tmp.seek(0)
            shutil.copyfileobj(tmp, sys.stdout.buffer)
        return
    chunks = ex.stream(store, what, fmt, **filters)
    fh = open(output, "w", encoding="utf-8", newline="") if output else None
    try:
        for chunk in chunks:
            if fh:
                fh.write(chunk)
            else:
                sys.stdout.buffer.write(chunk.encode("utf-8"))
    finally:
        if fh:
            fh.close()
        sys.stdout.flush()


@click.command("stats")
@db_option
@json_option
def stats_cmd(db, as_json):
    """Counts of documents, entities, claims, events, stories; freshness of each watched source."""
    from rasd.monitor.registry import freshness
    from rasd.store.query import stats

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
