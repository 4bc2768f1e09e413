"""``wxops analytics sync``: fetch WeChat's statistics for a date range now (backfill)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from wxops.accounts.command_line import accounts_named, parse_day


class Command(BaseCommand):
    help = (
        "Analytics tools. `sync` fetches WeChat's statistics (datacube: followers, reads, shares, per article) "
        "for the days not stored yet; days WeChat has not published (before 08:00 the next day) are left for "
        "the next sync; --force fetches stored days again.\n"
        "Examples:\n"
        "  wxops analytics sync                                  # the look-back window, every account\n"
        "  wxops analytics sync --from 2026-01-01 --to 2026-03-01 --account 中恒融智"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sync = sub.add_parser("sync", help="Fetch statistics now (backfill a range with --from/--to).")
        sync.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        sync.add_argument("--to", dest="end", help="last day, YYYY-MM-DD (at most yesterday)")
        sync.add_argument("--account", help="one account (name or AppID); default every account")
        sync.add_argument("--force", action="store_true", help="fetch days already stored again")

    def handle(self, *args, subcommand=None, start=None, end=None, account=None, force=False, **options):
        from wxops.analytics import actions

        first, last = (parse_day(start) if start else None), (parse_day(end) if end else None)
        if first and last and first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        failed = False
        for each in accounts_named(account):
            try:
                outcome = actions.sync_statistics(each, first, last, force=force)
            except ValueError as error:  # no AppSecret, in words
                self.stderr.write(f"{each.name}: {error}")
                failed = True
                continue
            self.stdout.write(outcome.describe())
            failed = failed or bool(outcome.failed or outcome.stopped)
        if failed:
            raise CommandError("Some days were not stored; run the sync again later (the hourly sync retries them).")
