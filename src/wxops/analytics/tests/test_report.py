"""The fortnightly report: XLSX read back with openpyxl, PDF text (Chinese) with pypdf, DOCX with
python-docx; kept on a Report row, mailed once; bad input said in words."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from wxops.accounts.models import Account, Category
from wxops.analytics import actions
from wxops.analytics.models import Report, ReportTrigger
from wxops.core.documents import fonts
from wxops.core.documents.chinese import XLSX_DATE, XLSX_DATETIME
from wxops.core.documents.mail import CONTENT_TYPES
from wxops.editorial.models import Recommendation
from wxops.interaction.models import InboundKind, InboundMessage

from .conftest import day
from .test_metrics import two_pushes_synced

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_fonts(data: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in (page.get("/Resources") or {}).get("/Font", {}).values():
            font = font.get_object()
            descriptor = (font.get("/DescendantFonts") or [font])[0].get_object().get("/FontDescriptor")
            if descriptor and any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    return fonts


def questions(account, *texts):
    for n, text in enumerate(texts):
        InboundMessage.objects.create(account=account, kind=InboundKind.TEXT, dedupe_key=f"report:{n}", content=text,
                                      xml="<xml/>", received_at=dt.datetime(2026, 3, 3, 10, n, tzinfo=SHANGHAI))


@pytest.fixture
def administrator(db):
    user = get_user_model().objects.create_user("director", email="director@example.com", password=None)
    user.groups.add(Group.objects.get_or_create(name="管理员")[0])
    return user


def test_the_report_has_real_tables_readable_chinese_and_advice(world, tmp_path, administrator):
    two_pushes_synced(world)
    questions(world.account, *["社保基数什么时候调整？"] * 3, "发票怎么开？")
    report = actions.make_report(world.account, day("2026-03-01"), day("2026-03-06"), out=tmp_path, email=True)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report-20260301-20260306.docx", "report-20260301-20260306.pdf", "report-20260301-20260306.xlsx"]
    book = load_workbook(tmp_path / "report-20260301-20260306.xlsx")
    assert book.sheetnames == ["概览", "栏目", "推送", "文章", "每日", "粉丝问题", "反馈主题", "分公司增长",
                               "栏目建议", "时段建议", "数据说明"]
    categories = {row[0]: row for row in book["栏目"].iter_rows(min_row=2, values_only=True)}
    hr = categories["人力资源管理"]
    assert isinstance(hr[3], int) and isinstance(hr[4], int) and hr[5] == pytest.approx(hr[4] / hr[3])
    assert book["栏目"]["F2"].number_format == "0.0%"
    assert [r[:2] for r in book["粉丝问题"].iter_rows(min_row=2, values_only=True)] == [
        ("社保基数什么时候调整？", 3), ("发票怎么开？", 1)]
    assert len(list(book["每日"].iter_rows(min_row=2))) == 6

    text = pdf_text(read(report.pdf))
    for words in ("分析测试号 运营情况分析", "一、概览", "二、客户关注的内容", "人力资源管理", "三、客户提出的问题",
                  "社保基数什么时候调整？", "四、粉丝增长", "五、下两周的建议", "多推「人力资源管理」", "近四周阅读率为平均的"):
        assert words in text, words
    assert any("Noto-Sans-CJK-SC" in font for font in pdf_fonts(read(report.pdf)))  # embedded, not left to the reader

    document = Document(io.BytesIO(read(report.docx)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "五、下两周的建议" in paragraphs and "多推「人力资源管理」" in paragraphs
    assert len(document.inline_shapes) == 3  # the three charts

    assert report.trigger == ReportTrigger.ON_DEMAND and report.headline["pushes"] == 2
    message, = mail.outbox
    assert message.to == ["director@example.com"] and "运营情况分析" in message.subject
    assert sorted(name.rsplit(".", 1)[1] for name, _data, _type in message.attachments) == ["docx", "pdf", "xlsx"]
    assert {kind for _name, _data, kind in message.attachments} == set(CONTENT_TYPES.values())  # each typed
    assert actions.email_report(report) is False and len(mail.outbox) == 1  # once


def test_an_empty_fortnight_says_so_in_words(world, tmp_path):
    report = actions.make_report(world.account, day("2026-01-05"), day("2026-01-18"), recommend=False)
    text = pdf_text(read(report.pdf))
    assert "本期没有推送" in text and "本期没有带阅读数据的推送，无法排名栏目" in text and "本期没有粉丝提问" in text
    assert any("本期没有推送" in gap for gap in report.gaps)
    book = load_workbook(io.BytesIO(read(report.xlsx)))
    assert list(book["栏目"].iter_rows(min_row=2)) == []
    assert any("本期没有推送" in row[0] for row in book["数据说明"].iter_rows(values_only=True))


def test_the_command_makes_the_files_and_refuses_bad_dates_in_words(world, tmp_path, capsys):
    call_command("report", "--from", "2026-01-05", "--to", "2026-01-18", "--out", str(tmp_path), "--no-recommend")
    assert len(list(tmp_path.iterdir())) == 3 and Report.objects.count() == 1
    assert "本期没有推送" in capsys.readouterr().out
    with pytest.raises(CommandError, match="晚于结束日期"):
        call_command("report", "--from", "2026-03-15", "--to", "2026-03-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", "--from", "15.3.2026", "--to", "2026-03-01")
    assert Report.objects.count() == 1  # nothing made for bad input


def test_without_the_chinese_font_the_command_names_the_package_and_keeps_no_report(db, monkeypatch, tmp_path):
    account = Account.objects.create(name="无字体测试号", app_id="wx" + secrets.token_hex(8))
    fonts._font_file.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match: fontconfig is not there to find the font
    try:
        with pytest.raises(CommandError, match="fonts-noto-cjk"):
            call_command("report", "--account", account.app_id, "--no-recommend")
    finally:
        fonts._font_file.cache_clear()
    assert not Report.objects.filter(account=account).exists()


def test_the_periodic_report_is_made_once_per_fortnight_on_its_weekday(world, settings, administrator):
    settings.WXOPS_REPORT_WEEKDAY = 0  # Monday
    start = world.now().astimezone(SHANGHAI).date()

    def nine(day):
        return dt.datetime.combine(day, dt.time(9), SHANGHAI)

    report_day = next(start + dt.timedelta(days=n) for n in range(1, 15)
                      if (actions.due_period(world.account, nine(start + dt.timedelta(days=n))) or (0, 0))[1]
                      == start + dt.timedelta(days=n - 1))
    assert report_day.weekday() == 0
    Report.objects.create(account=world.account, trigger=ReportTrigger.SCHEDULE, title="上一期",
                          period_start=report_day - dt.timedelta(days=28), period_end=report_day - dt.timedelta(days=15),
                          pdf="old.pdf", emailed_at=world.now())
    before = dt.datetime.combine(report_day, dt.time(7, 30), SHANGHAI)
    assert actions.make_due_reports(before) == []  # Sunday's figures are not published before 08:00
    assert Report.objects.count() == 1
    at_nine = dt.datetime.combine(report_day, dt.time(9), SHANGHAI)
    made, = actions.make_due_reports(at_nine)
    assert (made.period_start, made.period_end) == (report_day - dt.timedelta(days=14),
                                                    report_day - dt.timedelta(days=1))
    assert actions.make_due_reports(at_nine + dt.timedelta(hours=1)) == []  # the row is the truth
    assert actions.make_due_reports(at_nine + dt.timedelta(days=3)) == []  # same fortnight, nothing new
    assert Report.objects.filter(trigger=ReportTrigger.SCHEDULE).count() == 2 and len(mail.outbox) == 1
    assert actions.due_period(world.account, at_nine + dt.timedelta(days=7)) == (made.period_start, made.period_end)


def test_a_fortnight_whose_report_failed_gets_it_later_without_steering_the_past(db, settings, administrator):
    settings.WXOPS_REPORT_WEEKDAY = 0  # Monday
    account = Account.objects.create(name="补报告的号", app_id="wxlatereport0001")
    Category.objects.create(account=account, name="人力资源管理", position=0)
    failed = Report.objects.create(account=account, trigger=ReportTrigger.SCHEDULE, title="没做成的一期",
                                   period_start=day("2026-02-09"), period_end=day("2026-02-22"))
    wednesday = dt.datetime(2026, 3, 11, 9, tzinfo=SHANGHAI)  # the fortnight 02-23 … 03-08 is due
    made = actions.make_due_reports(wednesday, accounts=[account])
    assert [(r.period_start, r.period_end) for r in made] == [(day("2026-02-09"), day("2026-02-22")),
                                                              (day("2026-02-23"), day("2026-03-08"))]
    failed.refresh_from_db()
    assert failed.pdf and failed.xlsx and failed.emailed_at is not None and len(mail.outbox) == 2
    # only the current fortnight's report writes the planner's weights, for the two weeks after it
    assert set(Recommendation.objects.filter(account=account).values_list("period_start", flat=True)) == {
        day("2026-03-09")}
    assert actions.make_due_reports(wednesday + dt.timedelta(hours=1), accounts=[account]) == []
    assert len(mail.outbox) == 2


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\b\d{2}-\d{2}\b")


def test_every_date_a_person_reads_is_in_the_desk_s_style_and_the_sheets_keep_real_dates(world, tmp_path):
    """The report wrote 2026-03-01 and 03-02: one style (2026年3月1日), Chinese even from an English admin."""
    two_pushes_synced(world)
    questions(world.account, "年假没休完能折算工资吗？多谢", "您好，年假没休完能折算工资吗？期待回复")
    with translation.override("en"):
        report = actions.make_report(world.account, day("2026-03-01"), day("2026-03-06"), recommend=False)

    assert report.title == "分析测试号 运营情况分析（2026年3月1日 至 2026年3月6日）"
    text = pdf_text(read(report.pdf)).replace("\n", "")  # lines wrap anywhere in Chinese
    assert "（2026年3月1日 至 2026年3月6日）" in text and re.search(r"生成时间：\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", text)
    assert not ISO_DATE.search(text), ISO_DATE.search(text)
    # messages are 消息, comments 留言: the report said 粉丝留言 for the messages alone
    assert "03月" not in text and "年假没休完能折算工资吗？" in text and "多谢" not in text  # the question, not a greeting
    assert "粉丝留言" not in text and re.search(r"本期文章留言 \d+ 条、粉丝消息 \d+ 条", text)
    document = Document(io.BytesIO(read(report.docx)))
    words = "\n".join([p.text for p in document.paragraphs]
                      + [cell.text for table in document.tables for row in table.rows for cell in row.cells])
    assert "2026年3月1日" in words and not ISO_DATE.search(words), ISO_DATE.search(words)
    assert [p.text for p in document.paragraphs[:2]] == ["运营情况分析", "分析测试号 · 2026年3月1日 至 2026年3月6日"]
    weights = next(table for table in document.tables if table.rows[0].cells[1].text == "权重")
    assert [round(cell.width.cm, 1) for cell in weights.rows[1].cells] == [3.6, 1.4, 11.6]  # 理由 gets the room
    asked = next(table for table in document.tables if table.rows[0].cells[0].text == "问题")
    assert [round(cell.width.cm, 1) for cell in asked.rows[1].cells] == [9.6, 1.6, 5.4]  # a question on one line

    book = load_workbook(io.BytesIO(read(report.xlsx)))
    start = book["概览"]["B3"]
    assert start.value == dt.datetime(2026, 3, 1) and start.number_format == XLSX_DATE
    first_day = book["每日"]["A2"]
    assert first_day.is_date and first_day.number_format == XLSX_DATE
    pushed = book["推送"]["A2"]
    assert isinstance(pushed.value, dt.datetime) and pushed.number_format == XLSX_DATETIME
