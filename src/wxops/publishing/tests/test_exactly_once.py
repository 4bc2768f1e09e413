"""Exactly once, against the simulator's own records: killed workers, lost answers, WeChat down.

A worker "killed" between two steps is played by raising a BaseException at that step's
checkpoint — nothing in publishing catches it, so the row is left as kill -9 would leave it
(lease held, state half-way); the next sweeps, once the lease has run out, must finish the
send with every follower reached exactly once.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from wxops.editorial.models import Notice, PushStatus
from wxops.publishing.actions import delivery_for, run_due_sends
from wxops.publishing.actions import sending as sending_module
from wxops.publishing.models import DeliveryState

from .conftest import FOLLOWERS, SLOT

pytestmark = pytest.mark.django_db

SENDALL = "/cgi-bin/message/mass/sendall"


class Killed(BaseException):
    """kill -9: nothing below gets to clean up."""


def kill_at(monkeypatch, step: str) -> list[str]:
    seen: list[str] = []

    def checkpoint(name: str) -> None:
        seen.append(name)
        if name == step and seen.count(name) == 1:
            raise Killed(step)

    monkeypatch.setattr(sending_module, "checkpoint", checkpoint)
    return seen


def finish(world, rounds: int = 4) -> None:
    """Sweeps a few minutes apart (each past a dead worker's lease), letting WeChat's jobs settle."""
    for _ in range(rounds):
        world.later(minutes=4)
        run_due_sends()


def assert_sent_once(world, push) -> None:
    push.refresh_from_db()
    delivery = delivery_for(push)
    assert push.status == PushStatus.SENT and delivery.state == DeliveryState.DELIVERED, delivery.reason
    send, = world.sends()  # one mass send in WeChat's records
    assert str(send["msg_id"]) == delivery.msg_id and send["clientmsgid"] == delivery.clientmsgid
    reach = world.reach(delivery.msg_id)
    assert reach["exactly_once"] and reach["reached"] == FOLLOWERS and reach["duplicates"] == {}


@pytest.mark.parametrize("step", ["claimed", "uploaded", "drafted", "before_send_call", "after_send_call"])
def test_a_worker_killed_between_two_steps_sends_once(world, approved, monkeypatch, step):
    seen = kill_at(monkeypatch, step)
    world.at(SLOT)
    with pytest.raises(Killed):
        run_due_sends()
    assert step in seen
    delivery = delivery_for(approved)
    assert delivery.lease_owner  # left as a killed worker leaves it
    assert run_due_sends() == []  # the lease still runs: nobody else touches it
    finish(world)
    assert_sent_once(world, approved)
    if step == "after_send_call":  # the send went out before the kill: the retry learnt it from 45065
        assert delivery_for(approved).send_calls >= 2 and world.calls(SENDALL) >= 2


def test_a_timeout_after_wechat_accepted_the_send_sends_no_second_time(world, approved):
    world.sim.fault(target=SENDALL, mode="timeout_after_accept", hold_ms=50)
    world.at(SLOT)
    outcome, = run_due_sends()
    assert outcome.state == DeliveryState.UNKNOWN
    assert len(world.sends()) == 1  # it did go out
    world.later(seconds=30)
    assert run_due_sends() == []  # not within the minute WeChat would refuse (45066)
    finish(world)
    assert_sent_once(world, approved)
    assert "45065" in delivery_for(approved).reason or delivery_for(approved).send_calls == 2


def test_wechat_down_for_an_hour_sends_once_when_it_is_back(world, approved):
    for path in ("/cgi-bin/material/add_material", "/cgi-bin/draft/add", SENDALL):
        world.sim.fault(target=path, mode="errcode", errcode=-1, count=-1)
    world.at(SLOT)
    for _minute in range(60):
        run_due_sends()
        world.later(minutes=1)
    delivery = delivery_for(approved)
    assert delivery.state == DeliveryState.WAITING and "-1" in delivery.reason
    assert world.sends() == []
    world.sim.control("DELETE", "/faults")
    finish(world, rounds=3)
    assert_sent_once(world, approved)


@override_settings(WXOPS_SEND_CUTOFF_MINUTES=30)
def test_wechat_down_past_the_cutoff_holds_the_push_and_tells_everyone(world, approved,
                                                                      django_capture_on_commit_callbacks):
    world.sim.fault(target=SENDALL, mode="errcode", errcode=-1, count=-1)
    world.at(SLOT)
    with django_capture_on_commit_callbacks(execute=True):
        for _minute in range(35):
            run_due_sends()
            world.later(minutes=1)
    approved.refresh_from_db()
    delivery = delivery_for(approved)
    assert approved.status == PushStatus.HELD and delivery.state == DeliveryState.HELD
    assert "12:00" in delivery.reason and world.sends() == []
    assert Notice.objects.filter(push=approved, event="held").exists()
    world.sim.control("DELETE", "/faults")
    finish(world, rounds=2)
    assert world.sends() == []  # held means held
