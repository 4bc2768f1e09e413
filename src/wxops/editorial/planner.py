"""The planner: a category for each coming slot, quota and absence warnings.

A rotation over the account's active categories: the category that has waited longest
(in slots) comes next, its wait multiplied by its weight in the :class:`Recommendation`
rows covering the slot (``analytics`` writes them; without rows every weight is 1). The
editor may choose another category; the planner then rotates around that choice.

Engagement and exploration: once analytics has written rows with a Beta posterior of the
categories' read rates (``alpha``/``beta``) for the slot's day, the rotation gives way to
Thompson sampling: each category's weight is multiplied by a draw from its posterior ÷
the posterior's mean (held within [``EXPLORE_FLOOR``, ``EXPLORE_CAP``]) and the highest
wins — the categories readers read come more often, one with little evidence varies
widely and still gets tried. A category with a weight above 0 not carried in the last
``STARVE_SLOTS`` slots comes first, so none starves. The draws are seeded by the account
and the slot's day: planning the same slots again gives the same suggestions.
"""

from __future__ import annotations

import random
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
#: Bounds of the Thompson factor (a draw ÷ the posterior's mean) applied to a weight.
EXPLORE_FLOOR, EXPLORE_CAP = 0.25, 4.0
#: A category not carried by the last this many slots (four weeks at three a week) comes next.
STARVE_SLOTS = 12


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
    """Recommendation weights (category id → weight) and reasons covering ``day``; later rows win,
    and an editor's row (any ``source`` but analytics) wins over analytics' rows."""
    weights, reasons = {}, {}
    for row in _rows_covering(account, day):
        weights[row.category_id] = row.weight
        reasons[row.category_id] = row.reason
    return weights, reasons


def _rows_covering(account, day: date) -> list[Recommendation]:
    rows = Recommendation.objects.filter(account=account, period_start__lte=day,
                                         period_end__gte=day).order_by("created_at", "pk")
    return sorted(rows, key=lambda row: row.source != "analytics")  # stable: editors' rows last


def posteriors_for(account, day: date) -> dict[int, tuple[float, float]]:
    """category id → (alpha, beta) of the read rate's Beta posterior, where the winning row has one."""
    result = {}
    for row in _rows_covering(account, day):
        if row.alpha and row.beta:
            result[row.category_id] = (row.alpha, row.beta)
        else:
            result.pop(row.category_id, None)
    return result


def thompson_factor(rng: random.Random, alpha: float, beta: float) -> float:
    """A draw from Beta(alpha, beta) ÷ its mean, held within [EXPLORE_FLOOR, EXPLORE_CAP]."""
    draw = rng.betavariate(alpha, beta)
    return min(EXPLORE_CAP, max(EXPLORE_FLOOR, draw * (alpha + beta) / alpha))


def slot_rng(account, day: date, seed: int | str = 0) -> random.Random:
    """The random draws of one slot: the same account, day and seed give the same draws."""
    return random.Random(f"{seed}:{account.pk}:{day.isoformat()}")


def suggest(account, history: list[list[int]], day: date, *, rng: random.Random | None = None) -> Suggestion:
    """The category for the next slot on ``day``, given the categories of the slots before it
    (oldest first). ``rng`` draws the Thompson factors (default: :func:`slot_rng` of the day)."""
    categories = list(Category.objects.filter(account=account, active=True).order_by("position", "name"))
    if not categories:
        return Suggestion(None, _("The account has no active category."))
    weights, reasons = weights_for(account, day)
    posteriors = posteriors_for(account, day)
    waits = {}
    for category in categories:
        waited = next((n for n, ids in enumerate(reversed(history)) if category.pk in ids), None)
        waits[category.pk] = len(history) + len(categories) if waited is None else waited
    if posteriors:
        best, reason = _thompson(categories, waits, weights, posteriors, rng or slot_rng(account, day))
    else:
        best = max(categories, key=lambda c: (waits[c.pk] * weights.get(c.pk, 1.0), -c.position))
        reason = _rotation_reason(best, waits[best.pk], history)
    weight = weights.get(best.pk, 1.0)
    if best.pk in weights:
        reason += " " + _("Weight %(weight)g: %(why)s") % {"weight": weight, "why": reasons[best.pk] or "—"}
    if weight == 0:
        return Suggestion(None, _("Every category's weight is 0 for this period."))
    return Suggestion(best, reason)


def _rotation_reason(best: Category, waited: int, history: list[list[int]]) -> str:
    if waited >= len(history) and not any(best.pk in ids for ids in history):
        return _("Rotation: 「%(name)s」 has not been pushed recently.") % {"name": best.name}
    return _("Rotation: 「%(name)s」 last went out %(count)d slots ago.") % {"name": best.name, "count": waited + 1}


def _thompson(categories, waits, weights, posteriors, rng) -> tuple[Category, str]:
    """Thompson sampling: the highest weight × draw wins; a category with a weight above 0 that has
    waited ``STARVE_SLOTS`` slots comes first (the longest wait first), so none starves."""
    starving = [c for c in categories if waits[c.pk] >= STARVE_SLOTS and weights.get(c.pk, 1.0) > 0]
    if starving:
        best = max(starving, key=lambda c: (waits[c.pk], -c.position))
        return best, _("Exploration: 「%(name)s」 has not been pushed in the last %(count)d slots.") % {
            "name": best.name, "count": STARVE_SLOTS}
    draws = {c.pk: weights.get(c.pk, 1.0) * (thompson_factor(rng, *posteriors[c.pk]) if c.pk in posteriors else 1.0)
             for c in categories}
    best = max(categories, key=lambda c: (draws[c.pk], waits[c.pk], -c.position))
    return best, _("Read rate: 「%(name)s」 drew the highest score (%(score).2f) of a draw from its read rate.") % {
        "name": best.name, "score": draws[best.pk]}


def plan_suggestions(account, pushes: list[Push]) -> dict[int, Suggestion]:
    """A suggestion for each of ``pushes`` (coming, ordered by slot), rotating after the
    account's last 12 pushes and after each other (the same pushes always get the same suggestions)."""
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
