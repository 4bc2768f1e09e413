"""The callback hands each stored item to the handlers of the inbound registry, once."""

from __future__ import annotations

import importlib
import logging
import sys

import defusedxml.ElementTree as SafeET
import pytest

from wxops.core import inbound
from wxops.core.models import Heartbeat
from wxops.interaction.models import AutoReply, HandledStatus, InboundMessage

from .conftest import event_xml, post, sign, text_xml

APPS = ("wxops.interaction.tests.inbound_app_one", "wxops.interaction.tests.inbound_app_two")


@pytest.fixture
def two_apps():
    """Register the handlers of two test apps as ``AppConfig.ready()`` would, and remove them afterwards."""
    with inbound.isolated():
        modules = [importlib.reload(sys.modules[name]) if name in sys.modules else importlib.import_module(name)
                   for name in APPS]
        modules[1].fail[0] = False
        yield modules


def test_two_apps_handlers_both_run_for_one_event_in_priority_order(client, plain_account, two_apps):
    one, two = two_apps
    AutoReply.objects.create(account=plain_account, subscribe_text="欢迎关注！")  # interaction's own, priority 500
    response = post(client, plain_account, sign(plain_account, event_xml(plain_account, "subscribe",
                                                                         key="qrscene_branch:sz-01")))
    stored = InboundMessage.objects.get()
    assert one.calls == [("one.attribute", stored.pk), ("one.welcome", stored.pk)]
    assert two.calls == [("two.count", stored.pk)]
    assert SafeET.fromstring(response.content).findtext("Content") == "branch:sz-01 欢迎您"
    assert (stored.reply, stored.status) == ("branch:sz-01 欢迎您", HandledStatus.ANSWERED)
    assert sorted(Heartbeat.objects.values_list("name", flat=True)) == [f"one:{stored.pk}", f"two:{stored.pk}"]


def test_without_a_branch_the_account_welcome_answers(client, plain_account, two_apps):
    AutoReply.objects.create(account=plain_account, subscribe_text="欢迎关注！")
    response = post(client, plain_account, sign(plain_account, event_xml(plain_account, "subscribe")))
    assert SafeET.fromstring(response.content).findtext("Content") == "欢迎关注！"


def test_a_retry_of_a_stored_item_runs_no_handler_again_and_gets_the_same_reply(client, plain_account, two_apps):
    one, two = two_apps
    xml = event_xml(plain_account, "subscribe", key="qrscene_branch:sz-01")
    answers = [post(client, plain_account, sign(plain_account, xml)).content for _ in range(3)]
    stored = InboundMessage.objects.get()
    assert len(set(answers)) == 1 and b"branch:sz-01" in answers[0]
    assert one.calls == [("one.attribute", stored.pk), ("one.welcome", stored.pk)]
    assert two.calls == [("two.count", stored.pk)]
    assert Heartbeat.objects.count() == 2


def test_a_handler_that_fails_breaks_neither_the_callback_nor_the_others(client, plain_account, two_apps, caplog):
    one, two = two_apps
    two.fail[0] = True
    with caplog.at_level(logging.ERROR, logger="wxops.core.inbound"):
        response = post(client, plain_account, sign(plain_account, event_xml(plain_account, "subscribe",
                                                                             key="qrscene_branch:gz-03")))
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert stored.reply == "branch:gz-03 欢迎您"
    # the failing handler's own write is rolled back; the item and the other app's write are kept
    assert list(Heartbeat.objects.values_list("name", flat=True)) == [f"one:{stored.pk}"]
    assert "count_everything failed" in caplog.text


def test_a_text_message_reaches_the_catch_all_handler_and_the_default_reply(client, plain_account, two_apps):
    one, two = two_apps
    AutoReply.objects.create(account=plain_account, message_text="已收到。")
    response = post(client, plain_account, sign(plain_account, text_xml(plain_account, msg_id=31)))
    stored = InboundMessage.objects.get()
    assert one.calls == []
    assert two.calls == [("two.count", stored.pk)]
    assert SafeET.fromstring(response.content).findtext("Content") == "已收到。"
