"""The simulated reviewer (审核人): approves at 09:30, except a configurable share of pushes
it reviews too late (after the slot: the push is held at 11:30) or sends back with a
comment (changes requested: held at 11:30 as well). Its choices are drawn from the run's
seed, one per slot in order, so the same seed makes the same choices."""

from __future__ import annotations

import random
from enum import StrEnum

from wxops.editorial import actions
from wxops.editorial.models import Push


class Decision(StrEnum):
    APPROVED = "approved"
    LATE = "late"
    REJECTED = "rejected"
    NOT_SUBMITTED = "not_submitted"  # the editor could not submit: nothing to review
    APPROVAL_REFUSED = "approval_refused"  # the reviewer approved, editorial refused (the reason is noted)


class Reviewer:
    """Draws a decision per slot: ``late_share`` late, ``reject_share`` rejected, the rest approved."""

    def __init__(self, seed: int, *, late_share: float, reject_share: float) -> None:
        if not (0 <= late_share <= 1 and 0 <= reject_share <= 1 and late_share + reject_share <= 1):
            raise ValueError("the late and rejected shares must be between 0 and 1 and add up to at most 1")
        self._draw = random.Random(f"wxops-simulate|reviewer|{seed}")
        self.late_share = late_share
        self.reject_share = reject_share

    def decide(self) -> Decision:
        value = self._draw.random()
        if value < self.reject_share:
            return Decision.REJECTED
        if value < self.reject_share + self.late_share:
            return Decision.LATE
        return Decision.APPROVED


def review_on_time(push: Push, decision: Decision, user) -> str:
    """Before the deadline: approve, or request changes on the headline. Returns a problem in
    words when editorial refused (empty when done); a late reviewer does nothing yet."""
    push.refresh_from_db()
    try:
        if decision == Decision.APPROVED:
            actions.approve(push, user=user)
        elif decision == Decision.REJECTED:
            headline = push.items.order_by("position").first()
            actions.request_changes(push, user=user, comments={headline.article_id: "请补充政策原文出处后再提交。"},
                                    summary="请补充出处。")
    except actions.PushError as error:
        return str(error)
    return ""


def review_late(push: Push, user) -> str:
    """After the slot: the late reviewer tries to approve. Editorial refuses once the day's
    last send time has passed (the default: the slot itself); the refusal is returned."""
    push.refresh_from_db()
    try:
        actions.approve(push, user=user)
    except actions.PushError as error:
        return str(error)
    return ""
