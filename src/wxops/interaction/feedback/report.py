"""What «推送反馈核心问题» says, as one frozen value the DOCX and PDF writers both render.

    report = build_report(window)        # after windows.analyse(window)
    write_docx(report), write_pdf(report)   # in .writers

The document is written in Chinese for the director (刘总监 in the plan), whatever the
admin's language: it is a deliverable, not a screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from wxops.core import clock
from wxops.interaction.models.feedback import CommentState, DirectorSetting, FeedbackSource, FeedbackWindow

from .clustering import core_text, is_question, wording
from .windows import is_answered

TITLE = "推送反馈核心问题"
MAX_OPEN_QUESTIONS = 30


@dataclass(frozen=True)
class IssueSection:
    rank: int
    title: str
    keywords: str
    volume: int
    tone: str
    quotes: tuple[str, ...]
    article: str
    questions: int
    unanswered: int
    suggestion: str


@dataclass(frozen=True)
class Report:
    title: str
    account: str
    director: str
    push: str
    sent_at: str
    window: str
    articles: tuple[str, ...]
    reach: str
    comments: int
    messages: int
    issues: tuple[IssueSection, ...]
    other_feedback: int
    open_questions: tuple[str, ...]
    unanswered_total: int
    open_question_kinds: int  # distinct questions among the unanswered (the same words counted once)
    actions: tuple[str, ...]
    made_at: str

    @property
    def file_stem(self) -> str:
        return f"{self.title}-{self.sent_at[:10]}"


def tone_label(tone: float) -> str:
    if tone <= -0.3:
        return "负面"
    if tone >= 0.5:
        return "正面"
    return "中性"


def _local(moment: dt.datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _distinct_with_counts(texts: list[str]) -> list[str]:
    """The same question in other words (greeting, sign-off, synonyms) once, with how often it was asked."""
    groups: dict[str, list[str]] = {}
    for text in texts:
        groups.setdefault(wording(text), []).append(text)
    ranked = sorted(groups.values(), key=lambda group: -len(group))
    return [(core_text(group[0]) or group[0]) + "？" + (f"（{len(group)} 次）" if len(group) > 1 else "")
            for group in ranked]


def director_of(account) -> DirectorSetting:
    """The account's director setting (刘总监 by default, no e-mail) — never None."""
    setting = DirectorSetting.objects.filter(account=account).first()
    return setting or DirectorSetting(account=account)


def build_report(window: FeedbackWindow) -> Report:
    """The document's content from the window's stored items and core issues."""
    push, account = window.push, window.account
    zone = ZoneInfo(account.time_zone)
    articles = tuple(item.article.title for item in push.items.select_related("article").order_by("position"))
    items = list(window.items.select_related("comment", "inbound", "article")
                 .exclude(comment__state=CommentState.DELETED))
    comments = sum(item.source == FeedbackSource.COMMENT for item in items)
    reached = window.reach if window.reach is not None else push.delivery_sent
    reach = (f"送达 {reached} 位粉丝" + (f"（目标 {push.delivery_total} 位）" if push.delivery_total else "")
             if reached is not None else "送达人数未知（微信尚未返回群发结果）")
    issues = tuple(IssueSection(
        rank=issue.rank, title=issue.title, keywords=issue.keywords, volume=issue.volume, tone=tone_label(issue.tone),
        quotes=tuple(issue.quotes), article=issue.article.title if issue.article else "（消息，未关联文章）",
        questions=issue.questions, unanswered=issue.unanswered, suggestion=issue.suggested_action)
        for issue in window.core_issues.select_related("article").order_by("rank"))
    unanswered = [item.text.strip() for item in items if is_question(item.text) and not is_answered(item)]
    open_questions = _distinct_with_counts(unanswered)
    in_issues = sum(issue.volume for issue in issues)
    actions = [f"{issue.rank}. {issue.title}：{issue.suggestion}" for issue in issues[:5]]
    if unanswered:
        actions.append(f"共 {len(unanswered)} 条提问尚未回复：请在推送反馈 → 留言、互动 → 收件箱中处理，"
                       "并把合适的答复存入问答知识库。")
    if not items:
        actions.append("本次推送 24 小时内没有收到留言或消息。")
    return Report(
        title=TITLE, account=account.name, director=director_of(account).director_name,
        push="、".join(articles) or str(push), sent_at=_local(window.opens_at, zone),
        window=f"{_local(window.opens_at, zone)} 至 {_local(window.closes_at, zone)}", articles=articles,
        reach=reach, comments=comments, messages=len(items) - comments, issues=issues,
        other_feedback=len(items) - in_issues, open_questions=tuple(open_questions[:MAX_OPEN_QUESTIONS]),
        unanswered_total=len(unanswered), open_question_kinds=len(open_questions), actions=tuple(actions), made_at=_local(clock.now(), zone))
