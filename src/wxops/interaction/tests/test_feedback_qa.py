"""The Q&A compilation read as the director reads it: the same question asked by many is one entry,
counted by the followers who asked it; every question is still in the spreadsheet, which reads well
on screen and on paper."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from openpyxl import load_workbook

from wxops.interaction.feedback import qa_files
from wxops.interaction.feedback.qa import group_questions, questions_between
from wxops.interaction.feedback.qa_files import write_qa_docx, write_qa_xlsx
from wxops.interaction.models import InboundKind, InboundMessage

from .conftest import make_account

START = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
END = START + dt.timedelta(days=14)
LEAVE = ["年假没休完可以折算工资吗？", "您好，年假没休完可以折算工资吗？谢谢", "请问年假没休完能折算工资吗"]
OTHERS = ["电子发票怎么报销入账？", "融智的服务怎么收费？", "我们在外地，可以远程办理吗？", "怎么联系你们的顾问？",
          "绩效考核表可以分享一份模板吗？"]
ANSWER = "因单位原因未休的年假，应按日工资的300%支付报酬（含正常工资）；员工本人书面放弃的除外。"


def ask(account, n: int, text: str, openid: str, answer: str = "") -> None:
    InboundMessage.objects.create(account=account, kind=InboundKind.TEXT, msg_type="text", dedupe_key=f"qa:{n}",
                                  from_openid=openid, content=text, xml="<xml/>",
                                  received_at=START + dt.timedelta(hours=1, minutes=n), reply=answer,
                                  reply_source="knowledge base 1 (0.91)" if answer else "")


def compiled(db):
    """30 followers ask about 年假 in three wordings (one of them twice, 10 answered), 5 ask one thing
    each."""
    account = make_account(name="问答测试号")
    for n in range(31):
        ask(account, n, LEAVE[n % 3], f"oLeave{min(n, 29)}", ANSWER if n < 10 else "")
    for n, text in enumerate(OTHERS):
        ask(account, 100 + n, text, f"oOther{n}")
    questions = questions_between(account, START, END)
    return account, questions


def test_the_same_question_asked_by_many_is_one_entry_with_how_many_asked(db, monkeypatch):
    monkeypatch.setattr(qa_files, "MAX_SINGLE_QUESTIONS", 3)
    account, questions = compiled(db)
    assert len(questions) == 36

    document = Document(io.BytesIO(write_qa_docx(account, START, END, questions, group_questions(questions))))
    repeated, single = document.tables
    assert [[cell.text for cell in row.cells] for row in repeated.rows] == [
        ["序号", "问题", "提问人数", "提问次数", "未回复", "答复"],
        ["1", "年假没休完可以折算工资吗？", "30", "31", "21", ANSWER]]
    # asked once: listed up to a limit, the rest said to be in the spreadsheet — not 76 rows of one question each
    assert [row.cells[2].text for row in single.rows[1:]] == OTHERS[:3]
    assert document.paragraphs[-1].text == "另有 2 个只问过一次的问题，见 XLSX 的“问题汇总”。"
    assert "共 36 个提问（留言 0 个，消息 36 个），来自 35 位粉丝，合并为 6 个问题" in document.paragraphs[2].text


def test_the_spreadsheet_keeps_every_question_with_its_group_and_reads_on_screen_and_paper(db):
    account, questions = compiled(db)
    book = load_workbook(io.BytesIO(write_qa_xlsx(account, START, END, questions, group_questions(questions))))
    assert book.sheetnames == ["问题汇总", "全部问答"]
    groups, every = book["问题汇总"], book["全部问答"]
    assert [cell.value for cell in groups[2]] == [1, "年假没休完可以折算工资吗？", 31, 30, 0, 31, 10, 21, ANSWER, None]
    assert groups.max_row == 1 + 6 and every.max_row == 1 + 36
    assert [cell.value for cell in every[1]] == ["时间", "渠道", "提问", "问题序号", "答复", "答复时间", "文章"]
    assert sorted({row[3] for row in every.iter_rows(min_row=2, values_only=True)})[:2] == [1, 2]
    for sheet in (groups, every):
        assert sheet.freeze_panes in ("A2", "C2") and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    # the reply wraps in its column, in a row tall enough for its two lines (LibreOffice cut it at one)
    assert groups["I2"].alignment.wrap_text and groups.row_dimensions[2].height >= 2 * 13.5
    assert every.row_dimensions[every.max_row].height < 20  # a short question without a reply stays one line


def test_one_wording_is_never_split_over_two_entries_in_a_period_too_busy_to_cluster_every_text(monkeypatch):
    from wxops.interaction.feedback import qa

    monkeypatch.setattr(qa, "MAX_CLUSTERED_TEXTS", 2)  # the fortnight of 725 questions had 13 entries twice
    texts = ["融智的服务怎么收费？"] * 3 + [f"{hello}年假没休完可以折算工资吗？{thanks}" for hello in ("", "您好，", "请问")
                                     for thanks in ("", "谢谢", "急")] + ["怎么联系你们的顾问？"]
    asked = [qa.Question(START, "消息", text, "", None, "", f"o{n}") for n, text in enumerate(texts)]
    groups = qa.group_questions(asked)
    assert [(group.question, group.asked) for group in groups] == [
        ("年假没休完可以折算工资吗？", 9), ("融智的服务怎么收费？", 3), ("怎么联系你们的顾问？", 1)]
