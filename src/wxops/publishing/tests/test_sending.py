"""An approved push goes out at its slot minute, once, against the simulator over real HTTP."""

from __future__ import annotations

import pytest

from wxops.editorial import actions as editorial
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions import delivery_for, run_due_sends
from wxops.publishing.models import Channel, DeliveryState, WeChatUpload

from .conftest import FOLLOWERS, SLOT

pytestmark = pytest.mark.django_db


def sent_and_settled(world, push):
    """Run the sweep at the slot, let WeChat's job finish, run it again: the push is sent."""
    world.at(SLOT)
    first = run_due_sends()
    world.later(minutes=1, seconds=5)
    run_due_sends()
    push.refresh_from_db()
    return first


def test_an_approved_push_is_sent_at_its_slot_to_every_follower_once(world, approved):
    world.at(SLOT.replace(minute=29))
    assert run_due_sends() == []  # a minute early: nothing
    assert world.sends() == []
    outcome, = sent_and_settled(world, approved)
    assert outcome.push_id == approved.pk and outcome.state == DeliveryState.ACCEPTED and outcome.msg_id
    delivery = delivery_for(approved)
    assert delivery.state == DeliveryState.DELIVERED and approved.status == PushStatus.SENT
    send, = world.sends()
    assert send["clientmsgid"] == delivery.clientmsgid and str(send["msg_id"]) == delivery.msg_id
    assert send["titles"] == ["社保基数调整要点", "发票新规一览"]
    reach = world.reach(delivery.msg_id)
    assert reach["exactly_once"] and reach["reached"] == FOLLOWERS
    assert delivery.msg_data_id and delivery.first_send_call_at == SLOT and delivery.send_calls == 1
    assert [a.title for a in delivery.articles.all()] == ["社保基数调整要点", "发票新规一览"]
    assert "电子发票全面推行。" in delivery.articles.get(index=1).html
    assert run_due_sends() == []  # nothing left to do, however often it runs


def test_the_clientmsgid_is_stored_before_the_call_and_fits_wechats_limit(world, approved):
    world.at(SLOT)
    run_due_sends()
    delivery = delivery_for(approved)
    assert delivery.clientmsgid.startswith("wxops-") and len(delivery.clientmsgid.encode()) <= 64
    send, = world.sends()
    assert send["clientmsgid"] == delivery.clientmsgid


def test_pictures_are_uploaded_once_and_reused_by_the_next_send(world, approved, editor, reviewer, make_article):
    sent_and_settled(world, approved)
    uploads = WeChatUpload.objects.filter(account=world.account)
    assert uploads.count() == 1  # both articles share the fixture's cover
    assert world.calls("/cgi-bin/material/add_material") == 1


def test_an_unapproved_push_is_not_sent(world, approved, editor):
    editorial.withdraw(approved, user=editor)
    world.at(SLOT)
    assert run_due_sends() == []
    assert world.sends() == [] and delivery_for(approved) is None


def test_an_article_changed_after_approval_goes_back_to_review_and_nothing_is_sent(world, approved):
    article = approved.items.first().article
    article.title = "社保基数调整要点（修订）"
    article.save_revision()  # saved without editorial's hook: the gate finds it at send time
    world.at(SLOT)
    outcome, = run_due_sends()
    approved.refresh_from_db()
    assert approved.status == PushStatus.IN_REVIEW and outcome.delivery_id is None
    assert "修订" not in outcome.reason and world.sends() == []


def test_an_account_without_appsecret_is_held_with_the_reason(world, approved):
    world.account.app_secret = ""
    world.account.save(update_fields=["app_secret"])
    world.at(SLOT)
    outcome, = run_due_sends()
    approved.refresh_from_db()
    assert approved.status == PushStatus.HELD and "AppSecret" in approved.status_reason
    assert world.sends() == []


def test_publish_without_notifying_uses_freepublish_and_reaches_nobody(world, approved):
    Push.objects.filter(pk=approved.pk).update(notify_followers=False)
    world.at(SLOT)
    outcome, = run_due_sends()
    delivery = delivery_for(approved)
    assert delivery.channel == Channel.PUBLISH and delivery.publish_id and outcome.state == DeliveryState.ACCEPTED
    world.later(minutes=1, seconds=5)
    run_due_sends()
    delivery.refresh_from_db()
    approved.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and approved.status == PushStatus.SENT
    assert world.sends() == []
    publish, = world.sim.inspect(f"/accounts/{world.app_id}/publishes")["publishes"]
    assert str(publish["publish_id"]) == delivery.publish_id
