"""«推送反馈核心问题» as files: DOCX and PDF, the Chinese font embedded in both (``wxops.core.documents``)."""

from __future__ import annotations

from wxops.core.documents import pdf, word

from .report import Report


def write_pdf(report: Report) -> bytes:
    return pdf.render_pdf("interaction/feedback/report.html", {"report": report})


def _quote(document, text: str) -> None:
    """A follower's words set off by a rule on the left, as in the PDF: Word's Intense Quote drew them
    in blue italics (slanted Chinese) between two rules, and let a page break split an issue's quotes."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Cm(0.5)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.paragraph_format.keep_with_next = True  # the suggestion stays on the quotes' page
    borders, left = OxmlElement("w:pBdr"), OxmlElement("w:left")
    for name, value in (("val", "single"), ("sz", "18"), ("space", "6"), ("color", "99AABB")):
        left.set(qn(f"w:{name}"), value)
    borders.append(left)
    paragraph._p.get_or_add_pPr().append(borders)
    run = paragraph.add_run(text)
    run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)


def write_docx(report: Report) -> bytes:
    document = word.new_document()
    document.add_heading(report.title, level=0)
    document.add_paragraph(f"{report.account} · 呈 {report.director} · 生成于 {report.made_at}")
    document.add_heading("一、推送概况", level=1)
    facts = word.table(document, None, [("推送", report.push), ("发送时间", report.sent_at),
                                        ("反馈收集时段", report.window + "（24 小时）"), ("触达", report.reach),
                                        ("收到反馈", f"留言 {report.comments} 条，消息 {report.messages} 条"),
                                        ("未回复提问", f"{report.unanswered_total} 条")],
                       widths_cm=(3.2, 13.4))  # half and half broke the collection time over two lines
    for row in facts.rows:
        for run in row.cells[0].paragraphs[0].runs:
            run.font.bold = True
    document.add_heading("二、核心问题", level=1)
    for issue in report.issues:
        document.add_heading(f"{issue.rank}. {issue.title}", level=2)
        document.add_paragraph(issue.facts).paragraph_format.keep_with_next = True
        for quote in issue.quotes:
            _quote(document, f"“{quote}”")
        document.add_paragraph(f"建议：{issue.suggestion}")
    if not report.issues:
        document.add_paragraph("没有至少两条相似反馈形成的核心问题。")
    if report.other_feedback:
        document.add_paragraph(f"另有 {report.other_feedback} 条零散反馈未归入核心问题。")
    document.add_heading("三、未回复的提问", level=1)
    if report.open_questions:
        more = (f"，仅列出前 {len(report.open_questions)} 个（共 {report.open_question_kinds} 个）"
                if report.open_question_kinds > len(report.open_questions) else "")
        document.add_paragraph(f"共 {report.unanswered_total} 条未回复提问；同一问题的不同说法合并计数{more}。")
    for question in report.open_questions:
        document.add_paragraph(question, style="List Bullet")
    if not report.open_questions:
        document.add_paragraph("所有提问均已回复。")
    document.add_heading("四、建议措施", level=1)
    for action in report.actions:
        document.add_paragraph(action, style="List Number")
    return word.docx_bytes(document)
