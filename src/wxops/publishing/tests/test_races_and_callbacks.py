"""Two workers racing for one slot, and WeChat's MASSSENDJOBFINISH reaching wxops's callback URL.

Run on SQLite by default and on PostgreSQL with DATABASE_URL: the claim must hold on both.
"""

from __future__ import annotations

import secrets

import pytest
from django.urls import reverse

from wxops.core.racing import race
from wxops.editorial.models import PushStatus
from wxops.publishing.actions import delivery_for, run_due_sends
from wxops.publishing.models import DeliveryState

from .conftest import FOLLOWERS, SLOT
from .test_exactly_once import assert_sent_once, finish

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_racing_for_one_slot_send_once(world, approved):
    world.at(SLOT)
    outcome = race(run_due_sends, 3)
    assert outcome.errors == []
    # one worker claimed it; the others found nothing
    assert [o.push_id for result in outcome.results for o in result] == [approved.pk]
    finish(world, rounds=2)
    assert_sent_once(world, approved)


@pytest.fixture
def calling_back(world, live_server):
    """The simulator sends its callbacks to wxops's callback URL on Django's live server."""
    account = world.account
    account.callback_token = secrets.token_hex(8)
    account.message_mode = "plain"
    account.save(update_fields=["callback_token", "message_mode"])
    world.sim.control("POST", "/accounts", app_id=account.app_id, app_secret=account.app_secret,
                      token=account.callback_token, encrypt_mode="plain",
                      callback_url=live_server.url + reverse("interaction:callback", args=[account.app_id]))
    return world


def test_masssendjobfinish_records_wechats_counts_and_the_calendar_shows_them(calling_back, approved):
    world = calling_back
    world.sim.fault(target="callback", mode="duplicate")  # WeChat says it twice: nothing changes the second time
    world.at(SLOT)
    run_due_sends()
    world.later(seconds=5)
    world.sim.drain()
    delivery = delivery_for(approved)
    approved.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and approved.status == PushStatus.SENT
    assert (delivery.total_count, delivery.sent_count, delivery.error_count) == (FOLLOWERS, FOLLOWERS, 0)
    assert (approved.delivery_total, approved.delivery_sent, approved.delivery_errors) == (FOLLOWERS, FOLLOWERS, 0)
    assert str(FOLLOWERS) in approved.delivery_summary
    assert all(article.url for article in delivery.articles.all())
    world.later(minutes=2)
    assert run_due_sends() == []  # nothing to ask WeChat any more
    assert_sent_once(world, approved)
