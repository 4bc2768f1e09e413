"""Prepared ahead of the minute: the slot's task checks, renders, uploads and drafts each push
before its slot, and at the minute only claims and sends — unless something changed since,
when the push takes the whole way (and, changed after approval, goes back to review)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from wagtail.models import ModelLogEntry

from wxops.editorial.models import PushStatus
from wxops.publishing.actions import ahead, delivery_for, run_due_sends
from wxops.publishing.actions.due import AUDIT_CLAIMED, send_when_due
from wxops.publishing.models import DeliveryState

from .conftest import SLOT
from .test_exactly_once import Killed, assert_sent_once, finish, kill_at

pytestmark = pytest.mark.django_db

SENDALL = "/cgi-bin/message/mass/sendall"
DRAFT_ADD = "/cgi-bin/draft/add"


def test_at_the_minute_the_draft_made_ahead_is_sent(world, approved):
    world.at(SLOT - timedelta(seconds=20))
    prepared = ahead.prepare(approved)
    assert prepared.media_id and world.calls(DRAFT_ADD) == 1 and world.calls(SENDALL) == 0  # nothing sent ahead
    world.at(SLOT)
    outcome = send_when_due(approved.pk, ahead=prepared)
    delivery = delivery_for(approved)
    assert outcome.state == DeliveryState.ACCEPTED and delivery.media_id == prepared.media_id
    assert world.calls(DRAFT_ADD) == 1 and world.calls(SENDALL) == 1
    assert [a.title for a in delivery.articles.all()] == [a.draft.title for a in prepared.articles]
    claimed = ModelLogEntry.objects.filter(action=AUDIT_CLAIMED, object_id=str(delivery.pk)).get()
    assert claimed.data["drafted_ahead"] is True
    ahead.discard_unused(prepared)  # it was used: stays
    assert world.calls("/cgi-bin/draft/delete") == 0
    finish(world, rounds=2)
    assert_sent_once(world, approved)


def test_a_change_after_the_preparation_goes_back_to_review_and_the_draft_is_deleted(world, approved):
    world.at(SLOT - timedelta(seconds=20))
    prepared = ahead.prepare(approved)
    article = approved.items.first().article
    article.title = "社保基数调整要点（修订）"
    article.save_revision()  # after the preparation, before the minute
    world.at(SLOT)
    outcome = send_when_due(approved.pk, ahead=prepared)
    approved.refresh_from_db()
    assert approved.status == PushStatus.IN_REVIEW and outcome.delivery_id is None
    assert world.calls(SENDALL) == 0 and delivery_for(approved) is None
    ahead.discard_unused(prepared)
    assert world.calls("/cgi-bin/draft/delete") == 1
    assert run_due_sends() == [] and world.sends() == []


def test_a_worker_killed_after_claiming_with_the_draft_made_ahead_sends_once(world, approved, monkeypatch):
    world.at(SLOT - timedelta(seconds=20))
    prepared = ahead.prepare(approved)
    world.at(SLOT)
    kill_at(monkeypatch, "claimed")
    with pytest.raises(Killed):
        send_when_due(approved.pk, ahead=prepared)
    assert delivery_for(approved).state == DeliveryState.READY and world.calls(SENDALL) == 0
    finish(world)  # the sweep, once the dead worker's lease ran out, sends the draft made ahead
    assert world.calls(DRAFT_ADD) == 1
    assert_sent_once(world, approved)
