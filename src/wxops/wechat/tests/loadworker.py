"""A worker process for the multi-process token tests: N calls through a shared SqliteTokenStore.

Module-level so that ``multiprocessing``'s spawn start method can import it.
"""

from __future__ import annotations

import json

import httpx

from wxops.wechat import SqliteTokenStore, WeChatClient, WeChatError
from wxops.wechat.errors import TOKEN_ERRCODES


class CountingTransport(httpx.HTTPTransport):
    """Counts, on the wire, every answer that rejected our access token."""

    def __init__(self) -> None:
        super().__init__()
        self.rejected = 0
        self.token_fetches = 0
        self.forced_refreshes = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        response.read()
        if request.url.path == "/cgi-bin/stable_token":
            self.token_fetches += 1
            if json.loads(request.content or b"{}").get("force_refresh"):
                self.forced_refreshes += 1
        try:
            errcode = json.loads(response.content).get("errcode")
        except (ValueError, AttributeError):
            errcode = None
        if errcode in TOKEN_ERRCODES:
            self.rejected += 1
        return response


# A worker gives up waiting for the others after this long (raising BrokenBarrierError), so a
# process that died or stalled shows up as an error of the run instead of a pool waiting for ever.
BARRIER_SECONDS = 240


def run_calls(base_url: str, app_id: str, secret: str, store_path: str, calls: int, start: object = None,
              pause: tuple[object, object] | None = None) -> dict:
    """Make ``calls`` API calls; return what happened, counted on the wire and in exceptions.

    ``start`` is a barrier passed before the first call; ``pause`` = (reached, resume) are two
    barriers passed half-way, so the test can change the world (move the clock) in between.
    """
    transport = CountingTransport()
    client = WeChatClient(app_id, secret, base_url=base_url, token_store=SqliteTokenStore(store_path),
                          transport=transport, timeout=30.0)
    if start is not None:
        start.wait(timeout=BARRIER_SECONDS)  # every process starts calling at the same moment
    errors: dict[str, int] = {}
    ok = 0
    for n in range(calls):
        if pause is not None and n == calls // 2:
            pause[0].wait(timeout=BARRIER_SECONDS)
            pause[1].wait(timeout=BARRIER_SECONDS)
        try:
            client.users.get()
            ok += 1
        except WeChatError as exc:
            key = f"{type(exc).__name__}:{exc.errcode}"
            errors[key] = errors.get(key, 0) + 1
        except Exception as exc:  # a transport error, a locked store…: counted, so the run goes on and says what
            key = f"{type(exc).__name__}:{exc}"[:200]
            errors[key] = errors.get(key, 0) + 1
    client.close()
    return {"ok": ok, "errors": errors, "rejected": transport.rejected, "token_fetches": transport.token_fetches,
            "forced_refreshes": transport.forced_refreshes}


def run_calls_star(args: tuple) -> dict:
    return run_calls(*args)
