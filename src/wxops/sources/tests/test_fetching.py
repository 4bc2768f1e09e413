"""Fetching against a real local HTTP server: conditional GET, size cap, timeouts, HTTP errors."""

from __future__ import annotations

import pytest

from wxops.sources.fetching import FetchError, fetch


def test_conditional_get_sends_etag_and_gets_not_modified(server):
    route = server.route("/feed.xml", body=b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 01:00:00 GMT"})
    first = fetch(server.url("/feed.xml"))
    assert (first.status, first.content, first.etag) == (200, b"<rss/>", '"v1"')
    second = fetch(server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    assert route.hits[1]["If-None-Match"] == '"v1"'
    assert route.hits[1]["If-Modified-Since"] == "Wed, 25 Nov 2026 01:00:00 GMT"


def test_a_50_megabyte_response_is_cut_off_at_the_cap(server):
    server.route("/huge", stream_bytes=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="larger than the 1 MB cap") as caught:
        fetch(server.url("/huge"), max_bytes=1024 * 1024)
    assert caught.value.kind == "too_large"


def test_declared_oversized_body_is_refused_before_download(server):
    server.route("/big", body=b"x" * 2048)
    with pytest.raises(FetchError, match="Content-Length"):
        fetch(server.url("/big"), max_bytes=1024)


def test_timeout_is_reported_in_words(server):
    server.route("/slow", body=b"late", delay=2.0)
    with pytest.raises(FetchError, match="no answer within 0.3 s") as caught:
        fetch(server.url("/slow"), timeout=0.3)
    assert caught.value.kind == "timeout"


def test_http_errors_and_bad_urls(server):
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch(server.url("/missing"))
    assert caught.value.status == 404
    with pytest.raises(FetchError, match="not an http"):
        fetch("ftp://example.com/feed")
