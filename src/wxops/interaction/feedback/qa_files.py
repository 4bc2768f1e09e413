"""The Q&A compilation as files: a DOCX the director reads in a few pages, an XLSX with every question.

The DOCX lists each question once — its askings in other words grouped, counted by the
followers who asked it, with the reply given and how many are still open — then the questions
asked only once (up to :data:`MAX_SINGLE_QUESTIONS`). The XLSX keeps the whole period: the groups
(问题汇总) and every question with its time, channel, reply and group number (全部问答).
A fortnight of 464 questions had run to 20 pages of one row per question.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from openpyxl import Workbook

from wxops.accounts.times import shown
from wxops.core.documents import chinese, sheets, word

from .qa import TITLE, Question, QuestionGroup, cell_time, period_text

#: Questions asked once listed in the DOCX; the rest are in the XLSX.
MAX_SINGLE_QUESTIONS = 40
NO_REPLY = "（尚未回复）"


def _summary(questions: list[Question], groups: list[QuestionGroup]) -> str:
    if not questions:
        return "本期没有收到提问。"
    comments = sum(q.channel == "留言" for q in questions)
    answered = sum(bool(q.reply) for q in questions)
    people = len({q.asker or f"#{i}" for i, q in enumerate(questions)})
    return (f"共 {len(questions)} 个提问（留言 {comments} 个，消息 {len(questions) - comments} 个），来自 {people} 位粉丝，"
            f"合并为 {len(groups)} 个问题；已回复 {answered} 个，未回复 {len(questions) - answered} 个。"
            "同一问题的不同说法合为一条；每个提问的原文、时间和答复见同名 XLSX 的“全部问答”。")


def write_qa_docx(account, start: dt.datetime, end: dt.datetime, questions: list[Question],
                  groups: list[QuestionGroup]) -> bytes:
    """``groups`` are :func:`.qa.group_questions` of ``questions`` (grouped once for both files)."""
    zone = ZoneInfo(account.time_zone)
    document = word.new_document()
    document.add_heading(TITLE, level=0)  # the period under it: in the title it wrapped over two lines
    document.add_paragraph(f"{account.name} · {period_text(start, end, zone)}")
    document.add_paragraph(_summary(questions, groups))
    repeated = [group for group in groups if group.asked > 1]
    single = [group for group in groups if group.asked == 1]
    if repeated:
        document.add_heading("一、多人问到的问题", level=1)
        word.table(document, ["序号", "问题", "提问人数", "提问次数", "未回复", "答复"],
                   [(g.number, g.question, g.askers, g.asked, g.unanswered, g.reply or NO_REPLY) for g in repeated],
                   size_pt=9, widths_cm=(1.2, 4.9, 1.7, 1.7, 1.5, 5.6))
    if single:
        document.add_heading(f"{'二' if repeated else '一'}、只问过一次的问题", level=1)
        shown_single = single[:MAX_SINGLE_QUESTIONS]
        with chinese.language():
            rows = [(g.number, shown(questions[g.members[0]].asked_at, account), g.question, g.reply or NO_REPLY)
                    for g in shown_single]
        word.table(document, ["序号", "时间", "问题", "答复"], rows, size_pt=9, widths_cm=(1.2, 3.0, 5.6, 6.8))
        if len(single) > len(shown_single):
            document.add_paragraph(f"另有 {len(single) - len(shown_single)} 个只问过一次的问题，见 XLSX 的“问题汇总”。")
    return word.docx_bytes(document)


def write_qa_xlsx(account, start: dt.datetime, end: dt.datetime, questions: list[Question],
                  groups: list[QuestionGroup]) -> bytes:
    """Two sheets: 问题汇总 (one row per question group, most asked first) and 全部问答 (every
    question, oldest first, with its group's 序号 to filter on); dates are real date values."""
    zone = ZoneInfo(account.time_zone)
    number_of = {index: group.number for group in groups for index in group.members}
    book = Workbook()
    book.remove(book.active)
    sheets.table_sheet(
        book, "问题汇总", ["序号", "问题", "提问次数", "提问人数", "留言", "消息", "已回复", "未回复", "答复", "多见于文章"],
        [(g.number, g.question, g.asked, g.askers, g.comments, g.asked - g.comments, g.answered, g.unanswered,
          g.reply, g.article) for g in groups],
        widths=(6, 32, 9, 9, 6, 6, 7, 7, 46, 20), wrap_columns=(2, 9, 10), frozen_columns=2)
    sheets.table_sheet(
        book, "全部问答", ["时间", "渠道", "提问", "问题序号", "答复", "答复时间", "文章"],
        [(cell_time(q.asked_at, zone), q.channel, q.text, number_of[i], q.reply, cell_time(q.replied_at, zone),
          q.article) for i, q in enumerate(questions)],
        widths=(17, 6, 36, 9, 44, 17, 20), wrap_columns=(3, 5, 7), datetime_columns=(1, 6))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
