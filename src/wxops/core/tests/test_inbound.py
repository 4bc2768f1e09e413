"""The inbound registry on its own: topics, priority order, the first reply, failures kept apart."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from types import MappingProxyType

import pytest

from wxops.core import inbound
from wxops.core.models import Heartbeat
from wxops.wechat import parse_message


def item(xml_inner: str, stored_id: int = 1) -> inbound.InboundItem:
    message = parse_message(f"<xml><ToUserName>gh_1</ToUserName><FromUserName>oF1</FromUserName>"
                            f"<CreateTime>1772413200</CreateTime>{xml_inner}</xml>")
    event = getattr(message, "event", "")
    return inbound.InboundItem(
        stored_id=stored_id, account_id=1, app_id="wx1", kind=(event or message.msg_type).lower(),
        msg_type=message.msg_type, event=event, from_openid="oF1", msg_id="", content="", scene_key="",
        created_at=None, received_at=datetime(2026, 3, 2, tzinfo=UTC), message=message,
        fields=MappingProxyType(dict(message.raw)))


TEXT = "<MsgType>text</MsgType><Content>你好</Content><MsgId>1</MsgId>"
SUBSCRIBE = "<MsgType>event</MsgType><Event>subscribe</Event><EventKey>qrscene_branch:sz-01</EventKey>"


@pytest.mark.parametrize(("topic", "expected"), [
    ("text", "text"), ("TEXT", "text"), ("event:subscribe", "event:SUBSCRIBE"),
    ("event:MASSSENDJOBFINISH", "event:MASSSENDJOBFINISH"), ("*", "*")])
def test_topics_are_normalised(topic, expected):
    def handle(item):
        return None

    with inbound.isolated(empty=True):
        inbound.handler(topic)(handle)
        assert inbound.handlers_for(expected if expected != "*" else "image") == [handle]


@pytest.mark.parametrize("topic", ["", "event:", "news:1"])
def test_a_bad_topic_is_refused_at_registration(topic):
    with pytest.raises(ValueError):
        inbound.handler(topic)


def test_the_item_topic_follows_its_type_and_event():
    assert (item(TEXT).topic, item(SUBSCRIBE).topic) == ("text", "event:SUBSCRIBE")


def test_handlers_run_by_priority_and_the_first_reply_wins(db):
    calls = []

    def record(name, answer):
        def handle(item):
            calls.append(name)
            return answer
        handle.__qualname__ = name
        return handle

    with inbound.isolated(empty=True):
        inbound.handler("event:subscribe", priority=500)(record("welcome", inbound.Reply("欢迎", "welcome")))
        inbound.handler("*", priority=1000)(record("everything", inbound.Reply("never chosen")))
        inbound.handler("event:SUBSCRIBE", priority=10)(record("branch", inbound.Reply("深圳分公司欢迎您")))
        inbound.handler("event:subscribe", priority=5)(record("attribution", None))
        inbound.handler("text", priority=1)(record("keyword", inbound.Reply("not for events")))
        reply = inbound.dispatch(item(SUBSCRIBE))
    assert calls == ["attribution", "branch", "welcome", "everything"]
    assert reply == inbound.Reply("深圳分公司欢迎您")


def test_no_handler_means_no_reply(db):
    with inbound.isolated(empty=True):
        assert inbound.dispatch(item(TEXT)) is None


def test_registering_one_function_twice_keeps_one(db):
    calls = []

    def handle(item):
        calls.append(item.stored_id)

    with inbound.isolated(empty=True):
        inbound.handler("text")(handle)
        inbound.handler("text")(handle)
        inbound.dispatch(item(TEXT))
    assert calls == [1]


def test_a_failing_handler_is_logged_rolled_back_alone_and_the_others_run(db, caplog):
    def writes_then_fails(item):
        Heartbeat.objects.create(name="failing", beat_at=item.received_at)
        raise RuntimeError("boom")

    def writes(item):
        Heartbeat.objects.create(name="working", beat_at=item.received_at)
        return inbound.Reply("ok")

    with inbound.isolated(empty=True), caplog.at_level(logging.ERROR, logger="wxops.core.inbound"):
        inbound.handler("text", priority=1)(writes_then_fails)
        inbound.handler("text", priority=2)(writes)
        reply = inbound.dispatch(item(TEXT, stored_id=7))
    assert reply == inbound.Reply("ok")
    assert list(Heartbeat.objects.values_list("name", flat=True)) == ["working"]
    assert "writes_then_fails failed for item 7 (text)" in caplog.text


def test_isolated_restores_the_registry():
    before = inbound.handlers_for("text")

    def handle(item):
        return None

    with inbound.isolated():
        inbound.handler("text")(handle)
        assert handle in inbound.handlers_for("text")
    assert inbound.handlers_for("text") == before
