"""``wxops feedback report|qa|run``: the documents on demand, written to a folder and kept in the admin."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from wxops.core.documents.chinese import XLSX_DATETIME
from wxops.editorial.models import Push
from wxops.interaction.feedback import comments, windows
from wxops.interaction.models import (
    Comment,
    CustomerServiceReply,
    DirectorDocument,
    HandledStatus,
    InboundKind,
    InboundMessage,
    SendStatus,
)
from wxops.interaction.models.feedback import DocumentKind

from .conftest import make_account

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def run(*args) -> str:
    out = io.StringIO()
    call_command("feedback", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_report_writes_the_document_of_a_push_still_collecting(feedback_world, tmp_path):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知")
    window = feedback_world.open(push, msg_data_id)
    windows.sync_open_windows()
    for openid in feedback_world.followers(2):
        feedback_world.comment(openid, msg_data_id, "社保基数什么时候调整？")
    feedback_world.advance(seconds=60)
    windows.sync_open_windows()

    output = run("report", str(push.pk), "--out", str(tmp_path / "out"))

    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [name.rsplit(".", 1)[1] for name in files] == ["docx", "pdf"], output
    pdf = PdfReader(tmp_path / "out" / files[1])
    text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    assert "社保基数什么时候调整" in text
    # the push's times as the director reads them, in the account's zone
    sent = window.opens_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"发送时间 {sent.year}年{sent.month}月{sent.day}日 {sent:%H:%M}" in text
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    window.refresh_from_db()
    assert window.state == "open"  # made on demand: the window still collects
    assert DirectorDocument.objects.filter(window=window).count() == 1


def test_qa_compiles_the_questions_with_the_replies_given(feedback_world, tmp_path):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知")
    window = feedback_world.open(push, msg_data_id)
    windows.sync_open_windows()
    openid = feedback_world.followers(1)[0]
    feedback_world.comment(openid, msg_data_id, "今年社保基数什么时候调整？")
    feedback_world.comment(openid, msg_data_id, "学习了")
    feedback_world.advance(seconds=60)
    comments.sync_comments(window)
    admin = get_user_model().objects.create_superuser("boss", password="x")
    comments.reply_to_comment(Comment.objects.get(content__startswith="今年"), "您好，7月1日起调整。", user=admin)
    now = feedback_world.now()
    for n, (text, source, reply) in enumerate((("电子发票怎么报销入账？", "knowledge base 3 (0.91)", "请参考发票报销指南。"),
                                               ("年假没休完可以折算工资吗", "default reply", "已收到，我们会尽快回复。"))):
        InboundMessage.objects.create(account=feedback_world.account, kind=InboundKind.TEXT, msg_type="text",
                                      dedupe_key=f"msg:{text}", content=text, xml="<xml/>",
                                      received_at=now + dt.timedelta(seconds=n), reply=reply, reply_source=source)
    asked = InboundMessage.objects.create(account=feedback_world.account, kind=InboundKind.TEXT, msg_type="text",
                                          from_openid="oAsker", dedupe_key="msg:asker", content="差旅费报销需要哪些凭证？",
                                          xml="<xml/>", received_at=now + dt.timedelta(seconds=5),
                                          status=HandledStatus.ANSWERED, reply="已收到", reply_source="default reply")
    CustomerServiceReply.objects.create(account=feedback_world.account, openid="oAsker", text="发票和行程单即可。",
                                        in_reply_to=asked, status=SendStatus.SENT, request_key="r1",
                                        created_at=now + dt.timedelta(seconds=60), sent_at=now + dt.timedelta(seconds=61))
    day = now.astimezone(ZoneInfo("Asia/Shanghai")).date()

    run("qa", "--from", str(day), "--to", str(day), "--out", str(tmp_path))

    sheet = load_workbook(next(tmp_path.glob("*.xlsx")))["全部问答"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [(r[1], r[2], r[4] or "") for r in rows] == [
        ("留言", "今年社保基数什么时候调整？", "您好，7月1日起调整。"),
        ("消息", "电子发票怎么报销入账？", "请参考发票报销指南。"),
        ("消息", "年假没休完可以折算工资吗", ""),  # an acknowledgement is not an answer
        ("消息", "差旅费报销需要哪些凭证？", "发票和行程单即可。"),  # a person's customer-service message
    ]
    text = "\n".join(cell.text for table in Document(next(tmp_path.glob("*.docx"))).tables
                     for row in table.rows for cell in row.cells)
    assert "您好，7月1日起调整。" in text and "（尚未回复）" in text
    # dates as people read them (2026年3月2日 10:31), real date values in the sheet
    asked = now.astimezone(ZoneInfo("Asia/Shanghai"))
    assert f"{asked.year}年{asked.month}月{asked.day}日 {asked:%H:%M}" in text and not ISO_DATE.search(text)
    document = Document(next(tmp_path.glob("*.docx")))
    assert [p.text for p in document.paragraphs[:3]] == [  # the period under the title, which it made wrap
        "问答汇编", f"反馈测试号 · {day.year}年{day.month}月{day.day}日 至 {day.year}年{day.month}月{day.day}日",
        "共 4 个提问（留言 1 个，消息 3 个），来自 4 位粉丝，合并为 4 个问题；已回复 3 个，未回复 1 个。"
        "同一问题的不同说法合为一条；每个提问的原文、时间和答复见同名 XLSX 的“全部问答”。"]
    table = document.tables[0]  # asked once each: a cell for each column as wide as its words need, on A4
    assert [round(cell.width.cm, 1) for cell in table.rows[1].cells] == [1.2, 3.0, 5.6, 6.8]
    assert round(document.sections[0].page_width.cm, 1) == 21.0
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header again on every page
    assert abs(rows[1][0] - asked.replace(tzinfo=None)) < dt.timedelta(seconds=1)
    assert sheet["A2"].number_format == sheet["F2"].number_format == XLSX_DATETIME
    assert DirectorDocument.objects.get(kind=DocumentKind.QA).xlsx


@pytest.mark.parametrize(("args", "message"), [
    (("report", "999999"), "No push with id 999999"),
    (("qa", "--from", "2026-03-09", "--to", "2026-03-01", "--out", "x"), "is after --to"),
    (("qa", "--from", "2026-3-1x", "--to", "2026-03-01", "--out", "x"), "is not a date"),
    (("qa", "--from", "2026-03-01", "--to", "2026-03-01", "--out", "x", "--account", "nobody"), "No account named"),
])
def test_bad_input_is_refused_in_words(db, args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not DirectorDocument.objects.exists()


def test_a_push_not_sent_has_no_report(db):
    now = dt.datetime(2026, 3, 2, 3, 30, tzinfo=dt.UTC)
    push = Push.objects.create(account=make_account(), slot_at=now, review_deadline_at=now, latest_send_at=now)
    with pytest.raises(CommandError, match="has not been sent"):
        run("report", str(push.pk))
