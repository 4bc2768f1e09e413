"""Promotion's figures: leaderboards by branch or employee, retention, targets, growth by day.

Read-only; every function takes the branches the asking user may see
(:func:`wxops.promotion.access.visible_branches`) and never counts beyond them. Days are
the account's days (its time zone).

* new — followers whose first subscribe (first touch) fell in the period;
* returned — followers of the branch who came back after unfollowing;
* lost — unfollows of the branch's followers; net = new + returned − lost;
* scans — SCANs of the branch's codes by people already following;
* 7-/30-day retention — of the period's new followers old enough to tell, the share who
  did not unfollow within 7 (30) days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from wxops.accounts import times
from wxops.accounts.models import Account
from wxops.core import clock

from .models import Branch, Employee, EventKind, Follower, PromotionEvent, Target

KINDS = {"new": EventKind.SUBSCRIBE, "returned": EventKind.RESUBSCRIBE, "lost": EventKind.UNSUBSCRIBE,
         "scans": EventKind.SCAN}
UNKNOWN, WITHOUT_CODE = "unknown", "without-code"


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The ``day``, ``week`` (Monday to Sunday) or ``month`` around ``day``."""
        if kind == "day":
            return cls(day, day)
        if kind == "week":
            monday = day - timedelta(days=day.weekday())
            return cls(monday, monday + timedelta(days=6))
        if kind == "month":
            following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
            return cls(day.replace(day=1), following - timedelta(days=1))
        raise ValueError(f"unknown period {kind!r}: day, week or month")

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        return (datetime.combine(self.start, time(), zone),
                datetime.combine(self.end + timedelta(days=1), time(), zone))

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def __str__(self) -> str:
        first = times.shown_day(self.start)  # the desk's one date style: 2026年11月1日
        return first if self.start == self.end else f"{first} – {times.shown_day(self.end)}"


@dataclass(frozen=True)
class Standing:
    """One line of a leaderboard."""

    key: str
    label: str
    branch: str
    active: bool
    new: int
    returned: int
    lost: int
    scans: int
    retention_7: float | None
    retention_30: float | None
    target: int | None = None
    target_new: int | None = None
    branch_id: int | None = None

    @property
    def net(self) -> int:
        return self.new + self.returned - self.lost

    @property
    def progress(self) -> float | None:
        return self.target_new / self.target if self.target else None


def zone_of(account: Account) -> ZoneInfo:
    return ZoneInfo(account.time_zone)



def _key(row: dict, field: str) -> str | None:
    """The line a row of events or followers belongs to; None for a branch's own code in a
    list by employee (it counts for the branch, not for anyone)."""
    if row["branch_id"] is None:
        return UNKNOWN if row["scene_str"] else WITHOUT_CODE
    return str(row[field]) if row[field] is not None else None


def _counts(account: Account, branches: QuerySet[Branch], period: Period, by: str,
            include_unattributed: bool) -> dict[str, dict[str, int]]:
    start, end = period.bounds(zone_of(account))
    events = PromotionEvent.objects.filter(account=account, occurred_at__gte=start, occurred_at__lt=end)
    scope = Q(branch__in=branches)
    if include_unattributed:
        scope |= Q(branch__isnull=True)
    field = "branch_id" if by == "branch" else "employee_id"
    rows = (events.filter(scope).values(field, "branch_id", "code_id", "scene_str")
            .annotate(**{name: Count("pk", filter=Q(kind=kind)) for name, kind in KINDS.items()}))
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KINDS, 0))
    for row in rows:
        key = _key(row, field)
        if key is None:
            continue
        for name in KINDS:
            counts[key][name] += row[name]
    return counts


def _retention(account: Account, branches: QuerySet[Branch], period: Period, by: str, days: int,
               include_unattributed: bool) -> dict[str, float | None]:
    start, end = period.bounds(zone_of(account))
    old_enough = min(end, clock.now() - timedelta(days=days))
    cohort = Follower.objects.filter(account=account, first_subscribed_at__gte=start,
                                     first_subscribed_at__lt=old_enough)
    scope = Q(branch__in=branches) | (Q(branch__isnull=True) if include_unattributed else Q(pk__in=[]))
    field = "branch_id" if by == "branch" else "employee_id"
    stayed = Q(first_unsubscribed_at__isnull=True) | Q(
        first_unsubscribed_at__gte=F("first_subscribed_at") + timedelta(days=days))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in (cohort.filter(scope).values(field, "branch_id", "scene_str")
                .annotate(total=Count("pk"), kept=Count("pk", filter=stayed))):
        key = _key(row, field)
        if key is None:
            continue
        totals[key][0] += row["total"]
        totals[key][1] += row["kept"]
    return {key: kept / total for key, (total, kept) in totals.items() if total}


def leaderboard(account: Account, branches: QuerySet[Branch], period: Period, *, by: str = "branch",
                include_unattributed: bool = False) -> list[Standing]:
    """Every visible branch (or employee) with its figures, best net first.

    ``include_unattributed`` adds the lines *unknown* (a scene no code matches) and
    *without a code* — only for those who see every branch.
    """
    if by not in ("branch", "employee"):
        raise ValueError("by is 'branch' or 'employee'")
    branches = branches.filter(account=account)
    counts = _counts(account, branches, period, by, include_unattributed)
    kept = {days: _retention(account, branches, period, by, days, include_unattributed) for days in (7, 30)}
    lines: list[Standing] = []

    def line(key: str, label: str, branch: str, active: bool, **extra) -> Standing:
        figures = counts.get(key, dict.fromkeys(KINDS, 0))
        return Standing(key, label, branch, active, **figures, retention_7=kept[7].get(key),
                        retention_30=kept[30].get(key), **extra)

    if by == "branch":
        for branch in branches.order_by("code"):
            target = _target(branch, period)
            if branch.active or str(branch.pk) in counts:
                lines.append(line(str(branch.pk), branch.name, branch.name, branch.active, branch_id=branch.pk,
                                  **target))
    else:
        for employee in Employee.objects.filter(branch__in=branches).select_related("branch").order_by("staff_number"):
            if employee.active or str(employee.pk) in counts:
                lines.append(line(str(employee.pk), employee.name, employee.branch.name, employee.active))
    lines.sort(key=lambda s: (-s.net, -s.new, s.label))
    if include_unattributed:
        for key, label in ((UNKNOWN, _("Unknown code")), (WITHOUT_CODE, _("Without a code (search, shared articles)"))):
            if key in counts:
                lines.append(line(key, label, "", True))
    return lines


def _target(branch: Branch, period: Period) -> dict[str, int | None]:
    target = (Target.objects.filter(branch=branch, period_start__lte=period.end, period_end__gte=period.end)
              .order_by("-period_start").first())
    if target is None:
        return {}
    span = Period(target.period_start, target.period_end)
    start, end = span.bounds(zone_of(branch.account))
    new = PromotionEvent.objects.filter(branch=branch, kind=EventKind.SUBSCRIBE, occurred_at__gte=start,
                                        occurred_at__lt=end).count()
    return {"target": target.new_followers, "target_new": new}


def growth(account: Account, branches: QuerySet[Branch], period: Period) -> dict[str, list[tuple[date, int]]]:
    """Per visible branch, its net followers added since the period began, day by day."""
    zone = zone_of(account)
    start, end = period.bounds(zone)
    sign = {EventKind.SUBSCRIBE: 1, EventKind.RESUBSCRIBE: 1, EventKind.UNSUBSCRIBE: -1}
    daily: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for row in (PromotionEvent.objects.filter(account=account, branch__in=branches, occurred_at__gte=start,
                                              occurred_at__lt=end, kind__in=list(sign))
                .annotate(day=TruncDate("occurred_at", tzinfo=zone)).values("branch_id", "day", "kind")
                .annotate(n=Count("pk"))):
        daily[row["branch_id"]][row["day"]] += sign[row["kind"]] * row["n"]
    series: dict[str, list[tuple[date, int]]] = {}
    for branch in branches.filter(account=account).order_by("code"):
        total, points = 0, []
        for day in period.days():
            total += daily[branch.pk].get(day, 0)
            points.append((day, total))
        series[branch.name] = points
    return series
