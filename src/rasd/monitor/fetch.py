"""A polite and safe HTTP fetcher for watched sources (httpx).

Polite: a clear User-Agent, robots.txt (RFC 9309; its Crawl-delay too), a per-host concurrency
limit and delay between requests, conditional GET (ETag / Last-Modified), retries with backoff on
429 and 5xx (honouring Retry-After).

Safe: only http(s); no address that is loopback, private, link-local, multicast, reserved or
otherwise not global unless ``allow_private`` (or the host is named in ``allowed_hosts``) — checked
on every redirect hop and on the DNS answer, and the connection goes to the very address that was
checked (no second lookup an attacker's DNS could answer differently). Redirects are followed by
hand, at most ``max_redirects``, and a loop is refused. Bodies are streamed and cut at
``max_bytes`` (a declared Content-Length over it is refused before reading) and at
``total_timeout`` seconds (a body that never ends).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from rasd import __version__
from rasd.errors import InputError, RasdError
from rasd.sources.files import RawArticle, decode_article

USER_AGENT = f"Rasd/{__version__} (Arabic news monitor; robots.txt agent Rasd)"
ROBOTS_AGENT = "Rasd"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ROBOTS_TTL = 3600.0
ROBOTS_RETRY = 300.0  # a robots.txt that failed (5xx, unreachable) is asked again after this
ROBOTS_MAX_BYTES = 512 * 1024

Resolver = Callable[[str, int], list[str]]


class FetchError(RasdError):
    """A fetch that failed: bad status, timeout, too big, garbage, redirect loop."""

    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class Refused(FetchError):
    """A URL the safety rules do not allow (scheme, private address, robots.txt)."""


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def public_address(ip: str) -> bool:
    """True for an address on the public Internet (not loopback, private, link-local, multicast ...)."""
    try:
        a = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None:
        a = a.ipv4_mapped
    return a.is_global and not (a.is_multicast or a.is_loopback or a.is_private or a.is_link_local
                                or a.is_reserved or a.is_unspecified)


@dataclass
class Guard:
    """Which URLs may be fetched. ``resolver`` is injectable so the checks can be tested offline."""

    allow_private: bool = False
    allowed_hosts: Collection[str] = ()  # "host" or "host:port" exempt from the address check
    resolver: Resolver = system_resolver

    def check_url(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise Refused(url, f"refused: only http and https URLs are fetched, not {parts.scheme or 'a bare path'}")
        if not parts.hostname:
            raise Refused(url, "refused: no host in the URL")
        try:
            parts.port  # noqa: B018 - raises on a bad port
        except ValueError:
            raise Refused(url, "refused: bad port") from None
        if self._exempt(parts.hostname, _port(parts)):
            return
        try:
            ipaddress.ip_address(parts.hostname)
        except ValueError:
            return  # a name: checked on its DNS answer when connecting (see addresses)
        if not public_address(parts.hostname):
            raise Refused(url, f"refused: {parts.hostname} is not a public address (use --allow-private to allow it)")

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses to connect to for ``host``: resolved once, every one checked."""
        try:
            ipaddress.ip_address(host)
            ips = [host]
        except ValueError:
            ips = self.resolver(host, port)
        if not ips:
            raise httpcore.ConnectError(f"cannot resolve {host}")
        if self._exempt(host, port):
            return ips
        bad = [ip for ip in ips if not public_address(ip)]
        if bad:
            raise Refused(f"{host}:{port}", f"refused: {host} resolves to {bad[0]}, not a public address "
                          "(use --allow-private to allow it)")
        return ips

    def _exempt(self, host: str, port: int) -> bool:
        return self.allow_private or host in self.allowed_hosts or f"{host}:{port}" in self.allowed_hosts


def _port(parts) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


class _GuardedBackend(httpcore.SyncBackend):
    """Connects to the addresses the guard checked, never to a second DNS answer."""

    def __init__(self, guard: Guard):
        self.guard = guard

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):  # noqa: ANN001
        last: Exception | None = None
        for ip in self.guard.addresses(host, port):
            try:
                return super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise last or httpcore.ConnectError(f"cannot connect to {host}")


def guarded_transport(guard: Guard) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx builds its connection pool itself; give it one that connects through the guard.
    ssl_context = transport._pool._ssl_context  # noqa: SLF001 - pinned httpx (see pyproject.toml)
    transport._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=_GuardedBackend(guard),
                                             max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
    return transport


@dataclass
class Response:
    url: str  # after redirects
    status: int
    headers: dict[str, str]
    body: bytes = b""
    seconds: float = 0.0  # time spent on the network for this fetch (all hops and retries)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


@dataclass
class _Host:
    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_at: float = 0.0
    delay: float = 0.0


class Fetcher:
    """Thread-safe: fetches may run from a pool of threads; per-host limits hold across them."""

    def __init__(self, guard: Guard | None = None, *, timeout: float = 10.0, total_timeout: float = 30.0,
                 max_bytes: int = 5 * 1024 * 1024, max_redirects: int = 5, retries: int = 2, backoff: float = 1.0,
                 per_host: int = 2, delay: float = 1.0, user_agent: str = USER_AGENT, robots: bool = True,
                 transport: httpx.BaseTransport | None = None):
        self.guard = guard or Guard()
        self.timeout, self.total_timeout, self.max_bytes = timeout, total_timeout, max_bytes
        self.max_redirects, self.retries, self.backoff = max_redirects, retries, backoff
        self.per_host, self.delay, self.user_agent, self.robots = per_host, delay, user_agent, robots
        self.client = httpx.Client(
            transport=transport or guarded_transport(self.guard), follow_redirects=False, trust_env=False,
            timeout=httpx.Timeout(timeout), headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._robots: dict[str, tuple[float, RobotFileParser | None, bool]] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the public calls ---------------------------------------------------------------------------

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET with redirects checked hop by hop; a 304 comes back as a Response with status 304."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, robots=self.robots)

    def post_json(self, url: str, payload: dict) -> Response:
        """POST a JSON body (webhooks): the same address checks, no redirects followed, no retries on 4xx."""
        import json

        self.guard.check_url(url)
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        resp = self._request("POST", url, {"Content-Type": "application/json; charset=utf-8"}, body)
        if resp.status >= 300:
            raise FetchError(url, f"HTTP {resp.status}")
        return resp

    # -- internals ----------------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], robots: bool) -> Response:
        seen, spent = [url], 0.0
        for _hop in range(self.max_redirects + 1):
            self.guard.check_url(url)
            if robots:
                self._check_robots(url)
            resp = self._request("GET", url, headers)
            spent += resp.seconds
            if resp.status not in REDIRECTS:
                if resp.status >= 400:
                    raise FetchError(url, f"HTTP {resp.status}")
                resp.seconds = spent
                return resp
            location = resp.headers.get("location")
            if not location:
                raise FetchError(url, f"HTTP {resp.status} without a Location")
            url = urljoin(url, location.strip())
            if url in seen:
                raise FetchError(seen[0], f"redirect loop ({' -> '.join(seen + [url])})")
            seen.append(url)
        raise FetchError(seen[0], f"more than {self.max_redirects} redirects")

    def _request(self, method: str, url: str, headers: dict[str, str], content: bytes | None = None) -> Response:
        last: Exception | None = None
        spent = 0.0
        for attempt in range(self.retries + 1):
            t0 = time.perf_counter()
            try:
                with self._host_slot(url):
                    t0 = time.perf_counter()  # the time on the wire, not the wait for a slot
                    resp = self._once(method, url, headers, content)
            except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
                spent += time.perf_counter() - t0
                last = FetchError(url, _transport_reason(exc))
                if attempt < self.retries:
                    time.sleep(self.backoff * 2 ** attempt)
                    continue
                raise last from None
            except httpx.TimeoutException:
                raise FetchError(url, f"timed out after {self.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise FetchError(url, _transport_reason(exc)) from None
            spent += time.perf_counter() - t0
            if resp.status in RETRY_STATUSES and attempt < self.retries:
                time.sleep(_retry_after(resp.headers.get("retry-after"), self.backoff * 2 ** attempt))
                continue
            resp.seconds = spent
            return resp
        raise last or FetchError(url, "failed")  # pragma: no cover - the loop returns or raises

    def _once(self, method: str, url: str, headers: dict[str, str], content: bytes | None) -> Response:
        deadline = time.monotonic() + self.total_timeout
        with self.client.stream(method, url, headers=headers, content=content) as r:
            hdrs = {k.lower(): v for k, v in r.headers.items()}
            if r.status_code in REDIRECTS or r.status_code == 304 or r.status_code >= 400:
                return Response(str(r.url), r.status_code, hdrs)
            declared = hdrs.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(url, f"body of {int(declared) / 1e6:.1f} MB refused (over {self.max_bytes / 1e6:g} MB)")
            buf = bytearray()
            for chunk in r.iter_bytes():
                buf += chunk
                if len(buf) > self.max_bytes:
                    raise FetchError(url, f"body cut at {self.max_bytes / 1e6:g} MB (over the limit)")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"body not finished after {self.total_timeout:g} s")
            return Response(str(r.url), r.status_code, hdrs, bytes(buf))

    def _host_slot(self, url: str):
        key = urlsplit(url).netloc.lower()
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host(threading.Semaphore(self.per_host), delay=self.delay)
        return _Slot(host)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        now = time.monotonic()
        with self._robots_lock:
            cached = self._robots.get(key)
        if cached is None or cached[0] < now:
            rules, allow_all = self._load_robots(key)
            failed = rules is None and not allow_all
            cached = (now + (ROBOTS_RETRY if failed else ROBOTS_TTL), rules, allow_all)
            with self._robots_lock:
                self._robots[key] = cached
        _, rules, allow_all = cached
        if allow_all:
            return
        if rules is None:
            raise Refused(url, "robots.txt could not be fetched (server error): nothing is fetched from this host")
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise Refused(url, "disallowed by the site's robots.txt")

    def _load_robots(self, origin: str) -> tuple[RobotFileParser | None, bool]:
        """RFC 9309: 4xx = no rules; 5xx or unreachable = assume everything disallowed (retried later)."""
        saved = self.max_bytes
        try:
            self.max_bytes = min(saved, ROBOTS_MAX_BYTES)
            resp = self._follow(origin + "/robots.txt", {}, robots=False)
        except FetchError as exc:
            if exc.reason.startswith("HTTP 4"):
                return None, True
            return None, False
        finally:
            self.max_bytes = saved
        rp = RobotFileParser()
        rp.parse(resp.body.decode("utf-8", "replace").splitlines())
        delay = rp.crawl_delay(ROBOTS_AGENT)
        if delay:
            with self._hosts_lock:
                for key, host in self._hosts.items():
                    if origin.endswith("//" + key):
                        host.delay = max(host.delay, min(float(delay), 60.0))
        return rp, False


class _Slot:
    def __init__(self, host: _Host):
        self.host = host

    def __enter__(self) -> None:
        self.host.slots.acquire()
        with self.host.lock:
            now = time.monotonic()
            wait = self.host.next_at - now
            self.host.next_at = max(now, self.host.next_at) + self.host.delay
        if wait > 0:
            time.sleep(wait)

    def __exit__(self, *exc) -> None:
        self.host.slots.release()


def _transport_reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _retry_after(value: str | None, default: float) -> float:
    if not value:
        return default
    if value.strip().isdigit():
        return min(float(value), 60.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, min((when - dt.datetime.now(dt.UTC)).total_seconds(), 60.0))


_LATIN1 = {"iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"}


def decode_page(resp: Response) -> RawArticle:
    """A fetched page as text: the header's charset when it decodes the bytes, else the page's own
    declaration, UTF-8, the Arabic code pages and detection (``rasd.sources.files``). A Latin-1
    header, the default many servers send for any page, is not trusted."""
    ctype = resp.content_type.lower()
    charset = None
    for param in ctype.split(";")[1:]:
        k, _, v = param.strip().partition("=")
        if k == "charset" and v:
            charset = v.strip("\"' ")
    raw = None
    try:
        raw = decode_article(resp.url, resp.body, resp.url)
    except InputError:
        if not charset or charset in _LATIN1:
            raise
    if charset and charset not in _LATIN1:
        try:
            text = resp.body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = None
        if text is not None and (raw is None or raw.content != text):
            is_html = "html" in ctype or (raw.is_html if raw else False)
            return RawArticle(resp.url, text, is_html, charset, resp.url)
    if "html" in ctype and not raw.is_html:
        raw = RawArticle(raw.where, raw.content, True, raw.encoding, raw.url)
    return raw
