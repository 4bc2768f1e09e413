"""Keyword rules and the knowledge base answer followers through the real callback endpoint, in order."""

from __future__ import annotations

import defusedxml.ElementTree as SafeET
import pytest

from wxops.interaction.models import (
    AutoReply,
    HandledStatus,
    InboundKind,
    InboundMessage,
    KeywordRule,
    KnowledgeEntry,
)
from wxops.interaction.replies import actions, handlers, knowledge, matching

from .conftest import event_xml, make_account, post, sign, text_xml

_msg_ids = iter(range(51_000_000_000_000_001, 51_000_000_000_999_999))


def ask(client, account, content: str, openid: str = "oFollower0001") -> str:
    """A follower's text through the signed callback; the passive reply's text ("" for none)."""
    response = post(client, account, sign(account, text_xml(account, content, msg_id=next(_msg_ids), openid=openid)))
    assert response.status_code == 200
    if response.content == b"success":
        return ""
    return SafeET.fromstring(response.content).findtext("Content")


def rule(account, keywords: str, reply: str, *, match: str = "contains", priority: int = 100, active: bool = True):
    return KeywordRule.objects.create(account=account, name=keywords[:20], match_type=match, keywords=keywords,
                                      reply_text=reply, priority=priority, active=active)


def entry(account, questions: str, answer: str, *, active: bool = True):
    return KnowledgeEntry.objects.create(account=account, questions=questions, answer=answer, active=active)


@pytest.fixture
def faq(plain_account):
    AutoReply.objects.create(account=plain_account, message_text="已收到，我们会尽快回复。", knowledge_threshold=0.5)
    entry(plain_account, "社保基数什么时候调整？\n社保缴费基数每年几月调", "社保基数每年7月调整，以当地公布为准。")
    entry(plain_account, "发票怎么开？\n如何开具增值税发票", "请在「服务」菜单中提交开票信息，3个工作日内开出。")
    entry(plain_account, "个税专项附加扣除怎么填", "请在个人所得税APP中填报专项附加扣除。")
    return plain_account


def test_the_three_match_types_answer_through_the_callback(client, plain_account):
    rule(plain_account, "社保", "社保问题请看菜单「人力资源」。", match="exact")
    rule(plain_account, "发票\n开票", "开票请联系财务部。", match="contains")
    rule(plain_account, r"^\d{11}$", "已收到您的手机号。", match="regex")
    assert ask(client, plain_account, "社保") == "社保问题请看菜单「人力资源」。"
    assert ask(client, plain_account, " 社保！") == "社保问题请看菜单「人力资源」。"  # spaces and end punctuation
    assert ask(client, plain_account, "社保怎么交") == ""  # exact: the whole message only
    assert ask(client, plain_account, "请问怎么开票？") == "开票请联系财务部。"
    assert ask(client, plain_account, "13800138000") == "已收到您的手机号。"
    assert ask(client, plain_account, "138001380001") == ""
    stored = InboundMessage.objects.filter(content="社保").get()
    assert stored.reply_source.startswith("keyword rule ") and stored.status == HandledStatus.NEW


def test_priority_decides_between_two_matching_rules_and_inactive_or_other_accounts_never_answer(
        client, plain_account):
    other = make_account("plain")
    rule(other, "社保", "别的公众号的回答", priority=1)
    rule(plain_account, "社保", "停用的规则", priority=2, active=False)
    rule(plain_account, "社保", "一般的回答", priority=200)
    rule(plain_account, "社保基数", "基数的回答", priority=50)
    assert ask(client, plain_account, "社保基数怎么定") == "基数的回答"
    assert ask(client, plain_account, "社保卡丢了") == "一般的回答"


def test_full_width_and_case_do_not_matter_for_contains():
    view = matching.RuleView(1, "contains", ("APP",), "x", 1)
    assert matching.matches(view, "个税ａｐｐ怎么下载")
    assert not matching.matches(view, "个税")


def test_a_runaway_regular_expression_is_skipped_not_hung(caplog):
    view = matching.RuleView(7, "regex", (r"(a|aa)+$",), "x", 1)
    assert matching.matches(view, "a" * 60 + "!") is False
    assert "took over" in caplog.text


def test_the_knowledge_base_answers_a_question_asked_differently(client, faq):
    reply = ask(client, faq, "社保基数哪个月调整")
    assert reply == "社保基数每年7月调整，以当地公布为准。"
    stored = InboundMessage.objects.get(content="社保基数哪个月调整")
    assert stored.reply_source.startswith("knowledge base ")


def test_a_keyword_rule_comes_before_the_knowledge_base_and_both_before_the_default_reply(client, faq):
    rule(faq, "发票", "开票请联系财务部。")
    assert ask(client, faq, "请问发票怎么开") == "开票请联系财务部。"
    assert ask(client, faq, "今天天气怎么样") == "已收到，我们会尽快回复。"
    assert handlers.KEYWORD_PRIORITY < handlers.KNOWLEDGE_PRIORITY < 900


def test_unrelated_questions_get_nothing_from_the_knowledge_base(faq):
    unrelated = ["今天天气怎么样", "你好", "年终奖怎么算税", "劳动合同到期不续签有补偿吗", "什么时候", "hello", "？？？"]
    for text in unrelated:
        assert actions.knowledge_answer(faq.pk, text) is None, text
    assert actions.knowledge_answer(faq.pk, "增值税发票如何开具").entry_id == KnowledgeEntry.objects.get(
        answer__startswith="请在「服务」").pk


def test_the_threshold_is_the_accounts_setting(faq):
    close = actions.knowledge_index(faq.pk).best("社保基数哪个月调整")
    assert 0.5 <= close.confidence < 1.0
    settings = AutoReply.objects.get(account=faq)
    settings.knowledge_threshold = 0.95
    settings.save()  # as the admin saves it
    assert actions.knowledge_answer(faq.pk, "社保基数哪个月调整") is None
    assert actions.knowledge_answer(faq.pk, "社保基数什么时候调整？").confidence == 1.0


def test_an_inactive_entry_leaves_the_index_at_once(faq):
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is not None
    entry = KnowledgeEntry.objects.get(questions__startswith="个税")
    entry.active = False
    entry.save()
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is None


def test_a_change_committed_by_another_process_is_seen_at_once(faq):
    """Another web process saved it: this one learns from the replies' generation (the stamp file), not a query."""
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is not None  # the stamps are cached now
    KnowledgeEntry.objects.filter(questions__startswith="个税").update(active=False)  # no signal in this process
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is not None  # still the cached stamps
    actions._new_generation()  # what the other process does once its change is committed
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is None


def test_a_change_behind_the_models_back_is_seen_after_the_interval(faq, monkeypatch):
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is not None
    KnowledgeEntry.objects.filter(questions__startswith="个税").update(active=False)  # a bulk update: no signal
    monkeypatch.setattr(actions, "STAMPS_CHECKED_EVERY", 0.0)  # the interval has passed
    assert actions.knowledge_answer(faq.pk, "个税专项附加扣除怎么填") is None


def test_retrieval_ranks_the_right_entry_on_its_own():
    index = knowledge.Index.build([knowledge.Candidate(1, "公司地址在哪里", "深圳"),
                                   knowledge.Candidate(2, "发票怎么开", "在线")])
    assert index.best("你们公司在哪").entry_id == 1
    assert knowledge.Index.build([]).best("你好") is None


def test_messages_nothing_acts_on_are_stored_and_get_no_reply(client, plain_account):
    rule(plain_account, ".*", "什么都回答", match="regex")
    image = (f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oF1]]></FromUserName>"
             f"<CreateTime>1772413200</CreateTime><MsgType><![CDATA[image]]></MsgType>"
             f"<PicUrl><![CDATA[http://example.com/a.jpg]]></PicUrl><MediaId><![CDATA[m1]]></MediaId>"
             f"<MsgId>{next(_msg_ids)}</MsgId></xml>")
    odd = (f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oF1]]></FromUserName>"
           f"<CreateTime>1772413201</CreateTime><MsgType><![CDATA[miniprogrampage]]></MsgType>"
           f"<Title><![CDATA[t]]></Title><MsgId>{next(_msg_ids)}</MsgId></xml>")
    for xml in (image, odd, event_xml(plain_account, "CLICK", key="MENU_1"),
                event_xml(plain_account, "user_enter_tempsession", create_time=1772413300)):
        assert post(client, plain_account, sign(plain_account, xml)).content == b"success"
    kinds = sorted(InboundMessage.objects.values_list("kind", flat=True))
    assert kinds == sorted([InboundKind.IMAGE, InboundKind.UNKNOWN, InboundKind.CLICK, InboundKind.UNKNOWN])
    assert set(InboundMessage.objects.values_list("reply", flat=True)) == {""}


def test_the_welcome_is_untouched_by_keyword_rules(client, plain_account):
    AutoReply.objects.create(account=plain_account, subscribe_text="欢迎关注！")
    rule(plain_account, "", "x", match="regex")
    rule(plain_account, ".*", "什么都回答", match="regex")
    response = post(client, plain_account, sign(plain_account, event_xml(plain_account, "subscribe")))
    assert SafeET.fromstring(response.content).findtext("Content") == "欢迎关注！"
