"""Analytics in the admin: the dashboard (the report's figures and charts for any date range)
and the list of every report made, with its files.

Answers: 200 with the page or the file; 400 with what to fix for a bad range (the page
says it); PermissionDenied without ``analytics.view_report`` (making a report:
``analytics.add_report``), which Wagtail answers with a redirect to the admin home and its
message; 404 for an unknown report or a file it does not have.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.analytics import actions
from wxops.analytics.datacube_sync import ready_until
from wxops.analytics.models import Report
from wxops.analytics.reports.charts import draw_charts
from wxops.analytics.reports.content import build_content, percent
from wxops.analytics.reports.printed import template_context

#: The dashboard's default range, in days up to the last published day.
DEFAULT_DAYS = 28
#: Reports per page of the list (every report is kept; older ones are on the next pages).
REPORTS_PER_PAGE = 50
FILE_KINDS = {"pdf": "application/pdf",
              "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _require(request, permission: str = "analytics.view_report") -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _account(request) -> Account | None:
    chosen = request.GET.get("account") or request.POST.get("account") or ""
    accounts = Account.objects.order_by("pk")
    return (accounts.filter(pk=chosen).first() if chosen.isdigit() else None) or accounts.first()


class BadRange(ValueError):
    pass


def _range(params, account: Account) -> tuple[dt.date, dt.date]:
    last = ready_until(account)
    try:
        end = dt.date.fromisoformat(params["end"]) if params.get("end") else last
        start = dt.date.fromisoformat(params["start"]) if params.get("start") else end - dt.timedelta(
            days=DEFAULT_DAYS - 1)
    except ValueError:
        raise BadRange(_("Write the dates like 2026-03-01.")) from None
    if start > end:
        raise BadRange(_("The start %(start)s is after the end %(end)s: swap them.") % {"start": start, "end": end})
    if (end - start).days >= actions.MAX_REPORT_DAYS:
        raise BadRange(_("A range spans at most %(days)d days.") % {"days": actions.MAX_REPORT_DAYS})
    return start, end


def _page(request, template: str, title: str, status: int = 200, **context):
    return render(request, template, {"header_title": title, "page_title": title, "header_icon": "table",
                                      **context}, status=status)


def dashboard(request):
    """The figures, charts and tables of the fortnightly report for the chosen range and account."""
    _require(request)
    account = _account(request)
    title = _("Analytics dashboard")
    if account is None:
        return _page(request, "analytics/dashboard.html", title)
    context = {"account": account, "accounts": Account.objects.order_by("pk"), "params": request.GET,
               "can_make": request.user.has_perm("analytics.add_report")}
    try:
        start, end = _range(request.GET, account)
    except BadRange as error:
        return _page(request, "analytics/dashboard.html", title, status=400, error=str(error), **context)
    content = build_content(account, start, end)
    charts = draw_charts(content.metrics, fmt="svg")
    report = template_context(content, charts, "")
    return _page(request, "analytics/dashboard.html", title, start=start, end=end, r=report,
                 svgs={chart.key: mark_safe(chart.svg) for chart in charts},  # noqa: S308 - matplotlib's own SVG
                 read_rate=percent(content.metrics.read_rate), **context)


def make_report(request):
    """POST: make the report of the dashboard's range now (on demand), then open the reports list."""
    _require(request, "analytics.add_report")
    if request.method != "POST":
        return redirect("analytics_dashboard")
    account = _account(request)
    if account is None:
        raise Http404
    try:
        start, end = _range(request.POST, account)
        report = actions.make_report(account, start, end, recommend=False)
    except (BadRange, actions.ReportError) as error:
        messages.error(request, str(error))
        return redirect(reverse("analytics_dashboard") + f"?account={account.pk}")
    messages.success(request, _("Report made: %(title)s") % {"title": report.title})
    return redirect("analytics_reports")


def reports(request):
    """Every report made, newest period first, with its three files; a page at a time."""
    _require(request)
    rows = Report.objects.select_related("account").order_by("-period_end", "-created_at", "-pk")
    account = request.GET.get("account", "")
    if account.isdigit():
        rows = rows.filter(account_id=int(account))
    page = Paginator(rows, REPORTS_PER_PAGE).get_page(request.GET.get("p"))
    return _page(request, "analytics/reports.html", _("Operations reports"), reports=page.object_list, page=page,
                 accounts=Account.objects.order_by("pk"), chosen=account)


def download(request, pk: int, kind: str):
    """One file of a report, as an attachment named after its period."""
    _require(request)
    report = get_object_or_404(Report, pk=pk)
    field = getattr(report, kind, None) if kind in FILE_KINDS else None
    if not field:
        raise Http404(_("This report has no %(kind)s file.") % {"kind": kind.upper()})
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this report is missing from the media folder.")) from None
    return FileResponse(handle, as_attachment=True, filename=Path(field.name).name, content_type=FILE_KINDS[kind])
