"""The readable report as DOCX (python-docx): the same sections and charts as the PDF, for
people who edit it before passing it on; the CJK font is embedded (``wxops.core.documents.word``)."""

from __future__ import annotations

from wxops.analytics.reports.charts import Chart
from wxops.analytics.reports.content import ReportContent, branch_note, feedback_sentence, percent
from wxops.core.documents import word

TABLE_STYLE = "Light Grid Accent 1"


def _table(document, headers: list[str], rows: list[list], widths_cm=None) -> None:
    word.table(document, headers, rows, style=TABLE_STYLE, widths_cm=widths_cm)


def _chart(document, charts: dict[str, Chart], key: str) -> None:
    chart = charts.get(key)
    if chart is not None and chart.fmt == "png":
        word.picture(document, chart.data, width_cm=16)


def report_docx(content: ReportContent, charts: list[Chart], made_at: str) -> bytes:
    m = content.metrics
    by_key = {chart.key: chart for chart in charts}
    document = word.new_document()
    document.add_heading("运营情况分析", level=0)  # the account and period under it: in Word's title they took two lines
    document.add_paragraph(f"{content.account} · {content.period}")
    document.add_paragraph(f"生成时间：{made_at} · 阅读率 = 阅读人数 ÷ 送达人数（微信数据次日 08:00 后发布）")

    document.add_heading("一、概览", level=1)
    _table(document, ["项目", "数值"], [list(pair) for pair in content.headline])
    for gap in m.gaps:
        document.add_paragraph(gap, style="List Bullet")

    document.add_heading("二、客户关注的内容", level=1)
    if m.categories:
        _table(document, ["栏目", "推送", "文章", "送达", "阅读", "阅读率", "相对平均"],
               [[c.category, c.pushes, c.articles, c.delivered, c.read_user, percent(c.read_rate),
                 "—" if c.lift is None else f"{c.lift:.1f} 倍"] for c in m.categories])
    else:
        document.add_paragraph("本期没有带阅读数据的推送，无法排名栏目。")
    _chart(document, by_key, "categories")
    if content.top_articles:
        document.add_paragraph("阅读率最高的文章：")
        _table(document, ["标题", "栏目", "送达", "阅读", "阅读率"],
               [[a.title, a.category, a.delivered, a.read_user, percent(a.read_rate)] for a in content.top_articles],
               widths_cm=(7.2, 3.6, 2, 2, 1.8))

    document.add_heading("三、客户提出的问题", level=1)
    document.add_paragraph(feedback_sentence(content))
    if m.themes:
        _table(document, ["核心问题", "条数"], [list(t) for t in m.themes], widths_cm=(13.6, 3))
    if m.questions:
        document.add_paragraph("问得最多的问题（留言和消息）：")
        _table(document, ["问题", "次数", "回复"], [[q.text, q.count, q.reply or "（未回复）"] for q in m.questions],
               widths_cm=(9.6, 1.6, 5.4))
    else:
        document.add_paragraph("本期没有粉丝提问。")
    _chart(document, by_key, "reading")

    document.add_heading("四、粉丝增长", level=1)
    document.add_paragraph(f"新增关注 {m.new_followers} 人，取消关注 {m.unfollowed} 人，"
                           f"净增 {m.new_followers - m.unfollowed:+d} 人。")
    _chart(document, by_key, "followers")
    if m.branches:
        if branch_note(content):
            document.add_paragraph(branch_note(content))
        _table(document, ["分公司", "新增关注", "取消关注", "净增"],
               [[b.branch or "（未归因）", b.new, b.lost, b.net] for b in m.branches])

    document.add_heading("五、下两周的建议", level=1)
    for line in content.advice:
        document.add_paragraph(line, style="List Number")
    document.add_paragraph("栏目权重（规划会按权重与阅读率抽样安排，编辑可在日历中改选）：")
    _table(document, ["栏目", "权重", "理由"], [[w.name, w.weight, w.reason] for w in content.weights],
           widths_cm=(3.6, 1.4, 11.6))
    if content.slot_plan:
        document.add_paragraph("下两周各推送时段的建议栏目：")
        _table(document, ["时段", "建议栏目"], [[s.label, s.category] for s in content.slot_plan], widths_cm=(6, 10.6))
    return word.docx_bytes(document)
