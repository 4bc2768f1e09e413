"""What other parts of wxops (commands, tasks, the admin) do with analytics.

    from wxops.analytics import actions
    outcome = actions.sync_statistics(account, start, end)        # datacube → database
    report = actions.make_report(account, start, end, out=Path("out"))  # the fortnightly report
    actions.write_recommendations(account, until)                 # → editorial.Recommendation

Syncing statistics changes no business state (it copies WeChat's figures) and needs no
permission; making a report and writing recommendations are audit-logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction

from wxops.accounts.credentials import credentials
from wxops.accounts.models import Account
from wxops.analytics import app_settings, recommendations
from wxops.analytics.datacube_sync import SyncOutcome, ready_until, sync_account
from wxops.analytics.models import Report, ReportTrigger
from wxops.analytics.reports import render_report
from wxops.core import audit, clock
from wxops.core.documents import mail
from wxops.editorial.models import Recommendation
from wxops.editorial.notifications import administrators

AUDIT_RECOMMENDED = "wxops.analytics.recommended"
AUDIT_REPORTED = "wxops.analytics.reported"
#: The longest period one report covers.
MAX_REPORT_DAYS = 366
#: Fortnights are counted from this Monday: a report day is the configured weekday of an even week.
FORTNIGHT_EPOCH = dt.date(2024, 1, 1)
REPORT_DAYS = 14


class ReportError(ValueError):
    """A report that cannot be made as asked; the message says what to fix."""

logger = logging.getLogger(__name__)


def sync_statistics(account: Account, start: dt.date | None = None, end: dt.date | None = None, *,
                    force: bool = False, client=None, now: dt.datetime | None = None) -> SyncOutcome:
    """Fetch the account's statistics for ``start..end`` that are not stored yet (see :mod:`datacube_sync`)."""
    return sync_account(account, start, end, client=client, force=force, now=now)


def sync_all_accounts(now: dt.datetime | None = None) -> list[SyncOutcome]:
    """The periodic sync: every account with an AppSecret, the look-back window; one account's failure stops no other."""
    outcomes = []
    for account in Account.objects.order_by("pk"):
        if not credentials(account).app_secret:
            continue
        try:
            outcomes.append(sync_account(account, now=now))
        except Exception:  # one account's broken credentials must not stop the others
            logger.exception("statistics sync of %s failed", account)
    return outcomes


def write_recommendations(account: Account, until: dt.date, *, now: dt.datetime | None = None,
                          ) -> list[Recommendation]:
    """Weigh every active category by the four weeks up to ``until`` and write the weights for the
    two weeks after it (``until + 1`` … ``until + 14``) as ``editorial.Recommendation`` rows.

    Idempotent: analytics' earlier rows for that same period are replaced; editors' rows (any
    other ``source``) are never touched, and the planner prefers them.
    """
    weights = recommendations.category_weights(account, until, now=now)
    start = until + dt.timedelta(days=1)
    end = until + dt.timedelta(days=recommendations.APPLIES_DAYS)
    with transaction.atomic():
        Recommendation.objects.filter(account=account, period_start=start, period_end=end,
                                      source=recommendations.SOURCE).delete()
        rows = Recommendation.objects.bulk_create([
            Recommendation(account=account, period_start=start, period_end=end, category_id=w.category_id,
                           weight=w.weight, alpha=w.alpha, beta=w.beta, reason=w.reason,
                           source=recommendations.SOURCE) for w in weights])
        audit.record(account, AUDIT_RECOMMENDED, data={
            "from": start.isoformat(), "until": end.isoformat(),
            "weights": {w.name: w.weight for w in weights}})
    return rows


def make_report(account: Account, start: dt.date, end: dt.date, *, trigger: str = ReportTrigger.ON_DEMAND,
                out: Path | None = None, recommend: bool = True, email: bool = False,
                report: Report | None = None, now: dt.datetime | None = None) -> Report:
    """Analyse ``start..end`` (account days, inclusive): write the planner's weights for the two weeks
    after ``end`` (``recommend``), render XLSX, PDF and DOCX, keep them on a :class:`Report` row
    (``report``, or a new one), copy them to ``out`` and, with ``email``, mail them.

    Raises :class:`ReportError` for a reversed or too long period. Missing data never raises:
    the report says so in words (``Report.gaps``).
    """
    if start > end:
        raise ReportError(f"开始日期 {start} 晚于结束日期 {end}：请交换两个日期。")
    if (end - start).days >= MAX_REPORT_DAYS:
        raise ReportError(f"一份报告最多覆盖 {MAX_REPORT_DAYS} 天：请缩短 {start} 至 {end} 的区间。")
    if recommend:
        write_recommendations(account, end, now=now)
    files = render_report(account, start, end, now=now)
    if report is None:
        report = Report(account=account, period_start=start, period_end=end, trigger=trigger)
    report.title = files.content.title[:128]
    report.headline = files.content.headline_numbers()
    report.gaps = files.content.metrics.gaps
    for name, data in files.named().items():
        getattr(report, name.rsplit(".", 1)[1]).save(name, ContentFile(data), save=False)
    with transaction.atomic():
        report.save()
        audit.record(report, AUDIT_REPORTED, data={"from": start.isoformat(), "until": end.isoformat(),
                                                    "trigger": trigger})
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for name, data in files.named().items():
            (out / name).write_bytes(data)
    if email:
        email_report(report)
    return report


def report_recipients(account: Account) -> list[str]:
    """The account administrators' addresses and ``WXOPS_REPORT_EMAILS``, each once."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=administrators(), is_active=True).exclude(email="")
    return sorted({*users.values_list("email", flat=True), *app_settings.report_recipients()})


def email_report(report: Report) -> bool:
    """Mail the report's files once: the row is claimed (``emailed_at``) before sending and
    released if the mail server refuses, so the next run tries again. False when nobody is to get it."""
    recipients = report_recipients(report.account)
    if not recipients:
        return False
    claimed = Report.objects.filter(pk=report.pk, emailed_at__isnull=True).update(
        emailed_at=clock.now(), emailed_to=", ".join(recipients))
    if not claimed:
        return False
    message = mail.with_files(f"[wxops] {report.title}", _email_body(report), recipients,
                              [(Path(field.name).name, field) for field in (report.pdf, report.docx, report.xlsx)])
    try:
        message.send()
    except Exception as error:  # the mail server is down: the report stays in the admin, mailed next run
        Report.objects.filter(pk=report.pk).update(emailed_at=None, emailed_to="")
        logger.warning("could not email report %s: %s — check WXOPS_SMTP_HOST", report.pk, error)
        return False
    report.refresh_from_db(fields=["emailed_at", "emailed_to"])
    return True


def _email_body(report: Report) -> str:
    figures = report.headline or {}
    rate = figures.get("read_rate")
    lines = [report.title, "",
             f"推送 {figures.get('pushes', 0)} 次，阅读 {figures.get('read_user', 0)} 人，"
             f"平均阅读率 {'—' if rate is None else f'{rate:.1%}'}，"
             f"新增关注 {figures.get('new_followers', 0)} 人，取消关注 {figures.get('unfollowed', 0)} 人。",
             "", "附件：报告（PDF、DOCX）与数据表（XLSX）；所有报告也保存在后台“运营分析 › 运营报告”。"]
    if report.gaps:
        lines += ["", "数据说明：", *(f"- {gap}" for gap in report.gaps)]
    return "\n".join(lines)


def due_period(account: Account, now: dt.datetime | None = None) -> tuple[dt.date, dt.date] | None:
    """The fortnight whose report is due: the 14 days before the latest report day (the configured
    weekday of every second week) up to today; None until its last day's figures are published."""
    today = (now or clock.now()).astimezone(ZoneInfo(account.time_zone)).date()
    for back in range(REPORT_DAYS):
        day = today - dt.timedelta(days=back)
        if day.weekday() == app_settings.report_weekday() and ((day - FORTNIGHT_EPOCH).days // 7) % 2 == 0:
            end = day - dt.timedelta(days=1)
            if ready_until(account, now) < end:
                return None
            return end - dt.timedelta(days=REPORT_DAYS - 1), end
    return None


def make_due_reports(now: dt.datetime | None = None, *, recommend: bool = True, out: Path | None = None,
                     accounts: list[Account] | None = None) -> list[Report]:
    """The periodic report: for every account (or ``accounts``), the due fortnight's report unless its
    row has its files already (the row is the truth; a run that died half-way is redone), then
    mailed once. An earlier fortnight's row still without files (its runs failed until the
    fortnight passed) is made too, without writing weights for a period already begun: every
    fortnight that was due keeps its report. ``recommend`` and ``out`` as for :func:`make_report`."""
    made = []
    for account in accounts if accounts is not None else Account.objects.order_by("pk"):
        period = due_period(account, now)
        current = None
        if period is not None:
            current, _created = Report.objects.get_or_create(
                account=account, period_start=period[0], period_end=period[1], trigger=ReportTrigger.SCHEDULE,
                defaults={"title": f"{account.name} 运营情况分析"[:128]})
        unmade = Report.objects.filter(account=account, trigger=ReportTrigger.SCHEDULE, pdf="").order_by("period_end")
        for report in [*unmade.exclude(pk=current.pk if current else None), *([current] if current else [])]:
            try:
                if not report.pdf:
                    report = make_report(account, report.period_start, report.period_end,
                                         trigger=ReportTrigger.SCHEDULE, report=report, now=now,
                                         recommend=recommend and report == current, out=out)
                    made.append(report)
                if report.emailed_at is None:
                    email_report(report)
            except Exception:  # one account's failure must not stop the others; the next run retries
                logger.exception("fortnightly report of %s failed", account)
    return made
