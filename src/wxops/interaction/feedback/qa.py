"""The Q&A compilation (问答汇编): the period's questions from followers, with the replies given (DOCX, XLSX).

    questions = questions_between(account, start, end)
    write_qa_docx(account, start, end, questions), write_qa_xlsx(account, start, end, questions)

A question is a comment or a text message that asks (？, 吗, 怎么 … — the same rule as
the core issues). The reply given is our reply under the comment, or for a message the first
customer-service message a person sent the follower after it, else the keyword rule's or
the knowledge base's answer; an
acknowledgement (the default reply "已收到", the welcome) does not count as an answer. Followers'
openids are left out: the compilation is read beyond the operations team.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from wxops.accounts.times import shown, shown_day
from wxops.core.documents import chinese, word
from wxops.core.documents.fonts import FONT_FAMILY
from wxops.interaction.models import (
    CustomerServiceReply,
    HandledStatus,
    InboundKind,
    InboundMessage,
    SendStatus,
)
from wxops.interaction.models.feedback import Comment, CommentState

from .clustering import Feedback, as_question, find_core_issues, is_question
from .windows import ACKNOWLEDGEMENTS, message_answered

TITLE = "问答汇编"


@dataclass(frozen=True)
class Question:
    asked_at: dt.datetime
    channel: str  # 留言 or 消息
    text: str
    reply: str
    replied_at: dt.datetime | None
    article: str


def questions_between(account, start: dt.datetime, end: dt.datetime) -> list[Question]:
    """Every question of ``[start, end)`` for the account, oldest first."""
    found = []
    for comment in (Comment.objects.filter(account=account, created_at__gte=start, created_at__lt=end)
                    .exclude(state=CommentState.DELETED).select_related("article")):
        if is_question(comment.content):
            found.append(Question(comment.created_at, "留言", comment.content.strip(), comment.reply_content,
                                  comment.replied_at, comment.article.title if comment.article else ""))
    by_person = _people_replies(account, start)
    for message in InboundMessage.objects.filter(account=account, kind=InboundKind.TEXT, received_at__gte=start,
                                                 received_at__lt=end).exclude(content=""):
        if not is_question(message.content):
            continue
        reply, replied_at = _reply_to(message, by_person.get(message.from_openid, []))
        found.append(Question(message.received_at, "消息", message.content.strip(), reply, replied_at, ""))
    return sorted(found, key=lambda q: q.asked_at)


def _people_replies(account, start: dt.datetime) -> dict[str, list[CustomerServiceReply]]:
    """The customer-service messages people sent since ``start``, per follower, oldest first."""
    replies: dict[str, list[CustomerServiceReply]] = {}
    for reply in CustomerServiceReply.objects.filter(account=account, status=SendStatus.SENT,
                                                     created_at__gte=start).order_by("created_at", "id"):
        replies.setdefault(reply.openid, []).append(reply)
    return replies


def _reply_to(message: InboundMessage, people: list[CustomerServiceReply]) -> tuple[str, dt.datetime | None]:
    """A person's first message to the follower after the question; else the keyword or knowledge-base answer."""
    if message.status == HandledStatus.ANSWERED:
        for reply in people:
            if reply.created_at >= message.received_at:
                return reply.text, reply.sent_at or reply.created_at
    if message_answered(message) and message.reply and message.reply_source not in ACKNOWLEDGEMENTS:
        return message.reply, message.received_at
    return "", None


def frequent(questions: list[Question], limit: int = 10) -> list[tuple[str, int, str]]:
    """(a typical wording, how many asked it, a reply given to one of them) for the most asked questions."""
    issues = find_core_issues([Feedback(q.text, answered=bool(q.reply)) for q in questions], limit=limit)
    rows = []
    for issue in issues:
        reply = next((questions[i].reply for i in issue.members if questions[i].reply), "")
        rows.append((as_question(issue.title), issue.volume, reply))  # the question, not one asker's greeting
    return rows


def _cell_time(moment: dt.datetime | None, zone: ZoneInfo) -> dt.datetime | None:
    """A spreadsheet's date value: the account's wall-clock time (a cell has no time zone)."""
    return moment.astimezone(zone).replace(tzinfo=None) if moment else None


def period_text(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> str:
    """The account days of ``[start, end)`` as a person reads them: 2026年3月2日 至 2026年3月15日."""
    last = (end - dt.timedelta(seconds=1)).astimezone(zone)
    with chinese.language():
        return f"{shown_day(start.astimezone(zone).date())} 至 {shown_day(last.date())}"


def write_qa_docx(account, start: dt.datetime, end: dt.datetime, questions: list[Question]) -> bytes:
    zone = ZoneInfo(account.time_zone)
    document = word.new_document()
    document.add_heading(TITLE, level=0)  # the period under it: in the title it wrapped over two lines
    answered = sum(bool(q.reply) for q in questions)
    document.add_paragraph(f"{account.name} · {period_text(start, end, zone)} · 共 {len(questions)} 个提问，"
                           f"已回复 {answered} 个，未回复 {len(questions) - answered} 个。")
    document.add_heading("一、常见问题", level=1)
    for wording, count, reply in frequent(questions):
        document.add_paragraph(f"{wording}（{count} 次）", style="List Number")
        document.add_paragraph(f"答复：{reply}" if reply else "答复：（尚未回复）")
    document.add_heading("二、全部问答", level=1)
    with chinese.language():
        rows = [(shown(q.asked_at, account), q.channel, q.text, q.reply or "（未回复）", q.article) for q in questions]
    word.table(document, ["时间", "渠道", "提问", "答复", "文章"], rows, size_pt=9, widths_cm=(3.3, 1.2, 5.2, 4.1, 2.7))
    return word.docx_bytes(document)


def write_qa_xlsx(account, start: dt.datetime, end: dt.datetime, questions: list[Question]) -> bytes:
    zone = ZoneInfo(account.time_zone)
    book = Workbook()
    sheet = book.active
    sheet.title = "全部问答"
    sheet.append(["时间", "渠道", "提问", "答复", "答复时间", "文章"])
    for question in questions:
        sheet.append([_cell_time(question.asked_at, zone), question.channel, question.text, question.reply,
                      _cell_time(question.replied_at, zone), question.article])
        for column in ("A", "E"):
            sheet[f"{column}{sheet.max_row}"].number_format = chinese.XLSX_DATETIME
    frequent_sheet = book.create_sheet("常见问题")
    frequent_sheet.append(["问题", "次数", "答复"])
    for row in frequent(questions):
        frequent_sheet.append(list(row))
    for each, widths in ((sheet, (19, 6, 50, 50, 19, 30)), (frequent_sheet, (50, 8, 60))):
        for column, width in zip("ABCDEF", widths, strict=False):
            each.column_dimensions[column].width = width
        for cell in each[1]:
            cell.font = Font(bold=True, name=FONT_FAMILY)
        for row in each.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
