"""``wxops feedback``: the director's documents on demand, the Q&A compilation, and the feedback round now."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from wxops.accounts.command_line import accounts_named, parse_day
from wxops.core.documents.fonts import FontMissing
from wxops.editorial.models import Push
from wxops.interaction.feedback import documents, windows
from wxops.interaction.feedback.sent import sent_push
from wxops.interaction.feedback.tasks import feedback_tick
from wxops.interaction.models import FeedbackWindow
from wxops.interaction.models.feedback import WindowState


def output_folder(value: str | None) -> Path | None:
    if value is None:
        return None
    folder = Path(value)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"Cannot create the folder {folder}: {error.strerror}. Give another --out.") from None
    return folder


class Command(BaseCommand):
    help = (
        "The 24-hour feedback (七 沟通互动). `report` makes «推送反馈核心问题» (DOCX and PDF) for a sent push now, "
        "from the feedback so far, and keeps it in the admin (推送反馈 → 反馈文档); --out also writes the files to a "
        "folder, --email sends it to the account's director. `qa` writes the period's questions with the replies "
        "given (问答汇编, DOCX and XLSX). `run` does the worker's round now: open windows for sent pushes, sync "
        "their comments, close the windows past 24 hours.\n"
        "Examples:\n"
        "  wxops feedback report 42 --out ~/reports\n"
        "  wxops feedback qa --from 2026-03-01 --to 2026-03-14 --out ~/reports --account 中恒融智\n"
        "  wxops feedback run"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        report = sub.add_parser("report", help="Make the director's document of one push now.")
        report.add_argument("push_id", type=int, help="the push's id (shown in the calendar and the admin)")
        report.add_argument("--out", help="also write the DOCX and PDF into this folder")
        report.add_argument("--email", action="store_true", help="e-mail it to the account's director")
        qa = sub.add_parser("qa", help="Write the questions of a period with the replies given.")
        qa.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD (account time)")
        qa.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD, included")
        qa.add_argument("--out", required=True, help="folder for the DOCX and XLSX")
        qa.add_argument("--account", help="one account (name or AppID); default every account")
        sub.add_parser("run", help="Open, sync and close feedback windows now (what the worker does every 10 minutes).")

    def handle(self, *args, subcommand=None, **options):
        try:
            getattr(self, f"handle_{subcommand}")(**options)
        except FontMissing as error:  # the documents' Chinese font: the message names the package
            raise CommandError(str(error)) from None

    def handle_report(self, push_id: int, out=None, email=False, **options):
        push = Push.objects.filter(pk=push_id).select_related("account").first()
        if push is None:
            raise CommandError(f"No push with id {push_id}.")
        window = FeedbackWindow.objects.filter(push=push).first()
        sent = sent_push(push) if window is None else None
        if sent is not None:
            window = windows.open_window(push, sent)
        if window is None:
            raise CommandError(f"Push {push_id} ({push}) has no feedback window: it has not been sent, or WeChat "
                               f"has not accepted it yet.")
        folder = output_folder(out)
        if window.state == WindowState.OPEN:  # still collecting: the document shows the feedback so far
            windows.link_feedback(window)
            windows.analyse(window)
        document = documents.make_feedback_document(window)
        self._write(document, folder)
        if email and not documents.email_document(document):
            self.stderr.write("Not e-mailed: the account's director has no e-mail address (推送反馈 → 反馈负责人).")

    def handle_qa(self, start: str, end: str, out: str, account=None, **options):
        first, last = parse_day(start), parse_day(end)
        if first > last:
            raise CommandError(f"--from {first} is after --to {last}.")
        folder = output_folder(out)
        for each in accounts_named(account):
            zone = ZoneInfo(each.time_zone)
            begin = dt.datetime.combine(first, dt.time(), zone)
            until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), zone)
            self._write(documents.make_qa_document(each, begin, until), folder)

    def handle_run(self, **options):
        done = feedback_tick()
        self.stdout.write(f"opened {done['opened']}, synced {done['synced']}, closed {done['closed']} feedback windows")

    def _write(self, document, folder: Path | None) -> None:
        self.stdout.write(f"{document.title} (document {document.pk})")
        for kind in ("docx", "pdf", "xlsx"):
            field = getattr(document, kind)
            if not field:
                continue
            if folder is None:
                self.stdout.write(f"  {field.name}")
                continue
            target = folder / document.filename(kind)
            with field.open("rb") as source, open(target, "wb") as copy:
                shutil.copyfileobj(source, copy)
            self.stdout.write(f"  {target}")
