"""Fetching against a real local HTTP server: address checks, deadline, conditional GET, size cap, errors."""

from __future__ import annotations

import ipaddress
import threading

import pytest

from wxops.sources.fetching import FetchError, FetchPolicy, fetch, is_public
from wxops.sources.tests.conftest import LOCAL


def test_conditional_get_sends_etag_and_gets_not_modified(server):
    route = server.route("/feed.xml", body=b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 01:00:00 GMT"})
    first = fetch(server.url("/feed.xml"), policy=LOCAL)
    assert (first.status, first.content, first.etag) == (200, b"<rss/>", '"v1"')
    second = fetch(server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified, policy=LOCAL)
    assert second.not_modified and second.content == b""
    assert route.hits[1]["If-None-Match"] == '"v1"'
    assert route.hits[1]["If-Modified-Since"] == "Wed, 25 Nov 2026 01:00:00 GMT"


def test_a_50_megabyte_response_is_cut_off_at_the_cap(server):
    server.route("/huge", stream_bytes=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="larger than the 1 MB cap") as caught:
        fetch(server.url("/huge"), max_bytes=1024 * 1024, policy=LOCAL)
    assert caught.value.kind == "too_large"


def test_declared_oversized_body_is_refused_before_download(server):
    server.route("/big", body=b"x" * 2048)
    with pytest.raises(FetchError, match="Content-Length"):
        fetch(server.url("/big"), max_bytes=1024, policy=LOCAL)


def test_timeout_is_reported_in_words(server):
    server.route("/slow", body=b"late", delay=2.0)
    with pytest.raises(FetchError, match="No answer within 0.3 s") as caught:
        fetch(server.url("/slow"), timeout=0.3, policy=LOCAL)
    assert caught.value.kind == "timeout"


def test_a_server_dripping_bytes_is_cut_off_at_the_total_deadline(server):
    # Each byte comes well within the per-read timeout: only the total deadline can end this.
    route = server.route("/drip", drip=0.2)
    with pytest.raises(FetchError, match="deadline") as caught:
        fetch(server.url("/drip"), timeout=15, policy=FetchPolicy(allow=("127.0.0.1",), deadline=1.0))
    assert caught.value.kind == "timeout" and len(route.hits) == 1


def test_http_errors_and_bad_urls(server):
    with pytest.raises(FetchError, match="HTTP 404") as caught:
        fetch(server.url("/missing"), policy=LOCAL)
    assert caught.value.status == 404
    with pytest.raises(FetchError, match="Not an http"):
        fetch("ftp://example.com/feed")


@pytest.mark.parametrize("path", ["/x.xml", "/feed"])
def test_loopback_is_refused_by_default_and_nothing_is_requested(server, path):
    route = server.route(path, body=b"<rss/>")
    for url in (server.url(path), server.url(path).replace("127.0.0.1", "localhost"),
                server.url(path).replace("127.0.0.1", "2130706433")):
        with pytest.raises(FetchError, match="internal address") as caught:
            fetch(url)
        assert caught.value.kind == "blocked"
    assert route.hits == []


@pytest.mark.parametrize("address", ["10.0.0.7", "192.168.1.10", "172.16.5.4", "169.254.169.254", "100.64.0.1",
                                     "127.0.0.1", "0.0.0.0", "224.0.0.1", "::1", "fe80::1", "fc00::5",
                                     "::ffff:10.0.0.7", "ff02::1",
                                     # IPv6 that carries an internal IPv4 to connect to (6to4, NAT64),
                                     # Teredo, and the deprecated site-local range
                                     "2002:7f00:1::", "2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "fec0::1",
                                     "2001:0:4136:e378:8000:63bf:80ff:fffe"])
def test_a_host_resolving_to_an_internal_address_is_refused(address):
    policy = FetchPolicy(resolver=lambda host, port: [address])
    with pytest.raises(FetchError, match=f"news.example.com resolves to the internal address {address}") as caught:
        fetch("http://news.example.com/rss.xml", policy=policy)
    assert caught.value.kind == "blocked"


def test_one_internal_address_among_public_ones_is_enough_to_refuse(server):
    route = server.route("/x", body=b"ok")
    policy = FetchPolicy(resolver=lambda host, port: ["93.184.216.34", "127.0.0.1"])
    with pytest.raises(FetchError) as caught:
        fetch(server.url("/x").replace("127.0.0.1", "mixed.example"), policy=policy)
    assert caught.value.kind == "blocked" and route.hits == []


def test_a_redirect_to_an_internal_address_is_refused_on_that_hop(server):
    # The first hop is allowed (by host name); the redirect points at the metadata service.
    port = server.base.rsplit(":", 1)[1]
    start = server.route("/start", status=302, headers={"Location": "http://metadata.internal/latest/meta-data"})
    resolver = {"portal.corp.example": ["127.0.0.1"], "metadata.internal": ["169.254.169.254"]}
    policy = FetchPolicy(allow=("portal.corp.example",), resolver=lambda host, _port: resolver[host])
    with pytest.raises(FetchError, match="metadata.internal resolves to the internal address 169.254.169.254"):
        fetch(f"http://portal.corp.example:{port}/start", policy=policy)
    assert len(start.hits) == 1


def test_the_allow_list_admits_an_intranet_network(server):
    server.route("/intranet.xml", body=b"<rss/>")
    assert fetch(server.url("/intranet.xml"), policy=FetchPolicy(allow=("127.0.0.0/8",))).content == b"<rss/>"
    port = server.base.rsplit(":", 1)[1]
    by_name = FetchPolicy(allow=("portal.corp.example",), resolver=lambda host, _port: ["127.0.0.1"])
    assert fetch(f"http://portal.corp.example:{port}/intranet.xml", policy=by_name).content == b"<rss/>"


def test_fetch_errors_are_translated_where_shown(server):
    from django.utils import translation
    from django.utils.translation import gettext

    with pytest.raises(FetchError) as caught:
        fetch(server.url("/feed.xml"))
    with translation.override("zh-hans"):
        assert "内部地址" in caught.value.translated(gettext)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "64:ff9b::5db8:d822", "2002:5db8:d822::1"])
def test_public_addresses_stay_public_however_they_are_written(address):
    # NAT64 and 6to4 wrapping a public IPv4 address (IPv6-only hosts with DNS64 see these).
    assert is_public(ipaddress.ip_address(address))


def test_a_resolver_that_never_answers_is_cut_off_at_the_deadline():
    # getaddrinfo cannot be interrupted: without its own thread a stuck DNS server held the
    # fetch for as long as the system resolver's timeouts and retries last.
    released, answered = threading.Event(), threading.Event()

    def stuck(host, port):
        released.wait(60)
        answered.set()
        return ["93.184.216.34"]

    try:
        with pytest.raises(FetchError, match="deadline") as caught:
            fetch("http://slow-dns.example/rss.xml", policy=FetchPolicy(resolver=stuck, deadline=0.5))
        assert caught.value.kind == "timeout"
        assert not answered.is_set()  # the fetch gave up while the resolver was still stuck
    finally:
        released.set()


def test_a_resolver_error_is_a_network_failure_in_words():
    def failing(host, port):
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match="the host name was not found; check the address") as caught:
        fetch("http://no-such-host.example/rss.xml", policy=FetchPolicy(resolver=failing))
    assert caught.value.kind == "network"


def test_fetch_errors_in_chinese_carry_no_english_from_the_network_library(server):
    """They read "无法连接 …：[Errno 111] Connection refused" and "返回 HTTP 404 Not Found": half English."""
    import re
    import socket

    from django.utils import translation
    from django.utils.translation import gettext

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    errors = []
    for url in (f"http://127.0.0.1:{closed_port}/rss.xml", server.url("/missing")):
        with pytest.raises(FetchError) as caught:
            fetch(url, policy=LOCAL)
        errors.append((url, caught.value))
    with translation.override("zh-hans"):
        texts = [error.translated(gettext).replace(url, "") for url, error in errors]
    assert texts == ["无法连接 ：服务器拒绝连接。", "服务器对  返回 HTTP 404：页面不存在（或已删除）。"]
    assert not [text for text in texts if re.search(r"[A-Za-z]{3,}", text.replace("HTTP", ""))]
