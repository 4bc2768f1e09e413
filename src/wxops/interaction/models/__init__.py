"""The tables of interaction (七 沟通互动), one module per part; import them from here.

- ``inbox``: what WeChat sends to the callback URL (``InboundMessage``) and the account's
  welcome and default reply (``AutoReply``).
- ``feedback``: the 24-hour feedback of each push — ``Comment``, ``FeedbackWindow``,
  ``FeedbackItem``, ``CoreIssue``, ``DirectorSetting``, ``DirectorDocument``.
"""

from .feedback import (
    Comment,
    CoreIssue,
    DirectorDocument,
    DirectorSetting,
    FeedbackItem,
    FeedbackWindow,
)
from .inbox import HANDLED_TRANSITIONS, AutoReply, HandledStatus, InboundKind, InboundMessage

__all__ = ["HANDLED_TRANSITIONS", "AutoReply", "Comment", "CoreIssue", "DirectorDocument", "DirectorSetting",
           "FeedbackItem", "FeedbackWindow", "HandledStatus", "InboundKind", "InboundMessage"]
