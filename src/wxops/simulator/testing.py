"""Start the simulator in-process for tests, on a free port, over real HTTP.

    from wxops.simulator.testing import running_simulator

    with running_simulator() as sim:
        sim.register_account(app_id="wx_test", app_secret="s3cret")
        httpx.get(sim.url + "/cgi-bin/token", params={...})
        sim.advance(days=1)
        assert sim.inspect("/accounts/wx_test/reach", msg_id=msg_id)["exactly_once"]

``simulator`` is the same as a pytest fixture; import it into a test module or a
conftest (``from wxops.simulator.testing import simulator  # noqa: F401``).
The clock starts frozen at ``START`` (a Monday 09:00 China time) unless told otherwise.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from .clock import parse_instant
from .engine import Simulator
from .server import serve

START = "2026-03-02T09:00:00+08:00"


class SimulatorHandle:
    """A running simulator: its base ``url``, the in-process ``sim`` and control helpers over HTTP."""

    def __init__(self, url: str, sim: Simulator) -> None:
        self.url = url
        self.sim = sim
        self.http = httpx.Client(base_url=url, timeout=30)

    @property
    def state(self):
        return self.sim.state

    def control(self, method: str, path: str, /, **json_body: Any) -> Any:
        response = self.http.request(method, "/sim" + path, json=json_body if method != "GET" else None,
                                     params=json_body if method == "GET" else None)
        if response.status_code >= 400:
            raise AssertionError(f"simulator {method} {path}: {response.status_code} {response.text}")
        return response.json()

    def inspect(self, path: str, /, **params: Any) -> Any:
        return self.control("GET", "/inspect" + path, **params)

    def register_account(self, **config: Any) -> dict[str, Any]:
        """Register an account; missing credentials are generated. Returns the full config (with secrets)."""
        config.setdefault("app_id", "wx" + secrets.token_hex(8))
        config.setdefault("app_secret", secrets.token_hex(16))
        config.setdefault("token", secrets.token_hex(8))
        config.setdefault("encoding_aes_key", secrets.token_urlsafe(32)[:43].replace("-", "a").replace("_", "b"))
        self.control("POST", "/accounts", **config)
        return config

    def token(self, app_id: str, app_secret: str) -> str:
        response = self.http.post("/cgi-bin/stable_token", json={
            "grant_type": "client_credential", "appid": app_id, "secret": app_secret})
        return response.json()["access_token"]

    def advance(self, seconds: float = 0, days: float = 0) -> dict[str, Any]:
        return self.control("POST", "/clock", advance=seconds, advance_days=days)

    def set_clock(self, when: str | float, force: bool = False) -> dict[str, Any]:
        return self.control("POST", "/clock", set=when, force=force)

    def drain(self) -> int:
        return self.control("POST", "/callbacks/drain")["delivered"]

    def fault(self, **fault: Any) -> dict[str, Any]:
        return self.control("POST", "/faults", **fault)["fault"]

    def close(self) -> None:
        self.http.close()


@contextmanager
def running_simulator(state: str | None = None, *, seed: int = 0, start: str | float | None = START,
                      frozen: bool = True) -> Iterator[SimulatorHandle]:
    """A simulator on 127.0.0.1 and a free port, stopped on exit."""
    sim = Simulator(state, seed=seed, start=parse_instant(start) if start is not None else None, frozen=frozen)
    server, thread = serve(sim, "127.0.0.1", 0)
    handle = SimulatorHandle(server.base_url, sim)
    try:
        yield handle
    finally:
        handle.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        sim.close()


try:
    import pytest
except ImportError:  # pragma: no cover - pytest is a test dependency
    pytest = None

if pytest is not None:

    @pytest.fixture
    def simulator() -> Iterator[SimulatorHandle]:
        """A fresh in-memory simulator for one test."""
        with running_simulator() as handle:
            yield handle
