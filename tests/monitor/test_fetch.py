import tracemalloc

import pytest

from rasd.monitor.fetch import USER_AGENT, Fetcher, FetchError, Guard, Refused, decode_page, public_address

from .site import article_html, big, endless, redirect, slow, status


def fetcher(**kw):
    kw.setdefault("guard", Guard(allow_private=True))
    kw.setdefault("delay", 0.0)
    kw.setdefault("backoff", 0.01)
    return Fetcher(**kw)


@pytest.mark.parametrize("ip,ok", [
    ("93.184.216.34", True), ("2606:2800:220:1::1", True), ("127.0.0.1", False), ("10.1.2.3", False),
    ("172.16.0.9", False), ("192.168.1.1", False), ("169.254.169.254", False), ("224.0.0.251", False),
    ("0.0.0.0", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False),
    ("100.64.0.1", False), ("ff02::1", False),
])
def test_public_address(ip, ok):
    assert public_address(ip) is ok


def test_guard_refuses_schemes_and_addresses():
    g = Guard(resolver=lambda host, port: {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.8"],
                                           "mixed.example": ["93.184.216.34", "127.0.0.1"]}[host])
    for url in ("file:///etc/passwd", "ftp://x.example/", "http://127.0.0.1/", "http://[::1]:8080/", "http://169.254.169.254/latest"):
        with pytest.raises(Refused):
            g.check_url(url)
    g.check_url("http://news.example/rss")  # a name: checked on its DNS answer
    assert g.addresses("news.example", 80) == ["93.184.216.34"]
    with pytest.raises(Refused, match="10.0.0.8"):
        g.addresses("intranet.example", 80)
    with pytest.raises(Refused, match="127.0.0.1"):
        g.addresses("mixed.example", 443)  # one private answer is enough to refuse
    assert Guard(allow_private=True).addresses("127.0.0.1", 80) == ["127.0.0.1"]
    assert Guard(allowed_hosts={"10.9.9.9:8080"}).addresses("10.9.9.9", 8080) == ["10.9.9.9"]


def test_loopback_refused_without_allow_private(site):
    site.add("/a", article_html("ت", ["نص"]))
    with Fetcher(Guard(), delay=0) as f, pytest.raises(Refused, match="not a public address"):
        f.get(site.url("/a"))
    assert not site.seen("/a")


def test_dns_answer_pointing_to_private_is_refused_before_connecting(site):
    site.add("/a", article_html("ت", ["نص"]))
    guard = Guard(resolver=lambda host, port: ["127.0.0.1"])
    with Fetcher(guard, delay=0, robots=False) as f, pytest.raises(Refused, match="resolves to 127.0.0.1"):
        f.get(f"http://innocent.example:{site.port}/a")
    assert not site.requests


def test_redirect_to_private_is_refused(site):
    """The test server is itself on loopback, so it is allowed by name; what it redirects to is not."""
    guard = Guard(allowed_hosts={f"127.0.0.1:{site.port}"}, resolver=lambda host, port: {"intranet.example": ["192.168.0.5"]}[host])
    site.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    site.routes["/to-name"] = redirect("http://intranet.example/admin")
    site.routes["/to-other-port"] = redirect("http://127.0.0.1:1/")
    with Fetcher(guard, delay=0, robots=False) as f:
        for path in ("/to-metadata", "/to-name", "/to-other-port"):
            with pytest.raises(Refused):
                f.get(site.url(path))
    with fetcher(robots=False) as f:  # with --allow-private the same redirect is followed (and fails to connect)
        with pytest.raises(FetchError) as exc:
            f.get(site.url("/to-other-port"))
        assert not isinstance(exc.value, Refused)


def test_conditional_get_and_user_agent(site):
    site.add("/a", article_html("ت", ["نص المقال"]))
    with fetcher() as f:
        r1 = f.get(site.url("/a"))
        assert r1.status == 200 and r1.etag and r1.last_modified
        r2 = f.get(site.url("/a"), etag=r1.etag, last_modified=r1.last_modified)
    assert r2.not_modified and r2.body == b""
    second = site.seen("/a")[1]
    assert second.headers["if-none-match"] == r1.etag and second.headers["if-modified-since"] == r1.last_modified
    assert site.seen("/a")[0].headers["user-agent"] == USER_AGENT
    assert site.seen("/robots.txt"), "robots.txt is read before the first page"


def test_robots_txt_is_respected(site):
    site.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", "text/plain")
    site.add("/private/a", article_html("ت", ["نص"]))
    site.add("/public/a", article_html("ت", ["نص"]))
    with fetcher() as f:
        with pytest.raises(Refused, match="robots.txt"):
            f.get(site.url("/private/a"))
        assert f.get(site.url("/public/a")).status == 200
    assert not site.seen("/private/a") and len(site.seen("/robots.txt")) == 1


def test_robots_server_error_means_nothing_is_fetched(site):
    site.routes["/robots.txt"] = status(503)
    site.add("/a", article_html("ت", ["نص"]))
    with fetcher(retries=0) as f, pytest.raises(Refused, match="robots.txt"):
        f.get(site.url("/a"))
    assert not site.seen("/a")


def test_slow_page_times_out(site):
    site.routes["/slow"] = slow(3)
    with fetcher(timeout=0.5) as f, pytest.raises(FetchError, match="timed out"):
        f.get(site.url("/slow"))


def test_500_is_retried_with_backoff_then_reported(site):
    site.routes["/err"] = status(500)
    with fetcher(retries=2) as f, pytest.raises(FetchError, match="HTTP 500"):
        f.get(site.url("/err"))
    assert len(site.seen("/err")) == 3


def test_429_then_success(site):
    calls = []

    def flaky(h):
        calls.append(1)
        if len(calls) == 1:
            return h.send(429, "text/plain", b"slow down", {"Retry-After": "0"})
        h.send(200, "text/html; charset=utf-8", article_html("ت", ["نص"]))

    site.routes["/flaky"] = flaky
    with fetcher(retries=2) as f:
        assert f.get(site.url("/flaky")).status == 200
    assert len(calls) == 2


@pytest.mark.parametrize("declare", [True, False])
def test_12_mb_page_is_refused_without_holding_it(site, declare):
    site.routes["/big"] = big(12 * 1024 * 1024, declare)
    with fetcher(max_bytes=2 * 1024 * 1024) as f:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError, match="MB"):
                f.get(site.url("/big"))
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < 6 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB while refusing a 12 MB page"


def test_endless_body_is_cut(site):
    site.routes["/endless"] = endless()
    with fetcher(max_bytes=1024 * 1024) as f, pytest.raises(FetchError, match="cut at"):
        f.get(site.url("/endless"))


def test_endless_slow_body_hits_the_total_timeout(site):
    site.routes["/trickle"] = endless(chunk=b"<p>x</p>\n", max_seconds=5)

    def trickle(h):
        import time as _t
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Connection", "close")
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"<p>x</p>\n")
                h.wfile.flush()
                _t.sleep(0.1)
        except OSError:
            pass
        h.close_connection = True

    site.routes["/trickle"] = trickle
    with fetcher(total_timeout=0.5) as f, pytest.raises(FetchError, match="not finished"):
        f.get(site.url("/trickle"))


def test_redirect_loop_is_refused(site):
    site.routes["/loop1"] = redirect("/loop2")
    site.routes["/loop2"] = redirect("/loop1")
    site.routes["/chain0"] = redirect("/chain1")
    for i in range(1, 10):
        site.routes[f"/chain{i}"] = redirect(f"/chain{i + 1}")
    with fetcher(max_redirects=5) as f:
        with pytest.raises(FetchError, match="redirect loop"):
            f.get(site.url("/loop1"))
        with pytest.raises(FetchError, match="more than 5 redirects"):
            f.get(site.url("/chain0"))


def test_windows_1256_page_by_header_and_by_meta(site):
    text = ["أعلنت الحكومة اليوم عن خطة جديدة لدعم المزارعين في المناطق الريفية.",
            "وقال الوزير إن الخطة ستنفذ على مراحل خلال العام المقبل."]
    site.add("/h", article_html("خطة", text, charset="windows-1256", meta_charset=False), "text/html; charset=windows-1256")
    site.add("/m", article_html("خطة", text, charset="windows-1256"), "text/html")
    site.add("/n", article_html("خطة", text, charset="windows-1256", meta_charset=False), "text/html; charset=ISO-8859-1")
    with fetcher() as f:
        for path in ("/h", "/m", "/n"):
            raw = decode_page(f.get(site.url(path)))
            assert raw.is_html and text[0] in raw.content, path


def test_webhook_post_checks_the_address(site):
    with Fetcher(Guard(), delay=0) as f, pytest.raises(Refused):
        f.post_json(site.url("/hook"), {"a": 1})
    assert not site.requests
