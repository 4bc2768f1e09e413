"""The inbound handlers of the automatic replies, registered when the app is ready.

A follower's text (or a voice message's speech recognition) is answered by the first of:

=====  =================================================  ====================================
order  handler (priority)                                 answers when
=====  =================================================  ====================================
1      :func:`keyword_reply` (300)                        an active keyword rule matches
2      :func:`knowledge_reply` (700)                      the knowledge base is sure enough
3      ``inbound_handlers.default_reply`` (900, text)     the account has a default reply
=====  =================================================  ====================================

On follow, a branch's welcome (``promotion``, 400) comes before the account's welcome (500).
"""

from __future__ import annotations

from wxops.core import inbound

from . import actions

#: Before the knowledge base and the default reply; after anything an upper app needs first.
KEYWORD_PRIORITY = 300
#: After keyword rules, before the default reply (900).
KNOWLEDGE_PRIORITY = 700


def _key(item: inbound.InboundItem) -> tuple:
    """One message (its row and when it came): the two handlers share one look at the account's replies."""
    return (item.stored_id, item.received_at)


@inbound.handler("text", priority=KEYWORD_PRIORITY)
@inbound.handler("voice", priority=KEYWORD_PRIORITY)
def keyword_reply(item: inbound.InboundItem) -> inbound.Reply | None:
    """The reply of the first keyword rule (by priority) that matches the follower's text."""
    rule = actions.keyword_answer(item.account_id, item.content, item_key=_key(item))
    return inbound.Reply(rule.reply_text, source=f"keyword rule {rule.pk}") if rule else None


@inbound.handler("text", priority=KNOWLEDGE_PRIORITY)
@inbound.handler("voice", priority=KNOWLEDGE_PRIORITY)
def knowledge_reply(item: inbound.InboundItem) -> inbound.Reply | None:
    """The approved answer of the closest knowledge-base question, when at or above the account's threshold."""
    match = actions.knowledge_answer(item.account_id, item.content, item_key=_key(item))
    if match is None:
        return None
    return inbound.Reply(match.answer, source=f"knowledge base {match.entry_id} ({match.confidence:.2f})")
