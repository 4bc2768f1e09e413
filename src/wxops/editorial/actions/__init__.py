"""Business rules of editorial, the one place that changes pushes (permission → atomic change
→ audit log → after-commit events).

For publishing::

    from wxops.editorial import actions
    actions.gate_for_send(push)            # None, or the reason in words
    actions.sendable_revisions(push)       # the approved revisions, headline first
    actions.transition(push, "sending")    # approved → sending → sent | failed | held
"""

from wxops.editorial.actions.checks import (
    ReviewFinding,
    account_problems,
    article_problems,
    as_edited,
    push_problems,
    register_check,
    review_findings,
)
from wxops.editorial.actions.deadlines import escalate_due, hold_due, remind_due
from wxops.editorial.actions.errors import PushError, TransitionError
from wxops.editorial.actions.planning import (
    add_slot,
    cancel_slot,
    choose_category,
    plan_upcoming,
    suggest_categories,
)
from wxops.editorial.actions.pushes import (
    add_article,
    can_plan,
    cancel,
    plan_push,
    remove_article,
    reorder,
)
from wxops.editorial.actions.review import (
    approve,
    article_changed,
    can_review,
    request_changes,
    return_to_review,
    submit,
    withdraw,
)
from wxops.editorial.actions.sending import (
    changed_since_approval,
    gate_for_send,
    record_delivery,
    sendable_revisions,
)
from wxops.editorial.actions.status import announce, transition

__all__ = [
    "add_slot", "cancel_slot", "choose_category", "escalate_due", "hold_due", "plan_upcoming", "remind_due",
    "suggest_categories",
    "PushError", "ReviewFinding", "TransitionError", "account_problems", "add_article", "announce", "approve",
    "article_changed", "article_problems", "as_edited", "can_plan", "can_review", "cancel",
    "changed_since_approval", "gate_for_send", "plan_push", "push_problems", "record_delivery", "register_check",
    "remove_article", "reorder", "request_changes", "return_to_review", "review_findings",
    "sendable_revisions", "submit", "transition", "withdraw",
]
