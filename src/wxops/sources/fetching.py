"""Fetch a user-supplied URL politely and safely: no internal addresses, a total deadline, a size cap.

Every URL an editor or a staff member gives wxops (feeds, pages, list pages, submitted
links, pictures by URL) is fetched through :func:`fetch`:

- **Only public addresses.** The host is resolved and *every* address it resolves to
  must be public — not loopback, private, link-local (169.254.169.254), shared,
  multicast, reserved or unspecified, for IPv4 and IPv6 — unless :attr:`FetchPolicy.allow`
  lists it (the rule and the allow-list: :mod:`wxops.sources.addresses`). The check runs
  where the connection is made, on the address actually connected to, so it holds on every
  redirect hop and a DNS answer that changes between check and use (rebinding) gains nothing. Proxies from the environment
  are not used for these fetches (the check must see the real destination).
- **A total deadline** (:attr:`FetchPolicy.deadline`, 30 s by default) on top of the
  per-read timeout: a server that drips a byte every few seconds is cut off and the
  fetch fails with kind ``timeout``.
- **A size cap**, counted while streaming (a lying Content-Length does not help).
- Conditional GET (ETag, Last-Modified).

Every failure is a :class:`FetchError` whose ``kind`` is one of ``timeout``,
``too_large``, ``http``, ``network``, ``invalid_url`` or ``blocked``, with the reason in
words (an English msgid, translated where shown). No Django imports.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass

import httpcore
import httpx
from httpcore._backends.sync import SyncBackend

from .addresses import (
    DEFAULT_DEADLINE_SECONDS,
    PUBLIC_ONLY,
    FetchPolicy,
    Resolver,
    is_public,
    system_resolver,
)
from .candidates import ExplainedError, gettext_noop

DEFAULT_TIMEOUT_SECONDS = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "wxops/0.1 (+https://github.com/wxops; WeChat operations desk feed reader)"

class FetchError(ExplainedError):
    """A URL could not be fetched. ``kind``: timeout, too_large, http, network, invalid_url or blocked."""

    def __init__(self, kind: str, msgid: str, status: int | None = None, **params):
        super().__init__(msgid, **params)
        self.kind = kind
        self.status = status


class BlockedAddress(Exception):
    """Raised at connect time for an address the policy refuses (turned into a FetchError)."""

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} → {address}")
        self.host = host
        self.address = address


@dataclass(frozen=True)
class FetchResult:
    """What a fetch returned. ``not_modified`` means 304: ``content`` is empty, keep the old copy."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool = False


class _Deadline:
    """Cuts every socket of one fetch when the total deadline passes (a read in progress ends at once)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()

    def remaining(self) -> float:
        return max(0.001, self.ends_at - time.monotonic())

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.ends_at:
            self.expired = True
            raise TimeoutError

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
        if self.expired:
            self._expire()

    def _expire(self) -> None:
        self.expired = True
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks every address against the policy, then connects to a checked address."""

    def __init__(self, policy: FetchPolicy, deadline: _Deadline):
        self._policy = policy
        self._deadline = deadline
        self._backend = SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        host = host.decode("ascii") if isinstance(host, bytes) else host
        try:
            addresses = self._resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        for address in addresses:
            if not self._policy.allows(host, address):
                raise BlockedAddress(host, address)
        last_error: Exception | None = None
        for address in addresses:
            try:
                stream = self._backend.connect_tcp(address, port, timeout=min(timeout or 60, self._deadline.remaining()),
                                                   local_address=local_address, socket_options=socket_options)
            except httpcore.ConnectError as error:
                last_error = error
                continue
            self._deadline.watch(stream.get_extra_info("socket"))
            return stream
        raise last_error or httpcore.ConnectError(f"could not connect to {host}")

    def _resolve(self, host: str, port: int) -> list[str]:
        """The resolver's answer, within the fetch's deadline: getaddrinfo cannot be interrupted,
        so it runs in a daemon thread that a slow DNS server may keep, but not the fetch."""
        answer: dict = {}

        def resolve() -> None:
            try:
                answer["addresses"] = self._policy.resolver(host, port)
            except BaseException as error:  # handed to the fetching thread as it is
                answer["error"] = error

        worker = threading.Thread(target=resolve, name=f"resolve {host}", daemon=True)
        worker.start()
        worker.join(self._deadline.remaining())
        if worker.is_alive():
            self._deadline.expired = True
            raise TimeoutError(f"resolving {host} took longer than the deadline")
        if "error" in answer:
            raise answer["error"]
        return answer["addresses"]

    def connect_unix_socket(self, path, timeout=None, socket_options=None):  # pragma: no cover
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:  # pragma: no cover
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, policy: FetchPolicy, deadline: _Deadline):
        super().__init__(trust_env=False)
        # httpx has no public way to give its connection pool a network backend; the pool it
        # built is replaced by the same pool with ours (same defaults as HTTPTransport).
        ssl_context = self._pool._ssl_context
        self._pool = httpcore.ConnectionPool(ssl_context=ssl_context, network_backend=_GuardedBackend(policy, deadline))


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    policy: FetchPolicy = PUBLIC_ONLY,
) -> FetchResult:
    """GET ``url`` and return its body, at most ``max_bytes`` of it, within ``policy.deadline``.

    Sends ``If-None-Match``/``If-Modified-Since`` when ``etag``/``last_modified`` are
    given; a 304 comes back as ``FetchResult(not_modified=True)``. Follows up to
    :data:`MAX_REDIRECTS` redirects, each hop checked like the first.

    Raises :class:`FetchError` for refused addresses, timeouts (per read or the total
    deadline), oversized bodies, HTTP status ≥ 400, connection failures and URLs that are
    not http(s).

    >>> fetch("http://127.0.0.1/feed.xml")  # doctest: +SKIP
    FetchError: the address of 127.0.0.1 (127.0.0.1) is internal …
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("invalid_url", gettext_noop("Not an http(s) address: %(url)s"), url=url)
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with _Deadline(policy.deadline) as deadline:
        transport = _GuardedTransport(policy, deadline)
        with httpx.Client(transport=transport, timeout=httpx.Timeout(min(timeout, policy.deadline)),
                          follow_redirects=True, max_redirects=MAX_REDIRECTS, trust_env=False) as client:
            try:
                return _get(client, url, headers, timeout, max_bytes, deadline)
            except FetchError:
                raise
            except BlockedAddress as error:
                raise FetchError("blocked", gettext_noop(
                    "Refused: %(host)s resolves to the internal address %(address)s. wxops fetches only public "
                    "addresses; an administrator can allow an intranet portal with WXOPS_FETCH_ALLOW."),
                    host=error.host, address=error.address) from error
            except (httpx.TimeoutException, TimeoutError, httpx.HTTPError, OSError) as error:
                if deadline.expired:
                    raise _deadline_error(url, policy.deadline) from error
                if isinstance(error, httpx.TimeoutException | TimeoutError):
                    raise FetchError("timeout", gettext_noop("No answer within %(seconds)s s from %(url)s"),
                                     seconds=f"{timeout:g}", url=url) from error
                if isinstance(error, httpx.InvalidURL):
                    raise FetchError("invalid_url", gettext_noop("Invalid address %(url)s: %(error)s"),
                                     url=url, error=str(error)) from error
                if isinstance(error, httpx.TooManyRedirects):
                    raise FetchError("network", gettext_noop("More than %(count)d redirects from %(url)s"),
                                     count=MAX_REDIRECTS, url=url) from error
                raise _network_error(url, error) from error


#: Why a connection failed, in words an editor understands (the library's English stays out of the
#: message: it made every fetch error half Chinese, half English).
NETWORK_REASONS = (
    ("not_found", gettext_noop("Could not connect to %(url)s: the host name was not found; check the address.")),
    ("refused", gettext_noop("Could not connect to %(url)s: the server refused the connection.")),
    ("tls", gettext_noop("Could not connect to %(url)s: the secure connection (HTTPS certificate) failed.")),
    ("cut", gettext_noop("Could not connect to %(url)s: the connection was cut off; it will be tried again.")),
)
HTTP_REASONS = (
    ((404, 410), gettext_noop("The server answered HTTP %(code)d for %(url)s: the page does not exist (any more).")),
    ((401, 403), gettext_noop("The server answered HTTP %(code)d for %(url)s: it refuses access to this page.")),
    ((429,), gettext_noop("The server answered HTTP %(code)d for %(url)s: too many requests; it will be tried "
                          "again later.")),
)


def _network_reason(error: BaseException) -> str | None:
    """The kind of a connection failure, looking through the chain of causes."""
    seen = 0
    while error is not None and seen < 8:
        text = str(error).lower()
        if isinstance(error, socket.gaierror) or "cannot resolve" in text or "name or service not known" in text:
            return "not_found"
        if isinstance(error, ConnectionRefusedError) or "connection refused" in text:
            return "refused"
        if "ssl" in type(error).__name__.lower() or "certificate" in text:
            return "tls"
        if isinstance(error, ConnectionResetError | httpx.RemoteProtocolError) or "connection reset" in text:
            return "cut"
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _network_error(url: str, error: BaseException) -> FetchError:
    reason = _network_reason(error)
    for kind, msgid in NETWORK_REASONS:
        if kind == reason:
            return FetchError("network", msgid, url=url)
    return FetchError("network", gettext_noop("Could not connect to %(url)s: %(error)s"),
                      url=url, error=f"{type(error).__name__}: {error}")


def _http_error(url: str, code: int) -> FetchError:
    msgid = next((text for codes, text in HTTP_REASONS if code in codes), None)
    if msgid is None and code >= 500:
        msgid = gettext_noop("The server answered HTTP %(code)d for %(url)s: the site has a problem on its side; "
                             "it will be tried again.")
    return FetchError("http", msgid or gettext_noop("The server answered HTTP %(code)d for %(url)s."),
                      status=code, code=code, url=url)


def _deadline_error(url: str, seconds: float) -> FetchError:
    return FetchError("timeout", gettext_noop(
        "%(url)s did not finish within the %(seconds)s s deadline (the server sends too slowly)"),
        url=url, seconds=f"{seconds:g}")


def _get(client: httpx.Client, url: str, headers: dict, timeout: float, max_bytes: int,
         deadline: _Deadline) -> FetchResult:
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 304:
            return FetchResult(str(response.url), 304, b"", response.headers.get("content-type"),
                               response.headers.get("etag"), response.headers.get("last-modified"),
                               not_modified=True)
        if response.status_code >= 400:
            raise _http_error(url, response.status_code)
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise FetchError("too_large", gettext_noop(
                "The response from %(url)s is larger than the %(limit)s cap (Content-Length %(size)s)"),
                url=url, limit=f"{max_bytes / 1024 / 1024:g} MB", size=f"{int(declared) / 1024 / 1024:.1f} MB")
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            deadline.check()
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(url, max_bytes)
            chunks.append(chunk)
        deadline.check()
        return FetchResult(str(response.url), response.status_code, b"".join(chunks),
                           response.headers.get("content-type"), response.headers.get("etag"),
                           response.headers.get("last-modified"))


def _too_large(url: str, max_bytes: int) -> FetchError:
    return FetchError("too_large", gettext_noop("The response from %(url)s is larger than the %(limit)s cap"),
                      url=url, limit=f"{max_bytes / 1024 / 1024:g} MB")


__all__ = [  # the address rule lives in .addresses; its names stay importable from here
    "DEFAULT_DEADLINE_SECONDS", "DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT_SECONDS", "MAX_REDIRECTS", "PUBLIC_ONLY",
    "BlockedAddress", "FetchError", "FetchPolicy", "FetchResult", "Resolver", "fetch", "is_public", "system_resolver",
]
