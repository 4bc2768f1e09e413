"""Building a push: plan it on a slot, add, remove and order its articles, cancel it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from wxops.core import audit, clock
from wxops.editorial.actions.errors import PushError
from wxops.editorial.actions.status import AUDIT_ARTICLES, AUDIT_PLAN, transition
from wxops.editorial.models import MAX_ARTICLES, Push, PushArticle, PushOrigin, PushSchedule, PushStatus
from wxops.editorial.schedule import deadlines_for, schedule_for


def can_plan(user) -> bool:
    return bool(user is None or (user.is_active and user.has_perm("editorial.change_push")))


def _require_plan(user) -> None:
    if not can_plan(user):
        raise PermissionDenied(_("You may not plan pushes."))


def plan_push(account, slot_at: datetime, *, user=None, origin: str = PushOrigin.SCHEDULE,
              schedule: PushSchedule | None = None) -> Push:
    """The live push of ``account`` at ``slot_at``, created (status planned) if there is none.

    Idempotent: planning the same slot twice returns the same push. ``user=None`` is the
    system (the planner task). Refuses a slot in the past.
    """
    _require_plan(user)
    if slot_at.tzinfo is None:
        raise ValueError("slot_at must be aware")
    existing = Push.objects.exclude(status=PushStatus.CANCELLED).filter(account=account, slot_at=slot_at).first()
    if existing is not None:
        return existing
    if slot_at <= clock.now():
        raise PushError(_("This slot (%(slot)s) is in the past; choose a coming one.") % {
            "slot": clock_text(slot_at, account)})
    schedule = schedule or schedule_for(account)
    review_deadline_at, latest_send_at = deadlines_for(schedule, slot_at)
    try:
        with transaction.atomic():
            push = Push.objects.create(
                account=account, slot_at=slot_at, review_deadline_at=review_deadline_at,
                latest_send_at=latest_send_at, origin=origin, notify_followers=schedule.notify_followers,
                target_tag_id=schedule.target_tag_id)
            audit.record(push, AUDIT_PLAN, user=user, data={"slot_at": slot_at.isoformat(), "origin": origin})
    except IntegrityError:  # planned by another process a moment ago
        return Push.objects.exclude(status=PushStatus.CANCELLED).get(account=account, slot_at=slot_at)
    return push


def clock_text(moment: datetime, account) -> str:
    """A moment as the account's editors read it: 2026年11月30日 11:30 (their time zone, the desk's date style)."""
    from wxops.accounts.times import shown

    return shown(moment, account)


def _locked_editable(push: Push) -> Push:
    """The push's row, locked for this transaction; refused unless its articles may still change."""
    push = Push.objects.select_for_update().get(pk=push.pk)
    if not push.editable:
        raise PushError(_("This push is %(status)s; articles can no longer be changed. Withdraw it first.")
                        % {"status": PushStatus(push.status).label})
    return push


def _renumber(push: Push, ordered: list[PushArticle]) -> None:
    # Two passes so positions never collide mid-way (and stay under the position check).
    for index, item in enumerate(ordered):
        if item.position != index:
            PushArticle.objects.filter(pk=item.pk).update(position=index)
            item.position = index


@dataclass(frozen=True)
class Added:
    """The article's place in the push, and what must be fixed in it before the push can be submitted."""

    item: PushArticle
    problems: tuple[str, ...]


def add_article(push: Push, article, *, user=None, position: int | None = None) -> Added:
    """Put ``article`` into ``push`` (at the end, or at ``position``; 0 is the headline).

    Refuses: a push no longer editable (in review, approved, sent …), a ninth article, an
    article of another account, the same article twice. A planned push becomes drafting.
    What WeChat would refuse at the slot (title too long, no cover, a picture of unknown
    licence …) comes back in ``problems`` now, for the editor to fix: submit refuses them.
    """
    from wxops.editorial.actions.checks import article_problems

    _require_plan(user)
    with transaction.atomic():
        push = _locked_editable(push)
        if article.account_id != push.account_id:
            raise PushError(_("「%(title)s」 belongs to another official account.") % {"title": article.title})
        items = list(push.items.order_by("position", "pk"))
        if any(item.article_id == article.pk for item in items):
            raise PushError(_("「%(title)s」 is already in this push.") % {"title": article.title})
        if len(items) >= MAX_ARTICLES:
            raise PushError(_("A push holds at most %(max)d articles; remove one first.") % {"max": MAX_ARTICLES})
        item = PushArticle.objects.create(push=push, article=article, position=len(items), added_by=user)
        if position is not None:
            items.insert(max(0, min(position, len(items))), item)
            _renumber(push, items)
        else:
            items.append(item)
        audit.record(push, AUDIT_ARTICLES, user=user, data={"added": article.pk, "title": article.title,
                                                           "order": [i.article_id for i in items]})
        if push.status == PushStatus.PLANNED:
            transition(push, PushStatus.DRAFTING, user=user, reason=_("First article added."))
    return Added(item, tuple(article_problems(article)))


def remove_article(push: Push, article, *, user=None) -> None:
    """Take ``article`` out of ``push``; the others close up. An emptied push is planned again."""
    _require_plan(user)
    with transaction.atomic():
        push = _locked_editable(push)
        deleted, _rows = PushArticle.objects.filter(push=push, article=article).delete()
        if not deleted:
            return
        items = list(push.items.order_by("position", "pk"))
        _renumber(push, items)
        audit.record(push, AUDIT_ARTICLES, user=user, data={"removed": article.pk, "title": article.title,
                                                           "order": [i.article_id for i in items]})
        if not items and push.status == PushStatus.DRAFTING:
            transition(push, PushStatus.PLANNED, user=user, reason=_("Last article removed."))


def reorder(push: Push, article_ids: list[int], *, user=None) -> None:
    """Put the push's articles in the order of ``article_ids`` (the first is the headline)."""
    _require_plan(user)
    with transaction.atomic():
        push = _locked_editable(push)
        items = {item.article_id: item for item in push.items.all()}
        if sorted(items) != sorted(article_ids):
            raise PushError(_("The new order must list exactly the push's articles; reload the page."))
        _renumber(push, [items[pk] for pk in article_ids])
        audit.record(push, AUDIT_ARTICLES, user=user, data={"order": list(article_ids)})


def cancel(push: Push, *, user=None, reason: str = "") -> Push:
    """Cancel ``push`` (not once it is sending or sent); the reason is kept and logged."""
    _require_plan(user)
    if not reason.strip():
        raise PushError(_("Say why the push is cancelled."))
    return transition(push, PushStatus.CANCELLED, user=user, reason=reason.strip())
