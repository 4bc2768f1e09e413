"""The two servers of a simulation, in this process on free ports of 127.0.0.1: the local
WeChat simulator (clock frozen, moved only by the driver) and wxops's own site, which the
simulator calls back (MASSSENDJOBFINISH, followers' messages and subscriptions)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

from wxops.simulator.engine import Simulator
from wxops.simulator.server import SimulatorHTTPServer


@contextmanager
def simulator(*, seed: int, start: datetime, state: str | None = None) -> Iterator[str]:
    """A simulator frozen at ``start``; yields its base URL.

    Its background worker is not started: the driver settles time-driven work and delivers
    callbacks itself (``/sim/callbacks/drain``) after each move of the clock, so the order of
    events — and so the run — is the same every time.
    """
    sim = Simulator(state, seed=seed, start=start.timestamp(), frozen=True)
    server = SimulatorHTTPServer(("127.0.0.1", 0), sim)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="timelapse-simulator", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        sim.close()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        pass


@contextmanager
def site() -> Iterator[str]:
    """wxops's site (the WSGI application) on a free port; yields its base URL."""
    from wxops.site.wsgi import application

    server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler, allow_reuse_address=True)
    server.set_app(application)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="timelapse-site", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
