"""The planner: a category for each coming slot, quota and absence warnings.

A rotation over the account's active categories: the category that has waited longest
(in slots) comes next, its wait multiplied by its weight in the :class:`Recommendation`
rows covering the slot (``analytics`` writes them; without rows every weight is 1). The
editor may choose another category; the planner then rotates around that choice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from wxops.accounts.models import AccountType, Category
from wxops.editorial.models import FINISHED, Push, PushStatus, Recommendation

#: A category missing from the pushes this long is pointed out.
ABSENCE = timedelta(days=14)
#: Mass sends WeChat allows: a subscription account once a day, a service account 4 a month.
SUBSCRIPTION_PER_DAY = 1
SERVICE_PER_MONTH = 4


@dataclass(frozen=True)
class Suggestion:
    category: Category | None
    reason: str


def categories_of(push: Push) -> list[int]:
    """The category ids a push carries: its articles' categories, else the editor's or planner's choice."""
    ids = [item.article.category_id for item in push.items.select_related("article") if item.article.category_id]
    if ids:
        return ids
    chosen = push.category_id or push.suggested_category_id
    return [chosen] if chosen else []


def weights_for(account, day: date) -> tuple[dict[int, float], dict[int, str]]:
    """Recommendation weights (category id → weight) and reasons covering ``day``; later rows win."""
    weights, reasons = {}, {}
    for row in Recommendation.objects.filter(account=account, period_start__lte=day,
                                             period_end__gte=day).order_by("created_at", "pk"):
        weights[row.category_id] = row.weight
        reasons[row.category_id] = row.reason
    return weights, reasons


def suggest(account, history: list[list[int]], day: date) -> Suggestion:
    """The category for the next slot on ``day``, given the categories of the slots before it
    (oldest first)."""
    categories = list(Category.objects.filter(account=account, active=True).order_by("position", "name"))
    if not categories:
        return Suggestion(None, _("The account has no active category."))
    weights, reasons = weights_for(account, day)
    waits = {}
    for category in categories:
        waited = next((n for n, ids in enumerate(reversed(history)) if category.pk in ids), None)
        waits[category.pk] = len(history) + len(categories) if waited is None else waited
    best = max(categories, key=lambda c: (waits[c.pk] * weights.get(c.pk, 1.0), -c.position))
    weight = weights.get(best.pk, 1.0)
    if waits[best.pk] >= len(history) and not any(best.pk in ids for ids in history):
        reason = _("Rotation: 「%(name)s」 has not been pushed recently.") % {"name": best.name}
    else:
        reason = _("Rotation: 「%(name)s」 last went out %(count)d slots ago.") % {
            "name": best.name, "count": waits[best.pk] + 1}
    if best.pk in weights:
        reason += " " + _("Weight %(weight)g: %(why)s") % {"weight": weight, "why": reasons[best.pk] or "—"}
    if weight == 0:
        return Suggestion(None, _("Every category's weight is 0 for this period."))
    return Suggestion(best, reason)


def plan_suggestions(account, pushes: list[Push]) -> dict[int, Suggestion]:
    """A suggestion for each of ``pushes`` (coming, ordered by slot), rotating after the
    account's last 12 pushes and after each other."""
    first = pushes[0].slot_at if pushes else None
    past = list(Push.objects.filter(account=account, slot_at__lt=first).exclude(status=PushStatus.CANCELLED)
                .order_by("-slot_at")[:12]) if first else []
    history = [categories_of(p) for p in reversed(past)]
    result = {}
    for push in pushes:
        carried = categories_of(push) if (push.items.exists() or push.category_id) else []
        suggestion = suggest(account, history, push.local_slot.date())
        result[push.pk] = suggestion
        history.append(carried or ([suggestion.category.pk] if suggestion.category else []))
    return result


def absent_categories(account, day: date) -> list[Category]:
    """Active categories that no push (sent or planned) has carried in the two weeks up to ``day``."""
    since = day - ABSENCE
    recent = Push.objects.filter(account=account, slot_at__date__gt=since, slot_at__date__lte=day).exclude(
        status=PushStatus.CANCELLED)
    seen = {pk for push in recent for pk in categories_of(push)}
    older = Push.objects.filter(account=account, slot_at__date__lte=since).exists()
    if not older:  # the calendar is younger than two weeks: nothing can have been absent that long
        return []
    return [c for c in Category.objects.filter(account=account, active=True).order_by("position")
            if c.pk not in seen]


def quota_warnings(account, slot_days: list[date]) -> list[str]:
    """Where the mass sends planned (``slot_days``, one per notifying push) exceed WeChat's quota."""
    warnings = []
    if account.account_type == AccountType.SERVICE:
        per_month = defaultdict(int)
        for day in slot_days:
            per_month[(day.year, day.month)] += 1
        for (year, month), count in sorted(per_month.items()):
            if count > SERVICE_PER_MONTH:
                warnings.append(_("%(year)d-%(month)02d: %(count)d mass sends planned, but a service account may "
                                  "send %(max)d a month; the plan's three a week needs a subscription account, "
                                  "or publish some without notifying.") % {
                    "year": year, "month": month, "count": count, "max": SERVICE_PER_MONTH})
    else:
        per_day = defaultdict(int)
        for day in slot_days:
            per_day[day] += 1
        for day, count in sorted(per_day.items()):
            if count > SUBSCRIPTION_PER_DAY:
                warnings.append(_("%(day)s: %(count)d mass sends planned, but a subscription account may send "
                                  "once a day.") % {"day": day.isoformat(), "count": count})
    return warnings


def open_pushes(account, start, end):
    return Push.objects.filter(account=account, slot_at__gte=start, slot_at__lt=end).exclude(
        status__in=FINISHED).order_by("slot_at")
