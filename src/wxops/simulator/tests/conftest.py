"""Fixtures for the simulator's tests: a running simulator, an account with a token, a
callback receiver, and small helpers to call the WeChat API over real HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from wxops.simulator.testing import SimulatorHandle, running_simulator

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 2000
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000


@pytest.fixture
def sim() -> Iterator[SimulatorHandle]:
    with running_simulator() as handle:
        yield handle


@dataclass
class Api:
    """An account on the simulator and a way to call the WeChat API as it."""

    sim: SimulatorHandle
    config: dict[str, Any]
    token: str = ""
    auto_refresh: bool = True  # like a real client: fetch a new token once on 40001/42001

    @property
    def app_id(self) -> str:
        return self.config["app_id"]

    def refresh(self) -> str:
        self.token = self.sim.token(self.app_id, self.config["app_secret"])
        return self.token

    def _call(self, method: str, path: str, body: Any, params: dict[str, Any]) -> dict[str, Any]:
        for attempt in (1, 2):
            response = self.sim.http.request(method, path, params={"access_token": self.token, **params}, json=body)
            assert response.status_code == 200, response.text
            answer = response.json()
            if attempt == 1 and self.auto_refresh and answer.get("errcode") in (40001, 42001):
                self.refresh()
                continue
            return answer
        raise AssertionError("unreachable")

    def post(self, path: str, body: Any = None, **params: Any) -> dict[str, Any]:
        return self._call("POST", path, body, params)

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self._call("GET", path, None, params)

    def upload(self, path: str, data: bytes, filename: str = "a.jpg", **params: Any) -> dict[str, Any]:
        for attempt in (1, 2):
            response = self.sim.http.post(path, params={"access_token": self.token, **params},
                                          files={"media": (filename, data, "application/octet-stream")})
            if attempt == 1 and self.auto_refresh and response.json().get("errcode") in (40001, 42001):
                self.refresh()
                continue
            return response.json()
        raise AssertionError("unreachable")

    def thumb(self) -> str:
        return self.upload("/cgi-bin/material/add_material", JPEG, type="thumb")["media_id"]

    def draft(self, **article: Any) -> str:
        article.setdefault("title", "社保基数调整")
        article.setdefault("content", "<p>今年的社保基数调整通知。</p>")
        article.setdefault("thumb_media_id", self.thumb())
        answer = self.post("/cgi-bin/draft/add", {"articles": [article]})
        assert "media_id" in answer, answer
        return answer["media_id"]

    def sendall(self, media_id: str, clientmsgid: str | None = None, **filter_: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"filter": filter_ or {"is_to_all": True}, "mpnews": {"media_id": media_id},
                                "msgtype": "mpnews", "send_ignore_reprint": 0}
        if clientmsgid is not None:
            body["clientmsgid"] = clientmsgid
        return self.post("/cgi-bin/message/mass/sendall", body)

    def subscribe(self, count: int = 1, **data: Any) -> list[str]:
        return [self.sim.control("POST", f"/accounts/{self.app_id}/followers/subscribe", wait=False, **data)["openid"]
                for _ in range(count)]


@pytest.fixture
def api(sim: SimulatorHandle) -> Api:
    config = sim.register_account(app_id="wxtest0001", app_secret="not-a-real-secret-0001")
    account = Api(sim, config)
    account.refresh()
    return account


@dataclass
class Receiver:
    """A tiny callback server: records every request and answers as told."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    reply: str = "success"
    status: int = 200
    delay: float = 0.0
    fail_first: int = 0

    def wait_for(self, count: int, timeout: float = 10) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.requests


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
            query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
            state.requests.append({"query": query, "body": body})
            if len(state.requests) <= state.fail_first or state.delay:
                time.sleep(state.delay or 0)
                if len(state.requests) <= state.fail_first:
                    self.send_response(500)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            data = state.reply(query, body) if callable(state.reply) else state.reply
            payload = data.encode("utf-8")
            self.send_response(state.status)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802
            query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
            payload = query.get("echostr", "").encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/wechat/callback"
    yield state
    server.shutdown()
    server.server_close()


def errcode(answer: dict[str, Any]) -> int:
    return int(answer.get("errcode", 0))


__all__ = ["Api", "JPEG", "PNG", "Receiver", "errcode", "httpx"]
