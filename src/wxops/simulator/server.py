"""The simulator's HTTP server (standard library only) and its command line.

    python -m wxops.simulator.server --port 9100 --state var/simulator.sqlite3
    wxops simulator --port 9100            # the same, through the project's command

``/cgi-bin/...`` and ``/datacube/...`` answer like api.weixin.qq.com; ``/sim/...`` is the
control API, ``/sim/inspect/...`` the inspection API (docs/simulator.md). A request the
simulator cannot make sense of gets WeChat's error answer, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import control, inspection, overview  # noqa: F401 - importing them declares their pages
from .clock import ClockError, parse_instant
from .engine import Simulator
from .errors import error_body
from .router import ROUTES, Request, Response

log = logging.getLogger("wxops.simulator")
MAX_BODY = 20 * 1024 * 1024


class App:
    """Routes a :class:`Request` to the WeChat API, the control API or the inspection API."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self.router = ROUTES

    def handle(self, request: Request) -> Response:
        try:
            route, params, path_exists = self.router.match(request.method, request.path)
            if route is not None:
                result = route.handler(self.sim, request, **params)
                return result if isinstance(result, Response) else Response.json(result)
            if request.path.startswith("/sim/"):
                status = 405 if path_exists else 404
                return Response.json({"error": f"{request.method} {request.path} is not part of the control API; "
                                               "see docs/simulator.md"}, status)
            return self.sim.handle_api(request)
        except control.ControlError as exc:
            return Response.json({"error": str(exc)}, exc.status)
        except Exception:
            log.exception("simulator failed on %s %s", request.method, request.path)
            if request.path.startswith("/sim/"):
                return Response.json({"error": "internal error in the simulator; see its log"}, 500)
            return Response.json(error_body(-1))


class Handler(BaseHTTPRequestHandler):
    server: SimulatorHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "wxops-simulator"
    sys_version = ""
    # Headers and body leave in one write: separate small writes meet Nagle's algorithm and
    # the client's delayed ACK, costing ~40 ms per request.
    wbufsize = 64 * 1024

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _serve(self) -> None:
        path, _, raw_query = self.path.partition("?")
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._write(Response.json(error_body(47001, "data format error, bad Content-Length")), close=True)
            return
        body = self.rfile.read(length) if length else b""
        request = Request(
            method=self.command, path=path or "/", query=Request.parse_query(raw_query),
            headers={k.lower(): v for k, v in self.headers.items()}, body=body, client_ip=self.client_address[0])
        response = self.server.app.handle(request)
        if response.drop_connection:
            if response.hold_seconds:
                time.sleep(response.hold_seconds)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._write(response)

    def _write(self, response: Response, close: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _serve

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's signature
        log.debug("%s - %s", self.address_string(), format % args)


class SimulatorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], sim: Simulator) -> None:
        self.sim = sim
        self.app = App(sim)
        super().__init__(address, Handler)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


def serve(sim: Simulator, host: str = "127.0.0.1", port: int = 0) -> tuple[SimulatorHTTPServer, threading.Thread]:
    """Start the server in a background thread (with the simulator's worker)."""
    server = SimulatorHTTPServer((host, port), sim)
    sim.start()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="simulator-http",
                              daemon=True)
    thread.start()
    return server, thread


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="wxops simulator",
        description="Run the local WeChat simulator (api.weixin.qq.com look-alike with a control API under /sim/).",
        epilog="Example: wxops simulator --port 9100 --state var/simulator.sqlite3 --seed 7",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=9100, help="port (default 9100; 0 picks a free one)")
    p.add_argument("--state", default=None, help="SQLite file that keeps the state across restarts "
                                                  "(default: in memory)")
    p.add_argument("--seed", type=int, default=None, help="seed for simulated followers (default 0, or the "
                                                          "seed stored in --state)")
    p.add_argument("--start", default=None, help="set the simulated clock to this ISO 8601 time at start")
    p.add_argument("--frozen", action="store_true", help="freeze the simulated clock (move it via /sim/clock)")
    p.add_argument("--verbose", action="store_true", help="log every request")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the simulator until interrupted; returns the exit status."""
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    try:
        start = parse_instant(args.start) if args.start else None
    except ClockError as exc:
        print(f"wxops simulator: --start: {exc}", file=sys.stderr)
        return 2
    try:
        sim = Simulator(args.state, seed=args.seed, start=start, frozen=True if args.frozen else None)
    except Exception as exc:  # a corrupt or unreadable state file
        print(f"wxops simulator: cannot open state {args.state}: {exc}", file=sys.stderr)
        return 1
    try:
        server, thread = serve(sim, args.host, args.port)
    except OSError as exc:
        print(f"wxops simulator: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        sim.close()
        return 1
    print(f"WeChat simulator on {server.base_url} (state: {args.state or 'in memory'}, seed {sim.seed}); "
          f"control API at {server.base_url}/sim/health", flush=True)
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        sim.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
