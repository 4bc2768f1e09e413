"""The suggested action for a core issue, in words the director can act on (rules, not a model)."""

from __future__ import annotations

from collections.abc import Sequence

#: A question asked this often deserves an article of its own, not only replies.
ARTICLE_WORTHY = 5


def suggested_action(*, title: str, keywords: Sequence[str], tone: float, questions: int, unanswered: int) -> str:
    """One or two sentences: follow up complaints, turn frequent questions into content, answer what is open.

    How to answer the open questions (where, and into the knowledge base) is said once, in the
    document's 建议措施: under each issue only its count, and only when nothing else is advised —
    the director read the same sentence under every issue. The document calls this again with
    the open questions counted when it is made (replies go on after the analysis)."""
    parts = []
    if tone <= -0.3:
        parts.append("负面反馈较集中，建议由负责人当天跟进回复并说明处理办法。")
    if questions >= ARTICLE_WORTHY:
        topic = "、".join(keywords[:3]) or title
        parts.append(f"同类提问 {questions} 条，建议围绕“{topic}”安排一篇答疑文章或设置关键词自动回复。")
    if unanswered and not parts:
        parts.append(f"回复其中未回复的 {unanswered} 条提问。")
    if tone >= 0.5 and not parts:
        parts.append("读者反响积极，可精选优质留言，并在后续选题中延续同类内容。")
    return "".join(parts) or "持续关注，暂无需专门处理。"
