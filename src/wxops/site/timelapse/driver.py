"""The time-lapse itself: the clocks of wxops and of the simulator moved together, day by
day, to the minutes at which something happens, with the periodic work run at each.

A day of the plan, in the account's time zone (Asia/Shanghai)::

    08:00  the statistics sync; every second Monday the fortnightly report (and, with
           --planner wxops, its category weights); then the hourly planner keeps two weeks
           of pushes (editorial.tasks.plan_all_accounts)
    08:30  the editor writes the slot's article in the planner's category and submits it
    09:00  deadlines tick (a reminder would go to an editor who had not submitted)
    09:30  the reviewer approves — or asks for changes; a late reviewer does nothing yet
    10:00  deadlines tick: the unapproved are escalated
    11:30  the slot: deadlines tick (the unapproved are held) and the send tick
    11:31  the send tick again (a sweep); the simulator's MASSSENDJOBFINISH reaches the site
    12:15  the late reviewer tries to approve (refused: the slot has passed)
    13:00  the ticks once more
    14:00  every day: the feedback round (``feedback.py``: windows opened, comments synced,
           the windows of yesterday's pushes closed with the director's document)

The periodic tasks run every minute in production; here they run at those minutes only,
because at every other minute they would find nothing due (they are idempotent). After
every move the simulator settles what became due (sends finishing, followers reading,
subscribing, writing) and delivers its callbacks to the site before the driver goes on.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
from django.test import override_settings

from wxops.accounts.times import shown_day
from wxops.core import clock
from wxops.editorial import tasks as editorial_tasks
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions import run_due_sends
from wxops.site.timelapse import feedback, learning, newsroom, servers, stage, summary
from wxops.site.timelapse.reviewer import Decision, Reviewer, review_late, review_on_time

logger = logging.getLogger("wxops.simulate")

PLANNERS = learning.PLANNERS


@dataclass(frozen=True)
class Options:
    """One simulation: ``weeks`` from ``start`` (a date, the account's zone) with ``profile``'s
    followers, the reviewer's shares, written to ``out``."""

    weeks: int
    profile: dict
    seed: int
    out: Path
    start: date
    planner: str = "round-robin"
    late_share: float = 0.05
    reject_share: float = 0.05


@dataclass
class SlotRecord:
    """What the driver did at one slot (the simulator's side is matched later, in summary)."""

    at: datetime
    push_id: int
    category: str = ""
    review: str = ""
    status: str = ""
    delivered: int | None = None  # what wxops learnt from MASSSENDJOBFINISH (Push.delivery_sent)
    notes: list[str] = field(default_factory=list)


class Clocks:
    """wxops's clock and the simulator's, moved together (both frozen between moves)."""

    def __init__(self, sim: httpx.Client) -> None:
        self.sim = sim

    def move_to(self, moment: datetime) -> None:
        clock.freeze(moment)
        answer = self.sim.post("/sim/clock", json={"set": moment.timestamp()})
        answer.raise_for_status()
        self.drain()

    def drain(self) -> None:
        self.sim.post("/sim/callbacks/drain").raise_for_status()


class Driver:
    def __init__(self, options: Options, sim: httpx.Client, the_stage: stage.Stage, progress) -> None:
        self.options = options
        self.sim = sim
        self.stage = the_stage
        self.clocks = Clocks(sim)
        self.zone = ZoneInfo(the_stage.account.time_zone)
        self.reviewer = Reviewer(options.seed, late_share=options.late_share, reject_share=options.reject_share)
        self.records: list[SlotRecord] = []
        self.reports: list[str] = []
        self.progress = progress

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def tick(self, now: datetime, records: list[SlotRecord] = ()) -> None:
        """The periodic work of one minute: deadlines, then sends; then callbacks are delivered."""
        editorial_tasks.run_deadlines(now)
        try:
            run_due_sends(now=now)  # publishing's send tick (the periodic task's body)
        except Exception as error:  # a failing send is a finding of the run, not its end
            logger.warning("the send tick failed at %s: %r", now.isoformat(), error)
            for record in records:
                record.notes.append(f"send tick failed at {now:%H:%M}: {error!r}")
        self.clocks.drain()

    def pushes_on(self, day: date) -> list[Push]:
        return list(Push.objects.filter(account=self.stage.account, slot_at__gte=self.at(day, 0),
                                        slot_at__lt=self.at(day + timedelta(days=1), 0))
                    .exclude(status=PushStatus.CANCELLED).order_by("slot_at"))

    def run_day(self, day: date) -> None:
        self.clocks.move_to(self.at(day, 8))
        self.reports += learning.morning(self.stage.account, self.options.planner, clock.now(), self.options.out)
        editorial_tasks.plan_all_accounts()
        editorial_tasks.run_deadlines(clock.now())
        pushes = self.pushes_on(day)
        if not pushes:
            return
        self.clocks.move_to(self.at(day, 8, 30))
        today = []
        for push in pushes:
            record = SlotRecord(at=push.slot_at, push_id=push.pk)
            record.category, problem = newsroom.prepare_and_submit(push, self.stage, self.options.profile,
                                                                   len(self.records))
            decision = self.reviewer.decide()
            if problem:
                record.notes.append(f"not submitted: {problem}")
                decision = Decision.NOT_SUBMITTED
            record.review = decision.value
            self.records.append(record)
            today.append((push, record))
        records = [record for _push, record in today]
        self.clocks.move_to(self.at(day, 9))
        self.tick(self.at(day, 9), records)
        self.clocks.move_to(self.at(day, 9, 30))
        for push, record in today:
            if record.review in (Decision.APPROVED, Decision.REJECTED):
                problem = review_on_time(push, Decision(record.review), self.stage.reviewer)
                if problem:
                    record.notes.append(f"review refused: {problem}")
                    if record.review == Decision.APPROVED:
                        record.review = Decision.APPROVAL_REFUSED.value
        for moment in sorted({self.at(day, 10), *(push.slot_at for push, _ in today)}):
            self.clocks.move_to(moment)
            self.tick(moment, records)
            after = moment + timedelta(minutes=1)
            self.clocks.move_to(after)
            self.tick(after, records)
        self.clocks.move_to(self.at(day, 12, 15))
        for push, record in today:
            if record.review == Decision.LATE:
                problem = review_late(push, self.stage.reviewer)
                record.notes.append(f"late approval refused: {problem}" if problem else "approved late")
        self.clocks.move_to(self.at(day, 13))
        self.tick(self.at(day, 13), records)
        for push, record in today:
            push.refresh_from_db()
            record.status, record.delivered = push.status, push.delivery_sent

    def run(self, end: datetime) -> None:
        day = self.at(self.options.start, 0).date()
        while self.at(day, 0) < end:
            self.run_day(day)
            feedback.daily_round(self, day)
            self.progress.update(1)
            sent = sum(1 for r in self.records if r.status == PushStatus.SENT)
            self.progress.set_postfix_str(f"{shown_day(day)} slots {len(self.records)} sent {sent}", refresh=False)
            day += timedelta(days=1)
        self.clocks.move_to(end)
        feedback.final_round(self, end)


def run(options: Options) -> dict:
    """Run the simulation in the current (fresh) database; write ``summary.json`` and
    ``slots.json`` to ``options.out`` and return the summary."""
    from tqdm import tqdm

    if options.planner not in PLANNERS:
        raise ValueError(f"unknown planner {options.planner!r}: use one of {', '.join(PLANNERS)}")
    for noisy in ("httpx", "wagtail", "wxops.interaction", "wxops.core.inbound", "wxops.wechat"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    zone = ZoneInfo("Asia/Shanghai")
    start = datetime.combine(options.start, time(0), tzinfo=zone)
    end = start + timedelta(weeks=options.weeks)
    clock.freeze(start)
    try:
        # The people are told as in production, by email too: kept in memory, never sent.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                servers.simulator(seed=options.seed, start=start) as sim_url, servers.site() as site_url, \
                httpx.Client(base_url=sim_url, timeout=120) as sim, \
                tqdm(total=options.weeks * 7, desc="wxops simulate", unit="day", file=sys.stderr,
                     dynamic_ncols=True) as progress:
            the_stage = stage.prepare(sim, site_url, options.profile, options.seed)
            if options.planner == "oracle":
                learning.write_oracle(the_stage.account, options.profile, options.start, end.date())
            driver = Driver(options, sim, the_stage, progress)
            driver.run(end)
            result = summary.collect(sim, the_stage.account, driver.records, weeks=options.weeks,
                                     start=start, end=end)
            result.summary["reports"] = driver.reports
            result.summary.update(feedback.figures(the_stage.account, options.out))
    finally:
        clock.unfreeze()
    summary.write(options.out, result)
    return result.summary
