"""Send latency: from a slot's minute to the ``message/mass/sendall`` call, with the real worker.

    .venv/bin/python benchmarks/send_latency.py [--accounts 10] [--rounds 5] [--cache-dir var/cache]

``--accounts`` subscription accounts each get a push on ``--rounds`` slot days (Mon/Wed/Fri
11:30, from 2026-03-02): ≥ 50 slots by default, all accounts' slots at the same minute. The
huey consumer runs in this process with wxops's default worker settings
(``settings.HUEY["consumer"]``: 2 thread workers and the periodic scheduler, on SqliteHuey in
a fresh data folder) from the start to the end; the simulator runs beside it with its clock
*running*. For each slot day both clocks are set to :data:`RUNNING_BEFORE` (150 s) before
11:30 and then run at real speed through the slot — nothing is moved near the slot; the
worker alone sends. The rounds alternate how the slot's send task gets armed:

- **approval** (rounds 1, 3, 5 …): the reviewer approves the day's pushes 150 s before the
  slot, with the clock running — the approval arms the task;
- **tick** (rounds 2, 4 …): the pushes were approved on the first morning and the clock then
  jumped days ahead, so the task the approval armed is due days from now on the real clock:
  the minute's tick must see the slot one to two minutes away and arm it again (as after a
  worker restart or a lost task).

The delay of a slot is the time, on the simulator's clock, of the account's first ``sendall``
of that round minus 11:30:00 (a ``sendall`` before 11:30 is reported as an error), split at
the account's first send-path call at or after 11:30 (before it: waiting for the minute and
for the pushes sent beside it; after: ``draft/add`` and ``sendall``). Each push must make
exactly one ``sendall``.

Prints the scheduler's tick interval, the slot task's lead and the worker's polling, the
delays (p50, p100, also per arming path), and a baseline measured in the same run: a bare
``client.mass.send_mpnews`` against the same simulator (what the send itself costs), with
the ratio of the p50 delay to it.

A fresh data folder (SQLite) is used and removed; nothing else is touched. Takes about
2½ minutes per round.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Shanghai")
FIRST_DAY = date(2026, 3, 2)  # a Monday; no holiday in the next two weeks
SLOT = clock_time(11, 30)
SENDALL = "/cgi-bin/message/mass/sendall"
#: The calls a push's send makes: picture uploads, the draft, the mass send.
SEND_PATH = ("/cgi-bin/media/uploadimg", "/cgi-bin/material/add_material", "/cgi-bin/draft/add", SENDALL)
RUNNING_BEFORE = 150.0  # seconds before the slot at which both clocks are set running
PROFILE = {"followers": 5, "daily_new_followers": 0, "daily_unsubscribe_rate": 0, "daily_messages": 0,
           "categories": {"行业信息": {"read_rate": 0.05, "keywords": ["行业"]},
                          "财务管理": {"read_rate": 0.05, "keywords": ["发票"]}}}


def boot(data_dir: Path, cache_dir: Path | None) -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    os.environ.update({"WXOPS_DATA_DIR": str(data_dir), "WXOPS_TASKS_IMMEDIATE": "false",
                       "WXOPS_QUEUE_NAME": "wxops-send-latency", "WXOPS_CALLBACK_TIMESTAMP_WINDOW": "0"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wxops.site.settings")
    import django

    django.setup()
    from wxops.site.timelapse import sandbox

    sandbox.migrate(cache_dir)


def slot_days(rounds: int) -> list[date]:
    days, day = [], FIRST_DAY
    while len(days) < rounds:
        if day.weekday() in (0, 2, 4):
            days.append(day)
        day += timedelta(days=1)
    return days


def prepare(sim_http, accounts: int, days: list[date]):
    """``accounts`` accounts, each with a submitted one-article push on every day of ``days``;
    those of the tick rounds are approved now (the first morning)."""
    from wxops.core import clock
    from wxops.editorial.actions import plan_upcoming
    from wxops.site.timelapse import newsroom, stage

    stages = []
    with clock.frozen(datetime.combine(days[0], clock_time(8), tzinfo=ZONE)):
        people = None
        for number in range(accounts):
            the_stage = stage.prepare(sim_http, "http://127.0.0.1:9", PROFILE, 1000 + number,
                                      name=f"延迟测试{number:02d}", people=people)
            people = (the_stage.editor, the_stage.reviewer)
            plan_upcoming(the_stage.account)
            for index, day in enumerate(days):
                push = push_of(the_stage, day)
                _category, problem = newsroom.prepare_and_submit(push, the_stage, PROFILE, index)
                if not problem and path_of(index) == "tick":
                    problem = approve(push, the_stage)
                if problem:
                    raise SystemExit(f"could not prepare the push of {day}: {problem}")
            stages.append(the_stage)
    return stages


def push_of(the_stage, day: date):
    from wxops.editorial.models import Push

    return Push.objects.get(account=the_stage.account, slot_at=datetime.combine(day, SLOT, tzinfo=ZONE))


def approve(push, the_stage) -> str:
    from wxops.site.timelapse.reviewer import Decision, review_on_time

    return review_on_time(push, Decision.APPROVED, the_stage.reviewer)


def path_of(round_index: int) -> str:
    """How the round's send task is armed: by the approvals, or by the minute's tick."""
    return "approval" if round_index % 2 == 0 else "tick"


def first_call(sim_http, app_id: str, since: float, paths: tuple[str, ...]) -> float | None:
    """The simulator's time of the account's first call to one of ``paths`` since ``since``."""
    calls = sim_http.get("/sim/inspect/api-calls", params={"app_id": app_id, "limit": 10_000}).json()["calls"]
    times = [call["at"] for call in calls if call["at"] >= since and call["path"] in paths]
    return min(times) if times else None


def count_calls(sim_http, app_id: str, path: str) -> int:
    return sim_http.get("/sim/inspect/api-calls", params={"app_id": app_id, "path": path}).json()["total"]


def baseline(sim_url: str, sim_http, calls: int) -> list[float]:
    """Seconds of a bare ``client.mass.send_mpnews`` (a service account, to an empty tag: no daily quota)."""
    import secrets

    from wxops.simulator.tests.conftest import JPEG
    from wxops.wechat import WeChatClient

    app_id, secret = "wxbaseline" + secrets.token_hex(4), secrets.token_hex(16)
    sim_http.post("/sim/accounts", json={"app_id": app_id, "app_secret": secret, "account_type": "service"})
    token = sim_http.post("/cgi-bin/stable_token", json={"grant_type": "client_credential", "appid": app_id,
                                                          "secret": secret}).json()["access_token"]
    tag = sim_http.post("/cgi-bin/tags/create", params={"access_token": token},
                        json={"tag": {"name": "基线"}}).json()["tag"]["id"]
    thumb = sim_http.post("/cgi-bin/material/add_material", params={"access_token": token, "type": "thumb"},
                          files={"media": ("a.jpg", JPEG, "image/jpeg")}).json()["media_id"]
    drafts = [sim_http.post("/cgi-bin/draft/add", params={"access_token": token}, json={"articles": [
        {"title": f"基线{n}", "content": f"<p>基线 {n}</p>", "thumb_media_id": thumb}]}).json()["media_id"]
        for n in range(calls)]
    client = WeChatClient(app_id, secret, base_url=sim_url)
    client.drafts.count()  # the token, fetched outside the timing
    seconds = []
    for n, media_id in enumerate(drafts):
        started = time.perf_counter()
        client.mass.send_mpnews(media_id, clientmsgid=f"baseline-{n}", tag_id=tag)
        seconds.append(time.perf_counter() - started)
    return seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=10, help="accounts, each with a push per round (10)")
    parser.add_argument("--rounds", type=int, default=5, choices=range(1, 7), help="slot days, 1–6 (5)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="reuse an empty migrated database here")
    parser.add_argument("--timeout", type=float, default=90,
                        help="seconds after the slot to wait for a round's sends (90)")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="wxops-send-latency-"))
    try:
        return run(args, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def run(args, data_dir: Path) -> int:
    import logging

    boot(data_dir, args.cache_dir)
    logging.getLogger().setLevel(logging.WARNING)
    import httpx
    from django.conf import settings
    from django.utils.module_loading import autodiscover_modules
    from huey.consumer import Scheduler
    from huey.contrib.djhuey import HUEY

    from wxops.core import clock
    from wxops.publishing.actions.slot import SEND_THREADS
    from wxops.publishing.actions.timers import AHEAD, LEAD
    from wxops.simulator.engine import Simulator
    from wxops.simulator.server import serve

    days = slot_days(args.rounds)
    first = datetime.combine(days[0], clock_time(7), tzinfo=ZONE)
    sim = Simulator(None, seed=0, start=first.timestamp(), frozen=False)
    server, thread = serve(sim, "127.0.0.1", 0)
    sim_http = httpx.Client(base_url=server.base_url, timeout=60)
    consumer = None
    try:
        print(f"preparing {args.accounts} accounts × {len(days)} slot days …", file=sys.stderr)
        stages = prepare(sim_http, args.accounts, days)
        autodiscover_modules("tasks")  # as `wxops worker` (huey's run_huey) does: the periodic tasks
        options = dict(settings.HUEY["consumer"])
        consumer = HUEY.create_consumer(**options)
        polling = (consumer.scheduler_interval, consumer.default_delay, consumer.backoff, consumer.max_delay)
        delays: dict[str, list[float]] = {"approval": [], "tick": []}
        waits: list[float] = []  # slot minute → the account's first send-path call (the minute, pushes beside it)
        paths: list[float] = []  # that call → its sendall (the draft, the send)
        problems: list[str] = []
        for index, day in enumerate(days):
            slot = datetime.combine(day, SLOT, tzinfo=ZONE).timestamp()
            sim_http.post("/sim/clock", json={"set": slot - RUNNING_BEFORE}).raise_for_status()
            # the same offset from the wall clock for both: one time, read by everyone, running from here
            clock.set_offset(timedelta(seconds=float(sim.state.meta("clock:offset"))))
            if index == 0:
                consumer.start()  # its first tick comes at once: with the clock already on the first day
            if path_of(index) == "approval":
                for the_stage in stages:
                    problem = approve(push_of(the_stage, day), the_stage)
                    if problem:
                        problems.append(f"{day} {the_stage.account.name}: {problem}")
            waiting = {s.account.app_id for s in stages}
            deadline = time.monotonic() + RUNNING_BEFORE + args.timeout
            round_delays = []
            while waiting and time.monotonic() < deadline:
                time.sleep(0.5)
                for app_id in sorted(waiting):
                    at = first_call(sim_http, app_id, slot - RUNNING_BEFORE, (SENDALL,))
                    if at is None:
                        continue
                    if at < slot:
                        problems.append(f"{day} {app_id}: sendall {slot - at:.2f} s BEFORE the slot")
                    round_delays.append(at - slot)
                    started = first_call(sim_http, app_id, slot, SEND_PATH) or at
                    waits.append(started - slot)
                    paths.append(at - started)
                    waiting.discard(app_id)
            if waiting:
                problems.append(f"{day}: {len(waiting)} of {len(stages)} accounts had no sendall "
                                f"{args.timeout:.0f} s after the slot")
            delays[path_of(index)] += round_delays
            print(f"{day} 11:30 (armed by the {path_of(index)}): {len(round_delays)} sends, delays "
                  f"{min(round_delays, default=0):.2f}–{max(round_delays, default=0):.2f} s", file=sys.stderr)
        time.sleep(2)  # a second sendall of a push would show up here
        for the_stage in stages:
            calls = count_calls(sim_http, the_stage.account.app_id, SENDALL)
            if calls != len(days):
                problems.append(f"{the_stage.account.name}: {calls} sendall calls for {len(days)} pushes")
        consumer.stop(graceful=True)
        consumer = None
        bare = baseline(server.base_url, sim_http, 20)
    finally:
        if consumer is not None:
            consumer.stop()
        sim_http.close()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        sim.close()
    every = delays["approval"] + delays["tick"]
    print(f"send latency over {len(every)} slots ({args.accounts} accounts × {len(days)} slot days, the accounts' "
          f"slots at the same minute), SQLite, huey consumer with wxops's defaults: {options}")
    print(f"scheduler tick: periodic tasks checked every {Scheduler.periodic_task_seconds} s counted from the "
          f"worker's start (publishing.send_due: the sweep, and arming the slots {AHEAD.seconds} s ahead); the "
          f"schedule read every {polling[0]} s; the slot's send task starts {LEAD.seconds} s before it and sends "
          f"up to {SEND_THREADS} pushes side by side; an idle worker polls the queue from {polling[1]} s, "
          f"×{polling[2]} each empty poll, up to {polling[3]} s")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if not every:
        print("no send was seen: nothing to measure")
        return 1
    p50, p100 = percentile(every, 0.5), max(every)
    base = statistics.median(bare)
    print(f"delay from the slot minute to sendall: p50 {p50:.2f} s, p100 {p100:.2f} s "
          f"(target p100 < 2 s: {'met' if p100 < 2 and not problems else 'NOT met'})")
    for path, values in delays.items():
        if values:
            print(f"  armed by the {path}: {len(values)} slots, p50 {percentile(values, 0.5):.2f} s, "
                  f"p100 {max(values):.2f} s")
    print(f"  of which slot minute → the account's first call at or after it (the pushes beside it): p50 "
          f"{percentile(waits, 0.5):.2f} s, p100 {max(waits):.2f} s; that call → sendall (draft, send): p50 "
          f"{percentile(paths, 0.5):.2f} s, p100 {max(paths):.2f} s")
    print(f"baseline, a bare client.mass.send_mpnews: p50 {base * 1000:.1f} ms, p100 {max(bare) * 1000:.1f} ms; "
          f"p50 delay / baseline p50 = {p50 / base:.0f}×")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
