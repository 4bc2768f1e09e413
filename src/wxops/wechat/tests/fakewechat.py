"""A tiny WeChat API stand-in on 127.0.0.1 for the client's own tests (real HTTP, no mocks).

It knows just enough: stable_token (same token until forced), access-token checks (40001
for anything else), scripted answers per path, scripted errcodes for the next calls, and
delays. Every request is recorded. The project's real simulator is ``wxops.simulator``.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Handler = Callable[["Recorded"], dict[str, Any]]


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class FakeWeChat:
    app_id: str
    app_secret: str
    token: str = field(default_factory=lambda: "T1-" + secrets.token_hex(16))
    expires_in: int = 7200
    requests: list[Recorded] = field(default_factory=list)
    routes: dict[str, Handler] = field(default_factory=lambda: {"/cgi-bin/draft/count": lambda rec: {"total_count": 0}})
    errors: dict[str, deque] = field(default_factory=lambda: defaultdict(deque))
    delays: dict[str, float] = field(default_factory=dict)
    token_fetches: int = 0
    forced_refreshes: int = 0
    invalid_credential_answers: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def rotate(self) -> str:
        """Invalidate the current token (as a forced refresh elsewhere would) and issue a new one."""
        with self.lock:
            self.token = "T-" + secrets.token_hex(16)
            return self.token

    def fail_next(self, path: str, *answers: dict[str, Any] | int) -> None:
        """The next calls to ``path`` get these answers (an errcode or a whole JSON object)."""
        for answer in answers:
            self.errors[path].append(answer if isinstance(answer, dict) else {"errcode": answer, "errmsg": f"fake {answer}"})

    def calls(self, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.path == path]

    def handle(self, rec: Recorded) -> dict[str, Any]:
        with self.lock:
            self.requests.append(rec)
        if rec.path in self.delays:
            time.sleep(self.delays[rec.path])
        if rec.path == "/cgi-bin/stable_token":
            return self._stable_token(rec)
        with self.lock:
            if rec.query.get("access_token") != self.token:
                self.invalid_credential_answers += 1
                return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid or not latest"}
            queued = self.errors[rec.path].popleft() if self.errors[rec.path] else None
        if queued is not None:
            return queued
        handler = self.routes.get(rec.path)
        return handler(rec) if handler else {"errcode": 0, "errmsg": "ok"}

    def _stable_token(self, rec: Recorded) -> dict[str, Any]:
        if rec.method != "POST":
            return {"errcode": 43002, "errmsg": "require POST method"}
        with self.lock:
            queued = self.errors[rec.path].popleft() if self.errors[rec.path] else None
        if queued is not None:
            return queued
        body = rec.json
        if body.get("appid") != self.app_id or body.get("secret") != self.app_secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        with self.lock:
            self.token_fetches += 1
            if body.get("force_refresh"):
                self.forced_refreshes += 1
                self.token = "T-" + secrets.token_hex(16)
            return {"access_token": self.token, "expires_in": self.expires_in}


def serve(fake: FakeWeChat) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class RequestHandler(BaseHTTPRequestHandler):
        def _do(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            rec = Recorded(
                method=self.command,
                path=parts.path,
                query={k: v[0] for k, v in parse_qs(parts.query).items()},
                body=self.rfile.read(length) if length else b"",
                headers={k.lower(): v for k, v in self.headers.items()},
            )
            answer = fake.handle(rec)
            data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        do_GET = _do
        do_POST = _do

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    return server, thread
