"""Figures for the simulator, printed by a script anyone can rerun.

    python -m wxops.simulator.benchmark [--followers 3000] [--days 30] [--calls 2000]

Prints: API calls per second over real HTTP (stable_token + draft/count, one client), the
time to load an audience, to deliver one push to every follower, and to simulate N days of
follower activity, with what those days produced.
"""

from __future__ import annotations

import argparse
import sys
import time

import httpx

from .testing import running_simulator

PROFILE = {
    "seed": 7, "daily_new_followers": 15, "daily_unsubscribe_rate": 0.001,
    "categories": {"人力资源管理": {"read_rate": 0.08, "share_rate": 0.01, "favorite_rate": 0.005,
                                  "comment_rate": 0.002}},
    "feedback_topics": [{"category": "人力资源管理", "weight": 3, "texts": ["社保基数什么时候调整？", "年假怎么计算？"]}],
    "scenes": {"branch:001": 0.4, "branch:002": 0.2},
}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 4000


def run(followers: int, days: int, calls: int) -> list[str]:
    lines = []
    with running_simulator() as sim:
        sim.register_account(app_id="wxbench", app_secret="bench")
        http = httpx.Client(base_url=sim.url, timeout=30)
        body = {"grant_type": "client_credential", "appid": "wxbench", "secret": "bench"}
        started = time.perf_counter()
        for _ in range(calls // 2):
            token = http.post("/cgi-bin/stable_token", json=body).json()["access_token"]
            http.get("/cgi-bin/draft/count", params={"access_token": token})
        elapsed = time.perf_counter() - started
        lines.append(f"api: {calls} calls in {elapsed:.2f} s = {calls / elapsed:.0f} calls/s")

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
                                     epilog="Example: python -m wxops.simulator.benchmark --followers 3000 --days 30")
    parser.add_argument("--followers", type=int, default=3000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args(argv)
    for line in run(args.followers, args.days, args.calls):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
