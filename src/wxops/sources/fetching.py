"""Fetch a URL politely and safely: timeouts, a size cap, conditional GET.

The fetcher never raises a bare httpx exception at its callers: every failure becomes a
:class:`FetchError` whose message says, in words, what went wrong and what to check.
The transport is injectable (``client=``) so tests and the simulator can pass their own.

No Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

DEFAULT_TIMEOUT_SECONDS = 15.0
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = "wxops/0.1 (+https://github.com/wxops; WeChat operations desk feed reader)"


class FetchError(Exception):
    """A URL could not be fetched. ``kind`` is one of: timeout, too_large, http, network, invalid_url."""

    def __init__(self, kind: str, message: str, status: int | None = None):
        super().__init__(message)
        self.kind = kind
        self.status = status


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


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    client: httpx.Client | None = None,
) -> FetchResult:
    """GET ``url`` and return its body, at most ``max_bytes`` of it.

    Sends ``If-None-Match``/``If-Modified-Since`` when ``etag``/``last_modified`` are
    given; a 304 comes back as ``FetchResult(not_modified=True)``. The body is streamed and
    the download stops as soon as it passes ``max_bytes`` (a lying or absent
    Content-Length does not help a server get past the cap).

    Raises :class:`FetchError` for timeouts, oversized bodies, HTTP status ≥ 400,
    connection failures and URLs that are not http(s).
    """
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("invalid_url", f"不是 http(s) 地址 / not an http(s) URL: {url!r}")
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    own_client = client is None
    if client is None:
        client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, max_redirects=5)
    try:
        return _get(client, url, headers, timeout, max_bytes)
    finally:
        if own_client:
            client.close()


def _get(client: httpx.Client, url: str, headers: dict, timeout: float, max_bytes: int) -> FetchResult:
    try:
        with client.stream("GET", url, headers=headers, timeout=timeout) as response:
            if response.status_code == 304:
                return FetchResult(
                    str(response.url), 304, b"", response.headers.get("content-type"),
                    response.headers.get("etag"), response.headers.get("last-modified"), not_modified=True,
                )
            if response.status_code >= 400:
                raise FetchError(
                    "http",
                    f"服务器返回 HTTP {response.status_code} / the server answered HTTP "
                    f"{response.status_code} {response.reason_phrase} for {url}",
                    status=response.status_code,
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError("too_large", _too_large(url, max_bytes, int(declared)))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError("too_large", _too_large(url, max_bytes, None))
                chunks.append(chunk)
            return FetchResult(
                str(response.url), response.status_code, b"".join(chunks),
                response.headers.get("content-type"), response.headers.get("etag"),
                response.headers.get("last-modified"),
            )
    except httpx.TimeoutException as error:
        raise FetchError(
            "timeout", f"{timeout:g} 秒内没有响应 / no answer within {timeout:g} s from {url}"
        ) from error
    except httpx.InvalidURL as error:
        raise FetchError("invalid_url", f"地址无效 / invalid URL {url!r}: {error}") from error
    except httpx.HTTPError as error:
        raise FetchError(
            "network", f"无法连接 / could not connect to {url}: {type(error).__name__}: {error}"
        ) from error


def _too_large(url: str, max_bytes: int, declared: int | None) -> str:
    limit = f"{max_bytes / 1024 / 1024:g} MB"
    got = f" (Content-Length {declared / 1024 / 1024:.1f} MB)" if declared else ""
    return f"响应超过 {limit} 上限 / the response from {url} is larger than the {limit} cap{got}"
