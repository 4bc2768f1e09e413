"""The tables of interaction (七 沟通互动), one module per part; import them from here.

- ``inbox``: what WeChat sends to the callback URL (``InboundMessage``) and the account's
  welcome, default reply and knowledge-base threshold (``AutoReply``);
- ``replies``: keyword rules and the Q&A knowledge base (``KeywordRule``, ``KnowledgeEntry``);
- ``reply_content``: the fields of one reply (text, image or news card) that a keyword rule, the
  welcome, the default reply and a branch's welcome share (``ReplyKind``, ``ReplySlot``);
- ``conversations``: staff's notes on a follower's thread and the customer-service messages sent
  (``Conversation``, ``CustomerServiceReply``);
- ``feedback``: the 24-hour feedback of each push — ``Comment``, ``FeedbackWindow``,
  ``FeedbackItem``, ``CoreIssue``, ``DirectorSetting``, ``DirectorDocument``.
"""

from .conversations import Conversation, ConversationStatus, CustomerServiceReply, SendStatus
from .feedback import (
    Comment,
    CoreIssue,
    DirectorDocument,
    DirectorSetting,
    FeedbackItem,
    FeedbackWindow,
)
from .inbox import HANDLED_TRANSITIONS, AutoReply, HandledStatus, InboundKind, InboundMessage
from .replies import KeywordRule, KnowledgeEntry, MatchType
from .reply_content import REPLY_MAX_LENGTH, ReplyKind, ReplySlot, ReplyValues

__all__ = ["HANDLED_TRANSITIONS", "REPLY_MAX_LENGTH", "AutoReply", "Comment", "Conversation",
           "ConversationStatus", "CustomerServiceReply", "SendStatus", "CoreIssue", "DirectorDocument",
           "DirectorSetting", "FeedbackItem", "FeedbackWindow", "HandledStatus", "InboundKind", "InboundMessage",
           "KeywordRule", "KnowledgeEntry", "MatchType", "ReplyKind", "ReplySlot", "ReplyValues"]
