"""Keyword rules, the knowledge base and the auto-replies are edited in the admin, and checked by the
content rules before they are saved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from wxops.interaction.models import AutoReply, KeywordRule, KnowledgeEntry

from .test_inbox import user_in

BLOCKED = "本产品稳赚不赔，保证收益！"


@pytest.fixture
def editor(db):
    return user_in("运营编辑", "editor1")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def rule_form(account, reply: str, **fields) -> dict:
    return {"account": account.pk, "name": "社保", "match_type": "contains", "keywords": "社保\n五险一金",
            "reply_kind": "text", "reply_text": reply, "priority": 100, "active": "on", **fields}


def test_a_rule_with_a_block_finding_is_refused_with_the_finding_in_words(editor_client, account):
    response = editor_client.post(reverse("keyword_rules:add"), rule_form(account, BLOCKED))
    assert response.status_code == 200
    page = response.content.decode()
    assert "稳赚不赔" in page and "1.9" in page
    assert KeywordRule.objects.count() == 0


def test_a_clean_rule_is_saved_and_audited(editor_client, editor, account):
    response = editor_client.post(reverse("keyword_rules:add"), rule_form(account, "社保问题请拨打客服电话。"))
    assert response.status_code == 302
    saved = KeywordRule.objects.get()
    assert saved.keyword_list() == ["社保", "五险一金"]
    assert ModelLogEntry.objects.filter(action="wxops.replies.rule_saved", object_id=str(saved.pk),
                                        user=editor).count() == 1


def test_a_bad_regular_expression_is_refused_saying_which(editor_client, account):
    response = editor_client.post(reverse("keyword_rules:add"),
                                  rule_form(account, "好的", match_type="regex", keywords="社保(\n发票"))
    assert response.status_code == 200
    assert "社保(" in response.content.decode()
    assert KeywordRule.objects.count() == 0


def test_a_knowledge_entry_is_approved_by_whoever_saves_it(editor_client, editor, account):
    response = editor_client.post(reverse("knowledge_base:add"), {
        "account": account.pk, "questions": "发票怎么开？", "answer": "请在菜单提交开票信息。", "active": "on"})
    assert response.status_code == 302
    saved = KnowledgeEntry.objects.get()
    assert (saved.approved_by, saved.approved_at is not None) == (editor, True)
    refused = editor_client.post(reverse("knowledge_base:edit", args=[saved.pk]), {
        "account": account.pk, "questions": "发票怎么开？", "answer": BLOCKED, "active": "on"})
    assert refused.status_code == 200 and "稳赚不赔" in refused.content.decode()
    assert KnowledgeEntry.objects.get().answer == "请在菜单提交开票信息。"
    assert ModelLogEntry.objects.filter(action="wxops.replies.entry_saved", object_id=str(saved.pk),
                                        user=editor).count() == 1  # the refused edit left no entry


def test_the_welcome_is_checked_too(editor_client, account):
    response = editor_client.post(reverse("auto_replies:add"), {
        "account": account.pk, "subscribe_kind": "text", "subscribe_text": BLOCKED, "message_kind": "text",
        "message_text": "", "knowledge_threshold": "0.5"})
    assert response.status_code == 200 and "保证收益" in response.content.decode()
    assert AutoReply.objects.count() == 0


def test_the_lists_are_in_chinese(editor_client, account):
    KeywordRule.objects.create(account=account, name="社保", keywords="社保", reply_text="好")
    page = editor_client.get(reverse("keyword_rules:index")).content.decode()
    assert "社保" in page
    assert editor_client.get(reverse("knowledge_base:index")).status_code == 200


def test_a_director_reads_but_cannot_add_rules(client, account):
    client.force_login(user_in("总监", "director1"))
    response = client.post(reverse("keyword_rules:add"), rule_form(account, "好的"))
    assert response.status_code in (302, 403)
    assert KeywordRule.objects.count() == 0
