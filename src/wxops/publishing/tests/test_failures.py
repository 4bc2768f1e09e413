"""WeChat's refusals: permanent ones fail the push with the reason in words and tell everyone;
passing ones wait (45011: the next minute); a draft gone after a lost answer is made again."""

from __future__ import annotations

import pytest

from wxops.editorial.models import Notice, PushStatus
from wxops.publishing.actions import delivery_for, run_due_sends
from wxops.publishing.models import DeliveryState

from .conftest import SLOT
from .test_exactly_once import SENDALL, assert_sent_once, finish

pytestmark = pytest.mark.django_db


def test_no_mass_send_quota_fails_the_push_with_the_reason_and_everyone_is_told(
        world, approved, django_capture_on_commit_callbacks):
    world.sim.fault(target=SENDALL, mode="errcode", errcode=45028)
    world.at(SLOT)
    with django_capture_on_commit_callbacks(execute=True):
        outcome, = run_due_sends()
    approved.refresh_from_db()
    assert outcome.state == DeliveryState.FAILED and approved.status == PushStatus.FAILED
    assert "45028" in approved.status_reason and "群发" in approved.status_reason  # WeChat's meaning, in words
    assert set(Notice.objects.filter(push=approved, event="failed").values_list("user__username", flat=True)) >= {
        "editor", "reviewer"}
    finish(world, rounds=1)
    assert world.sends() == []  # failed means nothing is tried again


def test_the_per_minute_limit_waits_for_the_next_minute(world, approved):
    world.sim.fault(target=SENDALL, mode="errcode", errcode=45011)
    world.at(SLOT)
    outcome, = run_due_sends()
    delivery = delivery_for(approved)
    assert outcome.state == DeliveryState.WAITING and (delivery.next_attempt_at - SLOT).total_seconds() == 60
    world.later(seconds=30)
    assert run_due_sends() == [] and world.sends() == []  # not within the minute
    world.later(seconds=31)
    outcome, = run_due_sends()
    assert outcome.state == DeliveryState.ACCEPTED
    finish(world, rounds=1)
    assert_sent_once(world, approved)


def test_a_draft_gone_after_a_lost_answer_is_made_again_and_not_sent_twice(world, approved):
    world.sim.fault(target=SENDALL, mode="timeout_after_accept", hold_ms=50)
    world.at(SLOT)
    assert run_due_sends()[0].state == DeliveryState.UNKNOWN
    world.sim.fault(target=SENDALL, mode="errcode", errcode=40007)  # as a platform checking the draft first answers
    finish(world)
    assert_sent_once(world, approved)
    delivery = delivery_for(approved)
    assert world.calls("/cgi-bin/draft/add") == 2 and delivery.send_calls == 3


def test_publish_without_an_answer_is_found_published_by_its_draft_leaving_the_box(world, approved):
    from wxops.editorial.models import Push

    Push.objects.filter(pk=approved.pk).update(notify_followers=False)
    world.sim.fault(target="/cgi-bin/freepublish/submit", mode="timeout_after_accept", hold_ms=50)
    world.at(SLOT)
    assert run_due_sends()[0].state == DeliveryState.UNKNOWN
    finish(world, rounds=2)
    delivery = delivery_for(approved)
    approved.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and approved.status == PushStatus.SENT
    assert len(world.sim.inspect(f"/accounts/{world.app_id}/publishes")["publishes"]) == 1
    assert world.calls("/cgi-bin/freepublish/submit") == 1


def test_a_send_waiting_for_the_administrators_confirmation_says_so_and_fails_when_refused(
        world, approved, django_capture_on_commit_callbacks):
    world.sim.control("POST", f"/accounts/{world.app_id}", mass_send_protection=True)
    world.at(SLOT)
    assert run_due_sends()[0].state == DeliveryState.ACCEPTED
    for _minute in range(6):
        world.later(minutes=1)
        run_due_sends()
    delivery = delivery_for(approved)
    assert delivery.state == DeliveryState.ACCEPTED and "群发保护" in delivery.reason
    world.sim.control("POST", f"/accounts/{world.app_id}/mass/{delivery.msg_id}/confirm", approve=False)
    with django_capture_on_commit_callbacks(execute=True):
        world.later(minutes=1)
        run_due_sends()
    approved.refresh_from_db()
    assert delivery_for(approved).state == DeliveryState.FAILED and approved.status == PushStatus.FAILED
    assert "SEND_FAIL" in approved.status_reason
    assert world.reach(delivery.msg_id)["reached"] == 0
