"""The calendar in the admin: a month or a week of an account's slots, pushes and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from wxops.accounts.models import Account
from wxops.core import clock
from wxops.editorial import actions, planner, public_holidays
from wxops.editorial.models import FINISHED, Push, PushStatus
from wxops.editorial.schedule import schedule_for, slots_between, zone_of


@dataclass
class CalendarDay:
    date: date
    in_range: bool
    day: public_holidays.Day
    pushes: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    whys: dict = field(default_factory=dict)


def _account(request) -> Account | None:
    accounts = Account.objects.order_by("name")
    chosen = request.GET.get("account") or request.POST.get("account")
    if chosen and chosen.isdigit():
        return accounts.filter(pk=int(chosen)).first()
    return accounts.first()


def _range(view: str, anchor: date) -> tuple[date, date, date, date]:
    """(grid start, grid end, range start, range end): whole weeks, Monday first."""
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6), start, start + timedelta(days=6)
    first = anchor.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday()), first, last


#: The calendar's header, as Wagtail's own screens have one (its generic base shows ``page_title``).
_TITLE = {"page_title": gettext_lazy("Push calendar"), "header_title": gettext_lazy("Push calendar"),
          "header_icon": "date"}


def calendar_view(request):
    """GET ``?account=&view=month|week&date=YYYY-MM-DD``: the slots with their pushes, articles,
    categories and status; holidays and why a slot moved; planner, quota and data warnings."""
    if not request.user.has_perm("editorial.view_push"):
        raise PermissionDenied
    account = _account(request)
    view = "week" if request.GET.get("view") == "week" else "month"
    if account is None:
        return TemplateResponse(request, "editorial/calendar.html", {"account": None, "view": view, **_TITLE})
    zone = zone_of(account)
    today = clock.now().astimezone(zone).date()
    try:
        anchor = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
    except ValueError:
        anchor = today
    actions.plan_upcoming(account)  # the next two weeks always have their rows
    grid_start, grid_end, start, end = _range(view, anchor)
    slots, skipped = slots_between(account, grid_start, grid_end)
    days_info = public_holidays.days(grid_start, grid_end)
    begin = datetime.combine(grid_start, datetime.min.time(), tzinfo=zone)
    finish = datetime.combine(grid_end + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    pushes = list(Push.objects.filter(account=account, slot_at__gte=begin, slot_at__lt=finish)
                  .exclude(status=PushStatus.CANCELLED).select_related("category", "suggested_category")
                  .prefetch_related("items__article__category").order_by("slot_at"))
    days = {}
    current = grid_start
    while current <= grid_end:
        days[current] = CalendarDay(current, start <= current <= end, days_info[current])
        current += timedelta(days=1)
    for push in pushes:
        days[push.local_slot.date()].pushes.append(push)
    for slot in slots:
        days[slot.at.astimezone(zone).date()].whys[slot.at] = slot.why
    for push in pushes:
        push.why = days[push.local_slot.date()].whys.get(push.slot_at.astimezone(zone), "")
        if not push.why and push.slot_at.astimezone(zone) not in days[push.local_slot.date()].whys \
                and push.status not in FINISHED:
            push.why = _("Not in the schedule any more")
    for skip in skipped:
        days[skip.at.date()].skipped.append(skip)
    weeks = [list(days.values())[i:i + 7] for i in range(0, len(days), 7)]
    warnings = [_("%(year)d: the installed holiday package (chinesecalendar) does not know this year's holidays "
                  "and 调休 yet. Add them under Calendar → Holidays and make-up days; until then Monday–Friday "
                  "count as working days.") % {"year": year} for year in public_holidays.years_without_data(today)]
    coming = [p for p in pushes if p.notify_followers and p.status not in FINISHED]
    warnings += planner.quota_warnings(account, [p.local_slot.date() for p in coming])
    absent = planner.absent_categories(account, today)
    if absent:
        warnings.append(_("Absent for two weeks: %(names)s.") % {"names": "、".join(c.name for c in absent)})
    step = timedelta(days=7) if view == "week" else timedelta(days=31)
    return TemplateResponse(request, "editorial/calendar.html", {
        "account": account, "accounts": Account.objects.order_by("name"), "view": view, "weeks": weeks,
        "start": start, "end": end, "today": today, "warnings": warnings, "schedule": schedule_for(account),
        "previous": (start - step).isoformat() if view == "week" else (start - timedelta(days=1)).isoformat(),
        "next": (start + step).isoformat() if view == "week" else (end + timedelta(days=1)).isoformat(),
        "statuses": PushStatus, "can_plan": actions.can_plan(request.user), **_TITLE,
    })


def add_slot_view(request):
    """POST account, date, time, note: a one-off extra slot."""
    account = _account(request)
    if request.method != "POST" or account is None:
        return redirect("editorial_calendar")
    zone = zone_of(account)
    try:
        moment = datetime.combine(date.fromisoformat(request.POST.get("date", "")),
                                  datetime.strptime(request.POST.get("time", ""), "%H:%M").time(), tzinfo=zone)
        push = actions.add_slot(account, moment, user=request.user, note=request.POST.get("note", ""))
    except ValueError:
        messages.error(request, _("Give the extra slot's date and time (e.g. 2026-12-03 and 11:30)."))
    except actions.PushError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Extra slot added: %(slot)s.") % {"slot": push})
        return redirect("editorial_push", push.pk)
    return redirect(f"{reverse('editorial_calendar')}?account={account.pk}")
