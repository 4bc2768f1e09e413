"""The slot minute's send task: armed at approval and by the minute's tick, once; it sends every
account's push of that minute side by side, at the minute and not before — and never twice,
whoever else (another task, the sweep) reaches for the same pushes."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from wxops.accounts.models import Account
from wxops.core import clock
from wxops.core.racing import race
from wxops.editorial import actions
from wxops.editorial.models import PushStatus
from wxops.publishing.actions import delivery_for, run_due_sends, timers
from wxops.publishing.models import DeliveryState, SlotTimer
from wxops.publishing.tasks import arm_slot, send_slot_task

from .conftest import SLOT
from .test_exactly_once import assert_sent_once, finish

SENDALL = "/cgi-bin/message/mass/sendall"


def near(a: datetime, b: datetime, seconds: float = 3) -> bool:
    return abs((a - b).total_seconds()) <= seconds


@pytest.fixture
def armed(approved) -> SlotTimer:
    """The timer as the approval armed it (push events come after commit; a test's transaction never commits)."""
    arm_slot(SLOT)
    return SlotTimer.objects.get(slot_at=SLOT)


def test_approving_arms_the_minutes_task(world, editor, reviewer, make_article, django_capture_on_commit_callbacks):
    push = actions.plan_push(world.account, SLOT)
    actions.add_article(push, make_article(), user=editor)
    actions.submit(push, user=editor)
    assert not SlotTimer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve(push, user=reviewer)
    assert SlotTimer.objects.filter(slot_at=SLOT).exists()


def test_approval_arms_the_minutes_task_once_lead_before_the_slot(world, armed):
    timer = armed  # the clock reads 08:00
    assert near(timer.armed_for, timezone.now() + (SLOT - timers.LEAD - world.now))
    assert arm_slot(SLOT) is None  # armed already: nothing enqueued again
    assert timers.arm_upcoming(lambda *_: pytest.fail("enqueued twice")) == []  # 11:30 is not two minutes away


def test_the_tick_arms_again_when_the_clock_moved_and_when_the_task_was_lost(world, armed):
    enqueued = []
    world.at(SLOT - timedelta(seconds=90))  # a time-lapse jump: the approval's task starts hours from now
    assert timers.arm_upcoming(lambda slot_at, start: enqueued.append(start)) == [SLOT]
    assert near(enqueued[-1], timezone.now() + timedelta(seconds=60))
    assert timers.arm_upcoming(lambda slot_at, start: enqueued.append(start)) == []  # armed right now
    SlotTimer.objects.filter(slot_at=SLOT).update(armed_for=timezone.now() - timers.PICKUP - timedelta(seconds=1))
    world.at(SLOT - timedelta(seconds=20))  # its start passed long ago and no worker took it: lost
    assert timers.arm_upcoming(lambda slot_at, start: enqueued.append(start)) == [SLOT]
    assert len(enqueued) == 2 and near(enqueued[-1], timezone.now())


def test_arming_rules(db):
    wall = timezone.now()
    start = wall + timedelta(seconds=30)
    timer = SlotTimer(slot_at=SLOT, armed_for=start)
    assert not timers.needs_arming(timer, start, wall)  # armed as it should be
    timer.runner_until = wall + timedelta(seconds=3)
    assert not timers.needs_arming(timer, wall, wall)  # a live runner re-reads the minute's pushes itself
    timer.runner_until, timer.taken_at = wall - timedelta(seconds=1), start
    assert timers.needs_arming(timer, wall, wall)  # it ran: a late approval needs a new task
    timer.taken_at, timer.armed_for = None, wall - timedelta(seconds=5)
    assert not timers.needs_arming(timer, wall, wall)  # due 5 s ago: a worker is picking it up
    timer.armed_for = wall - timers.PICKUP - timedelta(seconds=1)
    assert timers.needs_arming(timer, wall, wall)  # not picked up in time: lost


def test_the_sweep_leaves_a_running_minute_to_its_task(world, approved, armed):
    SlotTimer.objects.filter(slot_at=SLOT).update(runner="someone", runner_until=timezone.now() + timedelta(minutes=1))
    world.at(SLOT + timedelta(seconds=1))
    assert run_due_sends() == []
    assert world.calls(SENDALL) == 0 and delivery_for(approved) is None
    SlotTimer.objects.filter(slot_at=SLOT).update(runner_until=timezone.now() - timedelta(seconds=1))  # it died
    outcome, = run_due_sends()
    assert outcome.state == DeliveryState.ACCEPTED
    finish(world, rounds=2)
    assert_sent_once(world, approved)


def test_a_second_task_of_the_minute_does_nothing(world, approved, armed):
    timer = armed
    SlotTimer.objects.filter(pk=timer.pk).update(runner="someone", runner_until=timezone.now() + timedelta(minutes=1))
    world.at(SLOT)
    assert send_slot_task.call(SLOT.isoformat(), timer.armed_for.isoformat()) == {
        "skipped": "another task has this minute"}
    assert world.calls(SENDALL) == 0
    stale = timer.armed_for - timedelta(hours=1)  # a task armed before the timer was armed again
    SlotTimer.objects.filter(pk=timer.pk).update(runner="", runner_until=None)
    assert send_slot_task.call(SLOT.isoformat(), stale.isoformat())["skipped"]
    assert world.calls(SENDALL) == 0 and PushStatus(approved.status) == PushStatus.APPROVED


def test_the_task_waits_for_the_minute_on_a_running_clock_and_sends_once(world, approved, armed):
    timer = armed
    world.at(SLOT - timedelta(seconds=1))
    clock.unfreeze()
    clock.set_offset(SLOT - timedelta(seconds=1) - timezone.now())  # running: the slot comes in a second
    result = send_slot_task.call(SLOT.isoformat(), timer.armed_for.isoformat())
    assert [entry["push"] for entry in result["sent"]] == [approved.pk]
    delivery = delivery_for(approved)
    assert delivery.state == DeliveryState.ACCEPTED and delivery.first_send_call_at >= SLOT
    assert send_slot_task.call(SLOT.isoformat(), timer.armed_for.isoformat()) == {"sent": []}  # again: nothing
    finish(world, rounds=2)
    assert_sent_once(world, approved)


@pytest.mark.django_db(transaction=True)
def test_the_minutes_pushes_of_several_accounts_go_out_side_by_side_once(world, approved, editor, reviewer, cover):
    others = []
    for number in range(2):
        account = Account.objects.create(name=f"第{number}号", app_id="wx" + secrets.token_hex(8),
                                         app_secret=secrets.token_hex(16), api_base=world.sim.url)
        world.sim.register_account(app_id=account.app_id, app_secret=account.app_secret, encrypt_mode="plain")
        world.sim.control("POST", f"/accounts/{account.app_id}/audience", seed=number, followers=5)
        push = actions.plan_push(account, SLOT)
        article = type(approved.items.first().article).objects.create(
            title=f"行业动态 {number}", body="<p>要点。</p>", cover=cover, account=account)
        article.save_revision()
        actions.add_article(push, article, user=editor)
        actions.submit(push, user=editor)
        actions.approve(push, user=reviewer)
        others.append(push)
    arm_slot(SLOT)  # the transactional test committed, so the approvals armed it; as the others do
    timer = SlotTimer.objects.get(slot_at=SLOT)
    world.at(SLOT)
    # two tasks of the minute at once (a re-arming raced): one sends, the other finds it taken
    outcome = race(lambda: send_slot_task.call(SLOT.isoformat(), timer.armed_for.isoformat()), 2)
    assert outcome.errors == []
    sent = sorted(entry["push"] for result in outcome.results for entry in result.get("sent", []))
    assert sent == sorted([approved.pk, *(push.pk for push in others)])
    for push in [approved, *others]:
        delivery = delivery_for(push)
        assert delivery.state == DeliveryState.ACCEPTED
        assert world.sim.inspect("/api-calls", app_id=push.account.app_id, path=SENDALL)["total"] == 1
    assert run_due_sends() == []  # nothing left for the sweep at that minute
