"""Fixtures of the sources tests: an account with the five categories and a real local HTTP server."""

from __future__ import annotations

import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from wxops.sources.fetching import FetchPolicy
from wxops.sources.models import Source, SourceKind

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data"


class Route:
    """What the test server answers on one path; ``hits`` records each request's headers."""

    def __init__(self, body: bytes = b"", status: int = 200, headers: dict | None = None, delay: float = 0.0,
                 stream_bytes: int = 0, drip: float = 0.0):
        self.body, self.status, self.headers = body, status, headers or {}
        self.delay, self.stream_bytes, self.drip = delay, stream_bytes, drip
        self.hits: list[dict] = []


class Server:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.stopping = threading.Event()
        routes, stopping = self.routes, self.stopping

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                route = routes.get(self.path)
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                route.hits.append(dict(self.headers))
                if route.delay:
                    time.sleep(route.delay)
                etag = route.headers.get("ETag")
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(route.status)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                if route.drip:  # one byte every `drip` seconds, for ever: only a total deadline ends it
                    self.end_headers()
                    try:
                        while not stopping.is_set():
                            self.wfile.write(b"<")
                            self.wfile.flush()
                            stopping.wait(route.drip)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                if route.stream_bytes:
                    self.end_headers()  # no Content-Length: the client must count
                    chunk = b"x" * 65536
                    sent = 0
                    try:
                        while sent < route.stream_bytes:
                            self.wfile.write(chunk)
                            sent += len(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def route(self, path: str, **kwargs) -> Route:
        self.routes[path] = Route(**kwargs)
        return self.routes[path]

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def server():
    running = Server()
    yield running
    running.stopping.set()
    running.httpd.shutdown()
    running.httpd.server_close()


#: The test server listens on loopback, which wxops refuses to fetch unless allowed.
LOCAL = FetchPolicy(allow=("127.0.0.1",))


@pytest.fixture(autouse=True)
def fetch_loopback(settings):
    """Let the sources under test reach the local test server (wxops refuses loopback by default)."""
    settings.WXOPS_FETCH_ALLOW = ("127.0.0.1",)


@pytest.fixture
def account(db):
    from wxops.accounts.models import DEFAULT_CATEGORIES, Account, Category

    made = Account.objects.create(name="融智测试号", app_id="wx" + secrets.token_hex(8),
                                  app_secret=secrets.token_hex(16))
    for position, name in enumerate(DEFAULT_CATEGORIES):
        Category.objects.create(account=made, name=name, position=position)
    return made


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", password="x-" + "7" * 12, is_staff=True)


def make_editor(user):
    """Give ``user`` the pool editor's permission (change story) and the article's (add article)."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_story", "view_story", "add_article"]))
    return get_user_model().objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


def feed_source(account, server, path="/feed.xml", **kwargs):
    return Source.objects.create(account=account, name=f"源{path}", kind=SourceKind.FEED,
                                 location=server.url(path), **kwargs)
