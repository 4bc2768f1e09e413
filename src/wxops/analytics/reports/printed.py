"""The readable report as PDF (``wxops.core.documents.pdf``: the CJK font embedded) and its template context."""

from __future__ import annotations

import base64

from wxops.analytics.reports.charts import Chart
from wxops.analytics.reports.content import ReportContent, branch_note, feedback_sentence, percent
from wxops.core.documents import pdf
from wxops.core.documents.fonts import FONT_FAMILY


def template_context(content: ReportContent, charts: list[Chart], made_at: str) -> dict:
    """What the printed report (and the dashboard) show, as display values."""
    m = content.metrics
    headline = content.headline
    return {
        "c": content, "font": FONT_FAMILY, "made_at": made_at,
        "headline_rows": [headline[i:i + 2] for i in range(0, len(headline), 2)],
        "net": f"{m.new_followers - m.unfollowed:+d}",
        "feedback_sentence": feedback_sentence(content), "branch_note": branch_note(content),
        "categories": [{"category": c.category, "pushes": c.pushes, "articles": c.articles, "delivered": c.delivered,
                        "read_user": c.read_user, "rate": percent(c.read_rate),
                        "lift": "—" if c.lift is None else f"{c.lift:.1f} 倍", "share_user": c.share_user,
                        "favorite_user": c.favorite_user, "read_count": c.read_count, "feedback": c.feedback,
                        "new_followers": c.new_followers, "unfollowed": c.unfollowed} for c in m.categories],
        "articles": [{"title": a.title, "category": a.category, "sent_on": a.sent_on, "delivered": a.delivered,
                      "read_user": a.read_user, "rate": percent(a.read_rate), "share_user": a.share_user}
                     for a in content.top_articles],
        "charts": {chart.key: _data_uri(chart) for chart in charts},
    }


def _data_uri(chart: Chart) -> str:
    kind = "image/svg+xml" if chart.fmt == "svg" else "image/png"
    return f"data:{kind};base64,{base64.b64encode(chart.data).decode('ascii')}"


def report_pdf(content: ReportContent, charts: list[Chart], made_at: str) -> bytes:
    return pdf.render_pdf("analytics/report_print.html", template_context(content, charts, made_at))
