"""A real `rasd serve` process on a free loopback port, spoken to over HTTP, stopped with Ctrl-C."""

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from store.bulk import article, documents

from rasd.store import open_store
from rasd.store.ingest import ingest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_rasd_serve_over_http(tmp_path):
    db = str(tmp_path / "rasd.db")
    s = open_store(db)
    ingest(s, documents(0, 4))
    s.close()
    token_file = tmp_path / "token"
    token_file.write_text("tok-123\n")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rasd", "serve", "--db", db, "--port", str(port), "--token-file", str(token_file)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(200):
            try:
                status, body = call(base + "/stats")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    raise AssertionError(proc.stderr.read().decode()) from None
                time.sleep(0.1)
        assert status == 200 and json.loads(body)["documents"] == 4
        _, text = article(50)
        payload = json.dumps({"text": text}).encode()
        status, body = call(base + "/documents", payload, {"Content-Type": "application/json"})
        assert status == 401 and json.loads(body)["status"] == 401
        status, body = call(base + "/documents", payload, {"Content-Type": "application/json", "Authorization": "Bearer tok-123"})
        assert status == 201
        status, body = call(base + "/documents?limit=2&count=true")
        page = json.loads(body)
        assert page["total"] == 5 and page["next_cursor"]
        status, body = call(base + "/export/claims.csv")
        assert status == 200 and body.startswith(b"\xef\xbb\xbf")
        status, body = call(base + "/claims?since=tomorrow")
        assert status == 400 and json.loads(body)["detail"].startswith("bad since")
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err.decode()
    log = err.decode()
    assert "Traceback" not in log and "KeyboardInterrupt" not in log
    requests = [line for line in log.splitlines() if '"GET /api/v1/' in line or '"POST /api/v1/' in line]
    assert len(requests) == 6, log
