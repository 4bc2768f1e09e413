"""The inbox in the admin: read-only listing with filters and search, the detail view, keep and ignore."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from wxops.accounts.roles import ensure_roles
from wxops.interaction import actions
from wxops.interaction.models import HANDLED_TRANSITIONS, HandledStatus, InboundKind, InboundMessage
from wxops.wechat import parse_message

from .conftest import event_xml, text_xml


def store(account, xml: str) -> InboundMessage:
    return actions.receive(account, parse_message(xml), xml=xml).stored


def user_in(role_group: str, name: str):
    ensure_roles()
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw-" + name * 2)
    user.groups.add(Group.objects.get(name=role_group))
    return user


@pytest.fixture
def messages_in(account):
    return [
        store(account, text_xml(account, "社保基数什么时候调整？", msg_id=1)),
        store(account, text_xml(account, "发票怎么开？", msg_id=2, openid="oOther")),
        store(account, event_xml(account, "subscribe", key="qrscene_branch:sz-01")),
    ]


@pytest.fixture
def editor_client(client, db):
    client.force_login(user_in("运营编辑", "editor1"))
    return client


def test_the_inbox_lists_messages_in_chinese(editor_client, messages_in):
    response = editor_client.get("/admin/inbox/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "收件箱" in page or "Inbox" in page
    assert "社保基数什么时候调整？" in page and "发票怎么开？" in page


def test_the_inbox_shows_followers_by_label_never_by_openid(editor_client, messages_in):
    import re

    from wxops.interaction.inbox_conversations import short_label

    page = editor_client.get("/admin/inbox/").content.decode()
    shown = re.sub(r'href="[^"]*"', "", page)  # the conversation link's address carries it; nobody reads that
    openids = {m.from_openid for m in messages_in if m.from_openid}
    assert openids and not any(openid in shown for openid in openids)
    assert all(short_label(openid) in page for openid in openids)


def test_the_inbox_filters_by_kind_and_status_and_searches_text(editor_client, messages_in):
    by_kind = editor_client.get("/admin/inbox/", {"kind": InboundKind.SUBSCRIBE}).content.decode()
    assert "branch:sz-01" in by_kind and "发票怎么开？" not in by_kind
    searched = editor_client.get("/admin/inbox/", {"q": "发票"}).content.decode()
    assert "发票怎么开？" in searched and "社保基数什么时候调整？" not in searched
    actions.set_status(messages_in[0], HandledStatus.KEPT)
    kept = editor_client.get("/admin/inbox/", {"status": HandledStatus.KEPT}).content.decode()
    assert "社保基数什么时候调整？" in kept and "发票怎么开？" not in kept


def test_the_inbox_filters_by_received_date(editor_client, messages_in):
    day = messages_in[0].received_at.date().isoformat()
    assert "发票怎么开？" in editor_client.get("/admin/inbox/", {"received_at_from": day}).content.decode()
    assert "发票怎么开？" not in editor_client.get("/admin/inbox/", {"received_at_to": "2000-01-01"}).content.decode()


def test_the_detail_shows_the_xml(editor_client, messages_in):
    response = editor_client.get(f"/admin/inbox/inspect/{messages_in[0].pk}/")
    assert response.status_code == 200
    assert "&lt;MsgId&gt;1&lt;/MsgId&gt;" in response.content.decode()


def test_nobody_adds_edits_or_deletes_messages_in_the_admin(client, db, messages_in):
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-boss-boss")
    client.force_login(boss)
    pk = messages_in[0].pk
    assert client.get("/admin/inbox/new/").status_code in (302, 403)
    assert client.get(f"/admin/inbox/edit/{pk}/").status_code in (302, 403)
    assert client.post(f"/admin/inbox/delete/{pk}/").status_code in (302, 403)
    assert InboundMessage.objects.count() == 3


def test_an_editor_keeps_a_message_and_it_is_audited(editor_client, messages_in):
    target = messages_in[1]
    assert editor_client.get(f"/admin/interaction/inbox/{target.pk}/keep/").status_code == 200
    response = editor_client.post(f"/admin/interaction/inbox/{target.pk}/keep/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.status == HandledStatus.KEPT
    [entry] = ModelLogEntry.objects.filter(object_id=str(target.pk), action="wxops.inbound.kept")
    assert entry.user.username == "editor1"


def test_a_kept_message_cannot_be_ignored_later(editor_client, messages_in):
    target = messages_in[1]
    actions.set_status(target, HandledStatus.KEPT)
    editor_client.post(f"/admin/interaction/inbox/{target.pk}/ignore/")
    target.refresh_from_db()
    assert target.status == HandledStatus.KEPT


def test_the_director_reads_but_cannot_mark(client, db, messages_in):
    client.force_login(user_in("总监", "director1"))
    assert client.get("/admin/inbox/").status_code == 200
    assert client.post(f"/admin/interaction/inbox/{messages_in[1].pk}/ignore/").status_code in (302, 403)
    messages_in[1].refresh_from_db()
    assert messages_in[1].status == HandledStatus.NEW


def test_the_transition_table_is_the_only_way(account):
    inbound = store(account, text_xml(account))
    assert HANDLED_TRANSITIONS[HandledStatus.NEW] == {HandledStatus.ANSWERED, HandledStatus.KEPT, HandledStatus.IGNORED}
    actions.set_status(inbound, HandledStatus.IGNORED)
    with pytest.raises(ValidationError):
        actions.set_status(inbound, HandledStatus.ANSWERED)
    assert InboundMessage.objects.get().status == HandledStatus.IGNORED


def test_receive_is_idempotent_and_returns_the_first_row(account):
    xml = text_xml(account, msg_id=99)
    first = store(account, xml)
    again = store(account, xml)
    assert first.pk == again.pk
    assert InboundMessage.objects.count() == 1


def test_an_editor_sets_the_welcome_text_in_the_admin(editor_client, account):
    from wxops.interaction.models import AutoReply

    response = editor_client.post("/admin/auto_replies/new/", {"account": account.pk, "subscribe_kind": "text",
                                                               "subscribe_text": "欢迎关注！", "message_kind": "text",
                                                               "message_text": "", "knowledge_threshold": "0.5"})
    assert response.status_code == 302
    assert AutoReply.objects.get(account=account).subscribe_text == "欢迎关注！"


def test_the_inbox_offers_keep_and_ignore_for_new_messages_only(editor_client, messages_in):
    actions.set_status(messages_in[0], HandledStatus.IGNORED)
    page = editor_client.get("/admin/inbox/").content.decode()
    assert f"/admin/interaction/inbox/{messages_in[1].pk}/keep/" in page
    assert f"/admin/interaction/inbox/{messages_in[0].pk}/keep/" not in page
    assert "/admin/inbox/" in editor_client.get("/admin/").content.decode()
