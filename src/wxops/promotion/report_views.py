"""Promotion's reports in the admin: leaderboards (and their Excel export), the growth chart,
and the staff guide (page and printable PDF). Only the branches the user sees are counted.

Answers: 200 with the page or file; 400 with what to fix for a bad period; 403 without the
promotion view permission; 404 for a branch outside the user's sight.
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wxops.core import clock
from wxops.core.documents import pdf
from wxops.core.documents.fonts import FONT_FAMILY, FontMissing

from . import access, numbers
from .chart import growth_svg
from .exports import leaderboard_xlsx
from .posters import qr_svg
from .views import account_of, accounts_of, attachment, render_page, require_view

MAX_DAYS = 366


def period_choices() -> list[tuple[str, str]]:
    return [("month", _("Month")), ("week", _("Week")), ("day", _("Day")), ("range", _("Range"))]


class BadPeriod(ValueError):
    pass


def _period(request, today: date) -> numbers.Period:
    kind = request.GET.get("period", "month")
    try:
        day = date.fromisoformat(request.GET["day"]) if request.GET.get("day") else today
        if kind != "range":
            return numbers.Period.of(kind, day)
        start, end = date.fromisoformat(request.GET.get("start", "")), date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        raise BadPeriod(_("Choose day, week, month, or a range with dates like 2026-03-01.")) from None
    if end < start or (end - start).days >= MAX_DAYS:
        raise BadPeriod(_("A range runs forward and spans at most %(days)s days.") % {"days": MAX_DAYS})
    return numbers.Period(start, end)


def leaderboard(request):
    """Branches or employees ranked by net new followers; ``?format=xlsx`` downloads it."""
    require_view(request)
    account = account_of(request)
    if account is None:
        return render_page(request, "promotion/leaderboard.html", _("Leaderboard"), account=None)
    try:
        period = _period(request, clock.local_now(account.time_zone).date())
    except BadPeriod as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    by = "employee" if request.GET.get("by") == "employee" else "branch"
    lines = numbers.leaderboard(account, access.visible_branches(request.user), period, by=by,
                                include_unattributed=access.sees_all(request.user))
    if request.GET.get("format") == "xlsx":
        data = leaderboard_xlsx(f"{account.name} · {_('Leaderboard')}", period, lines, by=by)
        return attachment(data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"leaderboard-{by}-{period.start}-{period.end}.xlsx")
    return render_page(request, "promotion/leaderboard.html", _("Leaderboard"), account=account,
                 accounts=accounts_of(request.user), period=period, by=by, lines=lines, params=request.GET,
                 export=request.GET.copy(), period_choices=period_choices())


def growth(request):
    """Net followers added per branch, day by day, over the period (default: this month)."""
    require_view(request)
    account = account_of(request)
    chart = ""
    period = None
    if account is not None:
        try:
            period = _period(request, clock.local_now(account.time_zone).date())
        except BadPeriod as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        series = numbers.growth(account, access.visible_branches(request.user), period)
        chart = mark_safe(growth_svg(series, title=_("Growth by branch")))  # noqa: S308 - built with escape()
    return render_page(request, "promotion/growth.html", _("Growth by branch"), account=account,
                 accounts=accounts_of(request.user), period=period, chart=chart, params=request.GET,
                 period_choices=period_choices())


def _guide_context(request) -> dict:
    branch = None
    if request.GET.get("branch"):
        branch = access.branch_or_404(request.user, request.GET["branch"])
    code = branch.codes.filter(employee__isnull=True, campaign="", status="ready").first() if branch else None
    return {"branch": branch, "account": branch.account if branch else account_of(request),
            "code_svg": mark_safe(qr_svg(code.url, standalone=False).decode()) if code else "",  # noqa: S308 - segno
            "font": FONT_FAMILY}


def guide(request):
    """The staff guide (微信具体操作说明): install WeChat, scan the branch's code, follow, notifications."""
    require_view(request)
    context = _guide_context(request)
    return render_page(request, "promotion/guide.html", _("Staff guide"), branches=access.visible_branches(request.user),
                 **context)


def guide_pdf(request):
    require_view(request)
    try:
        data = pdf.render_pdf("promotion/guide_print.html", _guide_context(request), request=request)
    except FontMissing as error:
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    return attachment(data, "application/pdf", "wechat-guide.pdf")
