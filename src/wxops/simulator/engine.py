"""The simulator itself: state, clock, accounts, and the dispatch of WeChat API calls.

:class:`Simulator` is what the HTTP server serves and what ``running_simulator`` hands to
tests in the same process. Time-driven work (mass sends finishing, publishes completing,
followers acting, callbacks) is *settled* whenever the clock is read by a request, and by a
background worker that also delivers callbacks, so nothing depends on sleeping.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable

# The areas: importing them declares their endpoints (``@endpoint``).
from . import (  # noqa: F401
    access_tokens,
    behaviour,
    callbacks,
    comments,
    custom,
    datacube,
    datacube_2025,
    drafts,
    faults,
    mass,
    media,
    publish,
    qrcodes,
    quotas,
    users,
)
from .api import ENDPOINTS, ApiCall, Endpoint
from .errors import RID, WeChatError, error_body, rid
from .router import Request, Response
from .world import World

log = logging.getLogger("wxops.simulator")
LOGGED_BODY = 4000
KEPT_CALLS = 100_000

# The time-driven work, in order: mass sends finish first, then publishes, then what
# followers do (which reacts to both).
SETTLERS: tuple[Callable[[World, float], None], ...] = (mass.settle, publish.settle, behaviour.settle)


class Simulator(World):
    """A local WeChat: a :class:`~wxops.simulator.world.World` that answers API calls and
    runs a background worker (settling time-driven work, delivering callbacks)."""

    def __init__(self, state_path: str | None = None, *, seed: int | None = None,
                 start: float | None = None, frozen: bool | None = None) -> None:
        super().__init__(state_path, seed=seed, start=start, frozen=frozen)
        self._stop = threading.Event()
        self._worker: threading.Thread | None = None
        self._delivering = threading.Lock()

    # -- background work ----------------------------------------------------------------

    def settle(self) -> None:
        """Run every piece of time-driven work that is due at the simulated now."""
        with self.state.transaction():
            now = self.clock.now()
            for settler in SETTLERS:
                settler(self, now)

    def deliver_pending(self) -> int:
        delivered = 0
        with self._delivering:
            for callback_id in callbacks.pending(self):
                callbacks.deliver(self, callback_id)
                delivered += 1
        return delivered

    def drain(self, timeout: float = 60.0) -> int:
        """Settle, then deliver every pending callback before returning (bounded by ``timeout``)."""
        deadline = time.monotonic() + timeout
        total = 0
        while time.monotonic() < deadline:
            self.settle()
            done = self.deliver_pending()
            total += done
            if not done and not callbacks.pending(self):
                break
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.woken.wait(0.25)
            self.woken.clear()
            try:
                self.settle()
                self.deliver_pending()
            except Exception:  # the worker must outlive any single failure
                log.exception("simulator background work failed")

    def start(self) -> None:
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name="simulator-worker", daemon=True)
            self._worker.start()

    def stop(self) -> None:
        self._stop.set()
        self.woken.set()
        if self._worker is not None:
            self._worker.join(timeout=10)
            self._worker = None

    def close(self) -> None:
        self.stop()
        self.state.close()

    # -- the WeChat API ---------------------------------------------------------------------

    def _peek_app_id(self, request: Request) -> str | None:
        """The account a call is for, before it is checked (to pick the faults that apply)."""
        token = request.query.get("access_token")
        if token:
            return self.state.scalar("SELECT app_id FROM tokens WHERE token = ?", (token,))
        if request.query.get("appid"):
            return request.query["appid"]
        try:
            appid = json.loads(request.body or b"{}").get("appid")
        except (ValueError, AttributeError, UnicodeDecodeError, RecursionError):
            return None
        return appid if isinstance(appid, str) else None

    def handle_api(self, request: Request) -> Response:
        endpoint = ENDPOINTS.get(request.path)
        if endpoint is None:
            return Response.json(error_body(48001, "api unauthorized, no such api"), status=404)
        allowed = endpoint.methods + (("POST",) if "GET" in endpoint.methods else ())
        if request.method not in allowed:
            wanted = "POST" if "POST" in endpoint.methods else "GET"
            return Response.json(error_body(43002, f"require {wanted} method"))
        started = time.monotonic()
        with self.state.lock:
            self.settle()
            taken = faults.take(self.state, endpoint.path, self._peek_app_id(request))
        if "latency" in taken:
            time.sleep(taken["latency"].latency_ms / 1000)
        with self.state.lock:
            call = ApiCall(self, request, self.clock.now())
            if "errcode" in taken:
                result = error_body(taken["errcode"].errcode, taken["errcode"].errmsg)
            else:
                result = self._call(endpoint, call, taken)
            self._log(call, result, taken, started)
        response = result if isinstance(result, Response) else Response.json(result)
        if "timeout_after_accept" in taken:
            response.drop_connection = True
            response.hold_seconds = taken["timeout_after_accept"].hold_ms / 1000
        return response

    def _call(self, endpoint: Endpoint, call: ApiCall, taken: dict) -> object:
        call.notes["faults"] = taken
        try:
            if endpoint.needs_token:
                # Its own transaction: a call counts against the quota even when it then fails.
                with self.state.transaction():
                    call.account = access_tokens.account_for_token(self, call.request.query.get("access_token"),
                                                                   call.now)
                    call.check_ip()
                    quotas.count(self.state, call.app.app_id, endpoint.quota, call.now)
            with self.state.transaction():
                return endpoint.handler(call)
        except WeChatError as error:
            return error.body()
        except OverflowError:  # a number too large for SQLite: WeChat's answer to absurd arguments
            return error_body(40035, "invalid args, number out of range")
        except Exception:
            log.exception("simulator endpoint %s failed", endpoint.path)
            return error_body(-1)

    def _log(self, call: ApiCall, result: object, taken: dict, started: float) -> None:
        request = call.request
        query = {k: ("***" if k in ("secret", "access_token") else v) for k, v in request.query.items()}
        if request.headers.get("content-type", "").startswith("multipart/"):
            body = f"<multipart {len(request.body)} bytes>"
        else:
            body = request.body[:LOGGED_BODY].decode("utf-8", "replace")
            if request.path in ("/cgi-bin/stable_token", "/cgi-bin/token") and body:
                body = "<credentials>"
        if isinstance(result, Response):
            errcode, response = 0, f"<{result.content_type} {len(result.body)} bytes>"
        else:
            errcode = int(result.get("errcode", 0)) if isinstance(result, dict) else 0
            response = json.dumps(_masked(result), ensure_ascii=False)[:LOGGED_BODY]
        app_id = call.account.app_id if call.account else self._peek_app_id(request)
        found = RID.search(result.get("errmsg", "")) if isinstance(result, dict) else None
        cursor = self.state.execute(
            "INSERT INTO api_calls (app_id, method, path, at, errcode, request, response, fault, rid, client_ip, "
            "wall_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (app_id, request.method, request.path, call.now, errcode,
             json.dumps({"query": query, "body": body}, ensure_ascii=False), response, ",".join(taken) or None,
             found.group(1) if found else rid(), request.client_ip, int((time.monotonic() - started) * 1000)),
        )
        if cursor.lastrowid and cursor.lastrowid % 1000 == 0:
            # Keep the log of a long-running simulator bounded: the latest calls are what matter.
            self.state.execute("DELETE FROM api_calls WHERE id <= ?", (cursor.lastrowid - KEPT_CALLS,))


def _masked(result: object) -> object:
    """The answer as the call log keeps it: an issued access token shows only its first
    8 characters (as ``/sim/inspect/accounts/{app_id}/tokens`` does), never all of it."""
    if isinstance(result, dict) and isinstance(result.get("access_token"), str):
        return {**result, "access_token": result["access_token"][:8] + "***"}
    return result
