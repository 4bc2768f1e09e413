"""The inbound handlers of the automatic replies, registered when the app is ready.

A follower's text (or a voice message's speech recognition) is answered by the first of:

=====  =================================================  ====================================
order  handler (priority)                                 answers when
=====  =================================================  ====================================
1      :func:`keyword_reply` (300)                        an active keyword rule matches
2      :func:`knowledge_reply` (700)                      the knowledge base is sure enough
3      :func:`default_reply` (900, text messages only)     the account has a default reply
=====  =================================================  ====================================

On follow, a branch's welcome (``promotion``, 400) comes before the account's welcome (500).
All three only read (``writes=False``: no savepoint each) and share one small query per
message (:func:`actions._stamps`).
"""

from __future__ import annotations

from wxops.core import inbound

from . import actions

#: Before the knowledge base and the default reply; after anything an upper app needs first.
KEYWORD_PRIORITY = 300
#: After keyword rules, before the default reply.
KNOWLEDGE_PRIORITY = 700
#: The reply to a message when nothing more specific answered.
DEFAULT_REPLY_PRIORITY = 900


@inbound.handler("text", priority=KEYWORD_PRIORITY, writes=False)
@inbound.handler("voice", priority=KEYWORD_PRIORITY, writes=False)
def keyword_reply(item: inbound.InboundItem) -> inbound.Reply | None:
    """The reply of the first keyword rule (by priority) that matches the follower's text."""
    rule = actions.keyword_answer(item.account_id, item.content, item_key=item)
    if rule is None:
        return None
    return inbound.Reply(rule.reply_text, source=f"keyword rule {rule.pk}", media_id=rule.media_id, news=rule.news)


@inbound.handler("text", priority=KNOWLEDGE_PRIORITY, writes=False)
@inbound.handler("voice", priority=KNOWLEDGE_PRIORITY, writes=False)
def knowledge_reply(item: inbound.InboundItem) -> inbound.Reply | None:
    """The approved answer of the closest knowledge-base question, when at or above the account's threshold."""
    match = actions.knowledge_answer(item.account_id, item.content, item_key=item)
    if match is None:
        return None
    return inbound.Reply(match.answer, source=f"knowledge base {match.entry_id} ({match.confidence:.2f})")


@inbound.handler("text", priority=DEFAULT_REPLY_PRIORITY, writes=False)
def default_reply(item: inbound.InboundItem) -> inbound.Reply | None:
    """The account's reply to a text message (e.g. "已收到，我们会尽快回复。", or an image or a news card)."""
    return actions.default_answer(item.account_id, item_key=item)
