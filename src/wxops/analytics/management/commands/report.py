"""``wxops report``: the fortnightly report (运营情况分析) of a period, now, as XLSX, PDF and DOCX."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wxops.accounts.command_line import accounts_named, parse_day
from wxops.core.documents.fonts import FontMissing


class Command(BaseCommand):
    help = (
        "Make the operations report of a period now: the data tables (XLSX), the readable report with charts "
        "(PDF and DOCX), kept in the admin (运营分析 › 运营报告) and copied to --out. It also writes the "
        "planner's category weights for the two weeks after --to (--no-recommend: not). Default period: "
        "the 14 days up to yesterday.\n"
        "Examples:\n"
        "  wxops report --from 2026-03-02 --to 2026-03-15 --out reports/\n"
        "  wxops report --account 中恒融智 --email"
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD (default: 14 days before --to)")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (default: yesterday)")
        parser.add_argument("--out", type=Path, help="also write the three files into this folder")
        parser.add_argument("--account", help="one account (name or AppID); default every account")
        parser.add_argument("--email", action="store_true", help="mail the report to the administrators and "
                            "WXOPS_REPORT_EMAILS")
        parser.add_argument("--no-recommend", dest="recommend", action="store_false",
                            help="do not write the planner's category weights")

    def handle(self, *args, start=None, end=None, out=None, account=None, email=False, recommend=True, **options):
        from wxops.analytics import actions
        from wxops.core import clock

        for each in accounts_named(account):
            last = parse_day(end) if end else clock.local_now(each.time_zone).date() - dt.timedelta(days=1)
            first = parse_day(start) if start else last - dt.timedelta(days=actions.REPORT_DAYS - 1)
            folder = out / f"account-{each.pk}" if out and not account and len(accounts_named(None)) > 1 else out
            try:
                report = actions.make_report(each, first, last, out=folder, email=email, recommend=recommend)
            except (actions.ReportError, FontMissing) as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{report.title}: {report.pdf.name}, {report.docx.name}, {report.xlsx.name}"
                              + (f" → {folder}" if folder else ""))
            for gap in report.gaps:
                self.stdout.write(f"  · {gap}")
