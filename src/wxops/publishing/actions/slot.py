"""One slot minute's sends: prepare them before the minute, then send every push due at it side by side.

Run by the slot's task (:func:`wxops.publishing.tasks.send_slot_task`) once it holds the
minute's timer (:mod:`~wxops.publishing.actions.timers`). Each push goes through
:func:`~wxops.publishing.actions.due.send_when_due` — the same gate and claim as the sweep's,
so a push is sent once whoever gets to it — in its own thread (up to :data:`SEND_THREADS`):
ten accounts at 11:30 do not wait for each other's uploads, draft and WeChat's answers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import datetime, timedelta

from django.db import connections

from wxops.core import clock
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions import ahead, timers
from wxops.publishing.actions.ahead import Ahead
from wxops.publishing.actions.due import send_when_due
from wxops.publishing.actions.sending import SendOutcome

logger = logging.getLogger("wxops.publishing")

#: Pushes of one minute sent at once (each mostly waits for WeChat and the database).
SEND_THREADS = 8
#: How often a waiting runner looks at the clock (and renews its lease, every tenth look).
TICK = 0.05
#: A runner started further than this before its slot (the clock moved back) does not wait.
LONGEST_WAIT = timers.LEAD * 2
#: Pushes not prepared this close to the minute are prepared at it (a late start, a slow machine).
READY_BY = timedelta(seconds=1)


def due_at(slot_at: datetime, *, besides: set[int] | frozenset[int] = frozenset()) -> list[Push]:
    return list(Push.objects.filter(status=PushStatus.APPROVED, slot_at=slot_at).exclude(pk__in=besides)
                .select_related("account").order_by("pk"))


def send_slot(slot_at: datetime, owner: str) -> list[SendOutcome] | None:
    """Prepare the minute's approved pushes ahead (:mod:`~wxops.publishing.actions.ahead`), wait for
    the minute, send them all; then whatever was approved for it meanwhile. None when the slot
    is too far off to wait for (a moved clock)."""
    if (slot_at - clock.now()) > LONGEST_WAIT:
        return None
    aheads: dict[int, Ahead | None] = {}
    for push in due_at(slot_at):
        if clock.now() >= slot_at - READY_BY:
            break  # late: the rest take the whole way at the minute
        timers.renew(slot_at, owner)
        aheads[push.pk] = ahead.prepare(push)
    try:
        if not _wait_for(slot_at, owner):
            return None
        outcomes: list[SendOutcome] = []
        tried: set[int] = set()
        while pushes := due_at(slot_at, besides=tried):
            tried.update(push.pk for push in pushes)
            outcomes += _side_by_side(pushes, lambda push: send_when_due(push.pk, ahead=aheads.get(push.pk)),
                                      renew=lambda: timers.renew(slot_at, owner))
        return outcomes
    finally:
        for prepared in aheads.values():
            ahead.discard_unused(prepared)


def _wait_for(slot_at: datetime, owner: str) -> bool:
    give_up = time.monotonic() + (slot_at - clock.now()).total_seconds() + 5  # a frozen clock never comes
    looks = 0
    while (left := (slot_at - clock.now()).total_seconds()) > 0:
        if time.monotonic() > give_up:
            return False
        looks += 1
        if looks % 10 == 0:
            timers.renew(slot_at, owner)
        time.sleep(min(TICK, left))
    return True


def _side_by_side(pushes: list[Push], send: Callable[[Push], SendOutcome | None], *,
                  renew: Callable[[], None]) -> list[SendOutcome]:
    if len(pushes) == 1:
        outcome = _safely(send, pushes[0])
        return [outcome] if outcome is not None else []

    def in_thread(push: Push) -> SendOutcome | None:
        try:
            return _safely(send, push)
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=min(len(pushes), SEND_THREADS), thread_name_prefix="wxops-send") as pool:
        pending = {pool.submit(in_thread, push) for push in pushes}
        done = set()
        while pending:
            finished, pending = wait(pending, timeout=1, return_when=FIRST_COMPLETED)
            done |= finished
            renew()
    return [future.result() for future in done if future.result() is not None]


def _safely(send: Callable[[Push], SendOutcome | None], push: Push) -> SendOutcome | None:
    try:
        return send(push)
    except Exception:  # one broken push must not stop the others; the sweep tries it again
        logger.exception("push %s: could not send it at its slot", push.pk)
        return None
