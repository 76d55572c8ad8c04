import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main
from rasd.errors import RasdError

from .site import SYNTHETIC, article_html, rss

ROOT = Path(__file__).resolve().parents[2]


def rasd(*args):
    return subprocess.run([sys.executable, "-m", "rasd", *args], capture_output=True, cwd=ROOT, text=True)


def invoke(*args):
    """In-process, with RasdError turned into (1, 'rasd: ...') as the console entry point does."""
    r = CliRunner().invoke(main, list(args))
    if isinstance(r.exception, RasdError):
        return 1, f"rasd: {r.exception}"
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stdout  # stderr (progress lines) kept apart, so --json output parses


@pytest.fixture
def feed(site):
    entries = []
    for i, (title, paras) in enumerate(SYNTHETIC):
        entries.append((title, site.add(f"/a/{i}.html", article_html(title, paras)), 1730800800.0 + i))
    site.add("/rss", rss(entries), "application/rss+xml")
    return site.url("/rss")


def test_sources_watch_alerts_stats(db_url, feed, tmp_path):
    hits_file = tmp_path / "hits.jsonl"
    code, out = invoke("sources", "add", feed, "--every", "15m", "--db", db_url)
    assert code == 0 and "every 15m" in out and "feed" in out
    assert invoke("alerts", "add", "quake", "زلزال", "--file", str(hits_file), "--db", db_url)[0] == 0
    (src,) = json.loads(invoke("sources", "list", "--json", "--db", db_url)[1])
    assert src["kind"] == "feed" and src["every_seconds"] == 900

    r = rasd("watch", "--once", "--allow-private", "--delay", "0", "--db", db_url)
    assert r.returncode == 0, r.stderr
    assert f"{len(SYNTHETIC)} stored" in r.stderr and "round 1:" in r.stderr and f"source {src['id']} " in r.stderr
    (hit,) = json.loads(invoke("alerts", "log", "--json", "--db", db_url)[1])
    assert hit["alert"] == "quake" and hit["url"].endswith("/a/3.html")
    assert len(hits_file.read_text(encoding="utf-8").splitlines()) == 1
    (a,) = json.loads(invoke("alerts", "list", "--json", "--db", db_url)[1])
    assert a["hits"] == 1 and a["deliver"] == "file"
    stats = json.loads(invoke("stats", "--json", "--db", db_url)[1])
    assert stats["documents"] == len(SYNTHETIC)  # the existing keys are still there
    (fresh,) = stats["sources"]
    assert fresh["items_stored"] == len(SYNTHETIC) and fresh["last_poll"] and fresh["median_delay_seconds"] > 0

    code, out = invoke("watch", "--once", "--all", "--allow-private", "--delay", "0", "--json", "--db", db_url)
    report = json.loads(out)
    assert code == 0 and report["stored"] == 0 and report["sources"][0]["status"] == "not_modified"
    assert invoke("stats", "--db", db_url)[1].count("watched sources") == 1
    assert invoke("sources", "remove", str(src["id"]), "--db", db_url)[0] == 0
    assert json.loads(invoke("sources", "list", "--json", "--db", db_url)[1]) == []


def test_loopback_source_refused_without_allow_private(tmp_path, feed):
    db = str(tmp_path / "r.db")
    invoke("sources", "add", feed, "--db", db)
    code, _ = invoke("watch", "--once", "--db", db)
    assert code == 0
    (src,) = json.loads(invoke("sources", "list", "--json", "--db", db)[1])
    assert src["last_status"] == "error" and "not a public address" in src["last_error"]


@pytest.mark.parametrize("args,message", [
    (["sources", "add", "file:///etc/passwd"], "only http and https"),
    (["sources", "add", "https://news.example/rss", "--every", "5s"], "under a minute"),
    (["sources", "remove", "99"], "no source with id 99"),
    (["watch", "--once"], "no sources to watch"),
    (["alerts", "add", "h", "كلمة", "--webhook", "http://127.0.0.1:9/x"], "not a public address"),
    (["alerts", "add", "h", "كلمة", "--entity", "Nobody Atall"], "unknown entity"),
    (["alerts", "log", "--alert", "nope"], "no alert"),
])
def test_user_errors_are_one_line(tmp_path, args, message):
    from rasd.store import open_store

    db = str(tmp_path / "e.db")
    open_store(db).close()
    code, err = invoke(*args, "--db", db)
    assert code == 1 and err.startswith("rasd: ") and message in err and "\n" not in err.strip()


def test_user_error_from_the_console_script_has_no_traceback(tmp_path):
    r = rasd("sources", "add", "file:///etc/passwd", "--db", str(tmp_path / "e.db"))
    assert r.returncode == 1 and r.stderr.strip().startswith("rasd: ") and "Traceback" not in r.stderr
