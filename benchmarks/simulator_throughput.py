"""Figures for the local WeChat simulator, printed by a script anyone can rerun.

    .venv/bin/python benchmarks/simulator_throughput.py [--followers 3000] [--days 30] [--calls 2000]

Prints: API calls per second over real HTTP (stable_token + draft/count, one client) and
the ratio to a bare standard-library HTTP server answering a fixed JSON in the same process
(the cost of the HTTP stack alone), the time to load an audience, to deliver one push to
every follower, and to simulate N days of follower activity, with what those days produced.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from wxops.simulator.testing import running_simulator

PROFILE = {
    "seed": 7, "daily_new_followers": 15, "daily_unsubscribe_rate": 0.001,
    "categories": {"人力资源管理": {"read_rate": 0.08, "share_rate": 0.01, "favorite_rate": 0.005,
                                  "comment_rate": 0.002}},
    "feedback_topics": [{"category": "人力资源管理", "weight": 3, "texts": ["社保基数什么时候调整？", "年假怎么计算？"]}],
    "scenes": {"branch:001": 0.4, "branch:002": 0.2},
}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 4000


class _FixedAnswer(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else delayed ACKs cap keep-alive at ~25 calls/s
    body = json.dumps({"errcode": 0, "errmsg": "ok", "total_count": 0}).encode()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


def baseline_calls_per_second(calls: int) -> float:
    """Calls/s of a bare stdlib server with a fixed answer: the HTTP stack's own cost."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FixedAnswer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{server.server_port}", timeout=30) as http:
            started = time.perf_counter()
            for _ in range(calls // 2):
                http.post("/cgi-bin/stable_token", json={"grant_type": "client_credential"})
                http.get("/cgi-bin/draft/count", params={"access_token": "x"})
            return calls / (time.perf_counter() - started)
    finally:
        server.shutdown()
        server.server_close()


def run(followers: int, days: int, calls: int) -> list[str]:
    lines = []
    baseline = baseline_calls_per_second(calls)
    with running_simulator() as sim:
        sim.register_account(app_id="wxbench", app_secret="bench")
        http = httpx.Client(base_url=sim.url, timeout=30)
        body = {"grant_type": "client_credential", "appid": "wxbench", "secret": "bench"}
        started = time.perf_counter()
        for _ in range(calls // 2):
            token = http.post("/cgi-bin/stable_token", json=body).json()["access_token"]
            http.get("/cgi-bin/draft/count", params={"access_token": token})
        elapsed = time.perf_counter() - started
        lines.append(f"api: {calls} calls in {elapsed:.2f} s = {calls / elapsed:.0f} calls/s; bare HTTP server "
                     f"{baseline:.0f} calls/s; ratio {calls / elapsed / baseline:.2f}x")

        started = time.perf_counter()
        sim.control("POST", "/accounts/wxbench/audience", followers=followers, **PROFILE)
        lines.append(f"audience: {followers} followers loaded in {time.perf_counter() - started:.2f} s")

        params = {"access_token": token}
        thumb = http.post("/cgi-bin/material/add_material", params={**params, "type": "thumb"},
                          files={"media": ("t.jpg", JPEG, "image/jpeg")}).json()["media_id"]
        draft = http.post("/cgi-bin/draft/add", params=params, json={"articles": [{
            "title": "人力资源管理：社保基数调整", "content": "<p>正文</p>", "thumb_media_id": thumb,
            "need_open_comment": 1}]}).json()["media_id"]
        started = time.perf_counter()
        sent = http.post("/cgi-bin/message/mass/sendall", params=params, json={
            "filter": {"is_to_all": True}, "mpnews": {"media_id": draft}, "msgtype": "mpnews",
            "clientmsgid": "bench-1"}).json()
        sim.advance(5)
        reach = sim.inspect("/accounts/wxbench/reach", msg_id=sent["msg_id"])
        lines.append(f"push: reached {reach['reached']} of {reach['followers']} followers "
                     f"(exactly once: {reach['exactly_once']}) in {time.perf_counter() - started:.2f} s")

        started = time.perf_counter()
        sim.advance(days=days)
        elapsed = time.perf_counter() - started
        totals: dict[str, int] = {}
        for day in sim.inspect("/accounts/wxbench/activity")["days"].values():
            for kind, figures in day.items():
                totals[kind] = totals.get(kind, 0) + figures["events"]
        callbacks = sim.inspect("/callbacks", app_id="wxbench", limit=1)["total"]
        lines.append(f"time-lapse: {days} days simulated in {elapsed:.2f} s; activity {dict(sorted(totals.items()))}; "
                     f"{callbacks} callbacks recorded")
        http.close()
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="Example: .venv/bin/python benchmarks/simulator_throughput.py --followers 3000 --days 30")
    parser.add_argument("--followers", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args(argv)
    for line in run(args.followers, args.days, args.calls):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
