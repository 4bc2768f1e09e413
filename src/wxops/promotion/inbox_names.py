"""Promotion tells interaction's conversations (互动 → 会话) which branch each follower came through.

Promotion is above interaction, so interaction cannot ask; it registers a describer here
(imported in ``PromotionConfig.ready()``).
"""

from __future__ import annotations

from wxops.interaction.inbox_conversations import FollowerNote, register_describer

from .models import Follower


@register_describer
def branch_of(account_id: int, openids: list[str]) -> dict[str, FollowerNote]:
    """The branch (and employee) of each attributed follower, for the conversation list and thread."""
    rows = (Follower.objects.filter(account_id=account_id, openid__in=openids, branch__isnull=False)
            .values_list("openid", "branch__name", "employee__name"))
    return {openid: FollowerNote(branch=f"{branch} · {employee}" if employee else branch)
            for openid, branch, employee in rows}
