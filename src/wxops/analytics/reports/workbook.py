"""The report's data tables as one XLSX workbook (openpyxl): one sheet per table, real
numbers (rates as numbers formatted as percentages), Chinese headers, frozen header row."""

from __future__ import annotations

import io

from wxops.analytics.reports.content import ReportContent
from wxops.core.documents.chinese import XLSX_DATE, XLSX_DATETIME
from wxops.editorial.models import PushStatus

HEADER_COLOUR = "E8F7EE"
PERCENT = "0.0%"


def _sheet(book, title: str, headers: list[str], rows: list[list], *, percent_columns=(), widths=None,
           date_columns=(), datetime_columns=()):
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
    for row in rows:
        sheet.append(row)
    for columns, number_format in ((percent_columns, PERCENT), (date_columns, XLSX_DATE),
                                   (datetime_columns, XLSX_DATETIME)):
        for column in columns:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                cell.number_format = number_format
    for number, header in enumerate(headers, start=1):
        width = (widths or {}).get(number) or max(10, min(48, 2 * len(header) + 4))
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def report_xlsx(content: ReportContent) -> bytes:
    """Every table of the report; an empty table keeps its header row (and the gaps sheet says why)."""
    from openpyxl import Workbook

    m = content.metrics
    book = Workbook()
    book.remove(book.active)
    numbers = content.headline_numbers()
    _sheet(book, "概览", ["项目", "数值"], [
        ["公众号", content.account], ["开始日期", content.start], ["结束日期", content.end],
        ["推送次数", numbers["pushes"]], ["送达人数（合计）", numbers["delivered"]],
        ["阅读人数（合计）", numbers["read_user"]], ["平均阅读率", numbers["read_rate"]],
        ["新增关注", numbers["new_followers"]], ["取消关注", numbers["unfollowed"]],
        ["净增关注", numbers["new_followers"] - numbers["unfollowed"]], ["期末粉丝数", numbers["followers_end"]],
        ["粉丝消息", numbers["messages"]]], widths={1: 20, 2: 24})
    book["概览"]["B8"].number_format = PERCENT
    book["概览"]["B3"].number_format = book["概览"]["B4"].number_format = XLSX_DATE
    _sheet(book, "栏目", ["栏目", "推送次数", "文章篇数", "送达人数", "阅读人数", "阅读率", "相对平均（倍）",
                        "分享人数", "分享率", "收藏人数", "评论数", "阅读次数", "反馈条数", "推送后两天新增关注",
                        "推送后两天取消关注"],
           [[c.category, c.pushes, c.articles, c.delivered, c.read_user, c.read_rate, c.lift, c.share_user,
             c.share_rate, c.favorite_user, c.comments, c.read_count, c.feedback, c.new_followers, c.unfollowed]
            for c in m.categories], percent_columns=(6, 9))
    _sheet(book, "推送", ["推送时间", "状态", "栏目", "文章篇数", "送达人数", "阅读人数", "阅读次数", "阅读率",
                        "分享人数", "收藏人数", "评论数", "反馈条数", "推送后两天新增关注", "推送后两天取消关注",
                        "已有数据"],
           [[p.slot.replace(tzinfo=None), str(PushStatus(p.status).label), p.categories, p.articles, p.delivered,
             p.read_user, p.read_count, p.read_rate, p.share_user, p.favorite_user, p.comments, p.feedback,
             p.new_followers, p.unfollowed, "是" if p.has_data else "否"] for p in m.pushes],
           percent_columns=(8,), datetime_columns=(1,), widths={1: 19, 3: 24})
    _sheet(book, "文章", ["发送日期", "位置", "标题", "栏目", "送达人数", "阅读人数", "阅读次数", "阅读率",
                        "分享人数", "分享次数", "收藏人数", "已有数据"],
           [[a.sent_on, a.position + 1, a.title, a.category, a.delivered, a.read_user, a.read_count, a.read_rate,
             a.share_user, a.share_count, a.favorite_user, "是" if a.has_data else "否"] for a in m.articles],
           percent_columns=(8,), date_columns=(1,), widths={1: 15, 3: 40, 4: 20})
    _sheet(book, "每日", ["日期", "新增关注", "取消关注", "累计粉丝", "阅读人数", "分享人数", "留言数", "消息条数"],
           [[d.day, d.new_user, d.cancel_user, d.cumulate_user, d.read_user, d.share_user, d.comments, d.messages]
            for d in m.days], date_columns=(1,), widths={1: 15})
    _sheet(book, "粉丝问题", ["留言内容", "次数", "回复"], [[q.text, q.count, q.reply] for q in m.questions],
           widths={1: 60, 3: 40})
    _sheet(book, "反馈主题", ["核心问题", "条数"], [list(t) for t in m.themes], widths={1: 50})
    _sheet(book, "分公司增长", ["分公司", "新增关注", "取消关注", "净增"],
           [[b.branch or "（未归因）", b.new, b.lost, b.net] for b in m.branches], widths={1: 24})
    _sheet(book, "栏目建议", ["栏目", "权重", "近四周文章篇数", "阅读人数", "送达人数", "近半年文章篇数", "后验 α",
                          "后验 β", "理由"],
           [[w.name, w.weight, w.articles, w.readers, w.reached, w.history, w.alpha, w.beta, w.reason]
            for w in content.weights], widths={1: 20, 9: 70})
    _sheet(book, "时段建议", ["时段", "建议栏目", "理由"],
           [[s.at.replace(tzinfo=None), s.category, s.reason] for s in content.slot_plan], datetime_columns=(1,),
           widths={1: 19, 2: 20, 3: 80})
    _sheet(book, "数据说明", ["说明"], [[gap] for gap in m.gaps] or [["本期数据完整。"]], widths={1: 100})
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
