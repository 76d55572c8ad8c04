"""CLI for monitoring: rasd sources add|list|remove, rasd watch, rasd alerts add|list|log|run|remove."""

from __future__ import annotations

import sys
import time

import click

from rasd.cli.common import db_option, emit_json, json_option, stderr
from rasd.cli.common import open_store as _open
from rasd.cli.common import table as _table

allow_private_option = click.option(
    "--allow-private", is_flag=True,
    help="Also fetch (and POST to) loopback, private, link-local and multicast addresses (off: refused).")


@click.group("sources")
def sources() -> None:
    """Watched feeds (RSS/Atom), news sitemaps and pages: rasd sources add|list|remove."""


@sources.command("add")
@click.argument("url")
@db_option
@click.option("--every", default="10m", show_default=True, help="Polling interval: 30m, 2h, 1d ...")
@click.option("--kind", type=click.Choice(["feed", "sitemap", "page"]), help="Guessed when not given (URL, then the first fetch).")
@json_option
def sources_add(url, db, every, kind, as_json):
    """Watch a URL: a feed, a news sitemap or a single page."""
    from rasd.monitor.registry import add_source

    s = add_source(_open(db, create=True), url, every, kind)
    if as_json:
        return emit_json(s)
    click.echo(f"source {s['id']}: {s['url']} ({s['kind'] or 'kind decided at the first fetch'}, every {s['every']})")


@sources.command("list")
@db_option
@json_option
def sources_list(db, as_json):
    """Watched sources with their last poll, counts and last error."""
    from rasd.monitor.registry import list_sources

    rows = list_sources(_open(db))
    if as_json:
        return emit_json(rows)
    _table(f"{len(rows)} sources", ["id", "url", "kind", "every", "last poll", "status", "seen", "stored", "errors", "last error"],
           [[s["id"], s["url"], s["kind"], s["every"], s["last_poll"], s["last_status"], s["items_seen"], s["items_stored"],
             s["errors"], s["last_error"]] for s in rows])


@sources.command("remove")
@click.argument("source_id", type=int)
@db_option
def sources_remove(source_id, db):
    """Stop watching a source (its documents stay in the store)."""
    from rasd.monitor.registry import remove_source

    s = remove_source(_open(db), source_id)
    click.echo(f"removed source {s['id']}: {s['url']}")


def make_fetcher(allow_private: bool, allow_host: tuple[str, ...], timeout: float, delay: float, max_mb: float,
                 user_agent: str | None):
    from rasd.monitor.fetch import USER_AGENT, Fetcher, Guard

    return Fetcher(Guard(allow_private=allow_private, allowed_hosts=set(allow_host)), timeout=timeout, delay=delay,
                   max_bytes=int(max_mb * 1024 * 1024), user_agent=user_agent or USER_AGENT)


@click.command()
@db_option
@click.option("--once", is_flag=True, help="One round over the due sources, then exit (for cron or a systemd timer).")
@click.option("--all", "everything", is_flag=True, help="Poll every source now, due or not.")
@allow_private_option
@click.option("--allow-host", multiple=True, metavar="HOST[:PORT]", help="Allow this one host even if its address is private.")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True, help="Fetches in flight at once.")
@click.option("--delay", type=click.FloatRange(0), default=1.0, show_default=True, help="Seconds between two requests to one host.")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True, help="Seconds to connect or read.")
@click.option("--max-mb", type=click.FloatRange(0.01), default=5.0, show_default=True, help="Largest page or feed accepted (MB).")
@click.option("--user-agent", envvar="RASD_USER_AGENT", help="User-Agent (add a contact address; default names Rasd).")
@json_option
@click.option("--quiet", is_flag=True, help="Only the one-line summary per round.")
def watch(db, once, everything, allow_private, allow_host, workers, delay, timeout, max_mb, user_agent, as_json, quiet):
    """Poll the watched sources when due, store what is new, run the saved searches (alerts)."""
    from rasd.errors import RasdError
    from rasd.monitor.registry import list_sources
    from rasd.monitor.watch import run_round

    store = _open(db, create=True)
    if not list_sources(store):
        raise RasdError("no sources to watch (add one with: rasd sources add URL)")
    say = None if quiet or as_json else (lambda msg: stderr.print(msg, markup=False, highlight=False))
    n = 0
    with make_fetcher(allow_private, allow_host, timeout, delay, max_mb, user_agent) as fetcher:
        try:
            while True:
                n += 1
                report = run_round(store, fetcher, everything=everything, workers=workers, progress=say)
                if as_json:
                    emit_json({"round": n, **report.to_json()})
                else:
                    click.echo(f"round {n}: {report.summary()}", err=True)
                if once:
                    return
                everything = False
                time.sleep(_until_next(store))
        except KeyboardInterrupt:
            click.echo(f"stopped after {n} rounds", err=True)


def _until_next(store) -> float:  # noqa: ANN001
    import datetime as dt

    from rasd.monitor.registry import list_sources, parse_time

    now = dt.datetime.now(dt.UTC)
    waits = [((parse_time(s["next_due"]) or now) - now).total_seconds() for s in list_sources(store)]
    return min(max(min(waits, default=60.0), 1.0), 60.0)


@click.group("alerts")
def alerts() -> None:
    """Saved searches that fire once per new matching story: rasd alerts add|list|log|run|remove."""


@alerts.command("add")
@click.argument("name")
@click.argument("query")
@db_option
@click.option("--entity", metavar="ID", help="Only documents that mention this entity (id or a name the KB knows).")
@click.option("--event-type", metavar="TYPE", help="Only documents with an event of this PLOVER type.")
@click.option("--file", "path", type=click.Path(dir_okay=False), help="Append each hit as a JSON line to this file.")
@click.option("--webhook", metavar="URL", help="POST each hit as JSON to this URL.")
@click.option("--digest", type=click.Choice(["daily"]), help="Roll the hits into one message a day.")
@allow_private_option
@json_option
def alerts_add(name, query, db, entity, event_type, path, webhook, digest, allow_private, as_json):
    """Save a search; it fires on each new matching document (once per story), from now on."""
    from rasd.monitor.alerts import add_alert

    a = add_alert(_open(db, create=True), name, query, entity=entity, event_type=event_type, file=path, webhook=webhook,
                  digest=digest, allow_private=allow_private)
    if as_json:
        return emit_json(a)
    click.echo(f"alert {a['id']} {a['name']!r}: {a['query']} -> {a['file'] or a['webhook'] or 'the alert log'}"
               + (f" ({a['digest']} digest)" if a["digest"] else ""))


@alerts.command("list")
@db_option
@json_option
def alerts_list(db, as_json):
    """Saved searches with their filters, destination and hit counts."""
    from rasd.monitor.alerts import list_alerts

    rows = list_alerts(_open(db))
    if as_json:
        return emit_json(rows)
    _table(f"{len(rows)} alerts", ["id", "name", "query", "entity", "event type", "to", "digest", "hits", "last hit"],
           [[a["id"], a["name"], a["query"], a["entity"], a["event_type"], a["file"] or a["webhook"] or "log", a["digest"],
             a["hits"], a["last_hit"]] for a in rows])


@alerts.command("log")
@db_option
@click.option("--alert", "which", metavar="NAME|ID", help="Only this alert's hits.")
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True)
@json_option
def alerts_log(db, which, limit, as_json):
    """Alert hits, newest first."""
    from rasd.monitor.alerts import alert_log

    rows = alert_log(_open(db), which, limit)
    if as_json:
        return emit_json(rows)
    _table(f"{len(rows)} hits", ["fired", "alert", "published", "title", "url", "delivered", "snippet"],
           [[h["fired_at"], h["alert"], h["published"], h["title"], h["url"], h["delivered_at"] or h["delivery_error"] or "pending",
             h["snippet"]] for h in rows])


@alerts.command("run")
@db_option
@allow_private_option
def alerts_run(db, allow_private):
    """Check the alerts now against documents ingested since their last check (e.g. after rasd ingest)."""
    from rasd.monitor.alerts import run_alerts

    with make_fetcher(allow_private, (), 10.0, 0.0, 1.0, None) as fetcher:
        r = run_alerts(_open(db), fetcher)
    for e in r.errors:
        click.echo(f"rasd: {e}", err=True)
    click.echo(f"{len(r.hits)} alerts fired, {r.delivered} delivered", err=True)
    if r.errors:
        sys.exit(1)


@alerts.command("remove")
@click.argument("which", metavar="NAME|ID")
@db_option
def alerts_remove(which, db):
    """Delete an alert and its log."""
    from rasd.monitor.alerts import remove_alert

    a = remove_alert(_open(db), which)
    click.echo(f"removed alert {a['id']} {a['name']!r}")
