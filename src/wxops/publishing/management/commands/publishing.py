"""``wxops publishing``: the send sweep now, the deliveries of the last days, and the pre-flight."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from wxops.accounts.times import shown_for_all
from wxops.core import clock
from wxops.editorial import actions as editorial
from wxops.editorial.models import Push, PushStatus
from wxops.publishing.actions import run_due_sends
from wxops.publishing.models import Delivery


class Command(BaseCommand):
    help = (
        "Sending pushes (推送). `run` does the worker's minute now: sends every approved push whose slot has come "
        "and resumes every unfinished send (safe while the worker runs: nothing is sent twice). `status` lists "
        "the deliveries of the last days with WeChat's ids and counts, and why one failed or was held. "
        "`preflight` lists what would stop the coming pushes (in review or approved) at their slot; it changes "
        "nothing.\n"
        "Examples:\n"
        "  wxops publishing run\n"
        "  wxops publishing status --days 14\n"
        "  wxops publishing preflight --days 3"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("run", help="send what is due now and resume unfinished sends")
        status = sub.add_parser("status", help="deliveries of the last days")
        status.add_argument("--days", type=int, default=7, help="how many days back (default 7)")
        preflight = sub.add_parser("preflight", help="what would stop the coming pushes")
        preflight.add_argument("--days", type=int, default=3, help="how many days ahead (default 3)")

    def handle(self, *args, subcommand=None, **options):
        getattr(self, f"handle_{subcommand}")(**options)

    def handle_run(self, **options):
        outcomes = run_due_sends()
        for outcome in outcomes:
            push = Push.objects.select_related("account").get(pk=outcome.push_id)
            line = f"{push}  {outcome.state}"
            if outcome.msg_id:
                line += f"  msg_id {outcome.msg_id}"
            if outcome.reason:
                line += f"  — {outcome.reason}"
            self.stdout.write(line)
        self.stdout.write(f"{len(outcomes)} push(es) handled.")

    def handle_status(self, days: int = 7, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more, e.g. --days 7.")
        since = clock.now() - timedelta(days=days)
        deliveries = Delivery.objects.filter(claimed_at__gte=since).select_related("push", "account") \
            .order_by("claimed_at")
        for delivery in deliveries:
            line = f"{delivery.push}  {delivery.get_state_display()}  {delivery.get_channel_display()}"
            if delivery.msg_id:
                line += f"  msg_id {delivery.msg_id}"
            if delivery.counts_summary:
                line += f"  {delivery.counts_summary}"
            if delivery.reason:
                line += f"  — {delivery.reason}"
            self.stdout.write(line)
        self.stdout.write(f"{deliveries.count()} delivery(ies) since {shown_for_all(since)}.")

    def handle_preflight(self, days: int = 3, **options):
        if days < 1:
            raise CommandError("--days must be 1 or more, e.g. --days 3.")
        now = clock.now()
        coming = Push.objects.filter(status__in=(PushStatus.IN_REVIEW, PushStatus.APPROVED), slot_at__gt=now,
                                     slot_at__lte=now + timedelta(days=days)).select_related("account")
        troubled = 0
        for push in coming.order_by("slot_at"):
            problems = editorial.push_problems(push)
            if problems:
                troubled += 1
                self.stdout.write(f"{push}  {push.get_status_display()}")
                for problem in problems:
                    self.stdout.write(f"  - {problem}")
        self.stdout.write(f"{coming.count()} coming push(es), {troubled} with problems.")
        if troubled:
            raise SystemExit(1)
