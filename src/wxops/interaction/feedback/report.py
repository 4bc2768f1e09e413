"""What «推送反馈核心问题» says, as one frozen value the DOCX and PDF writers both render.

    report = build_report(window)        # after windows.analyse(window)
    write_docx(report), write_pdf(report)   # in .writers

The document is written in Chinese for the director (刘总监 in the plan), whatever the
admin's language: it is a deliverable, not a screen.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from wxops.accounts.times import shown
from wxops.core import clock
from wxops.core.documents import chinese
from wxops.interaction.models.feedback import (
    CommentState,
    CoreIssue,
    DirectorSetting,
    FeedbackSource,
    FeedbackWindow,
)

from .clustering import as_question, is_question, question_of, wording
from .suggestions import ARTICLE_WORTHY, suggested_action
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

    @property
    def facts(self) -> str:
        """The line under the issue's title; praise asks nothing, so it has no 提问 0 条，未回复 0 条."""
        asked = f"提问 {self.questions} 条，未回复 {self.unanswered} 条" if self.questions else ""
        keywords = f"关键词：{self.keywords}" if self.keywords else ""
        return " · ".join(part for part in (f"{self.volume} 条反馈", f"倾向：{self.tone}", asked,
                                            f"来自：{self.article}", keywords) if part)


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
    sent_on: dt.date  # the account's day of the push, for the file name (ISO there)

    @property
    def file_stem(self) -> str:
        return f"{self.title}-{self.sent_on:%Y-%m-%d}"


def tone_label(tone: float) -> str:
    if tone <= -0.3:
        return "负面"
    if tone >= 0.5:
        return "正面"
    return "中性"


def _distinct_with_counts(texts: list[str]) -> list[str]:
    """The same question in other words (greeting, sign-off, synonyms) once, with how often it was asked."""
    groups: dict[str, list[str]] = {}
    for text in texts:
        groups.setdefault(wording(text), []).append(text)
    ranked = sorted(groups.values(), key=lambda group: -len(group))
    return [question_of(group[0]) + (f"（{len(group)} 次）" if len(group) > 1 else "")
            for group in ranked]


def _open_questions(unanswered: list, issues: dict[int, IssueSection], rank_of: dict[int, int]) -> list[str]:
    """The unanswered questions, each core issue's once with the count section 二 gives it (the director
    read 年假 37 in the issue and 27 + 10 here), then the rest merged by wording."""
    counts: dict[int, int] = {}
    rest = []
    for item in unanswered:
        rank = rank_of.get(item.core_issue_id)
        if rank in issues:
            counts[rank] = counts.get(rank, 0) + 1
        else:
            rest.append(item.text.strip())
    grouped = [(count, f"{as_question(issues[rank].title)}（{count} 次，见核心问题 {rank}）")
               for rank, count in counts.items()]
    grouped.sort(key=lambda pair: -pair[0])
    return [line for _count, line in grouped] + _distinct_with_counts(rest)


def _actions(issues: tuple[IssueSection, ...], unanswered: int, any_feedback: bool) -> list[str]:
    """What to do, once per kind of action across the issues (each issue's own advice is under it)."""
    actions = []
    if unanswered:
        actions.append(f"回复 {unanswered} 条未回复的提问：在 推送反馈 → 留言 和 互动 → 收件箱 中处理，"
                       "并把合适的答复存入问答知识库。")
    negative = [issue for issue in issues if issue.tone == "负面"]
    if negative:
        actions.append("当天跟进负面反馈，说明处理办法：" + "、".join(f"{i.title}（{i.volume} 条）" for i in negative) + "。")
    frequent = [issue for issue in issues if issue.questions >= ARTICLE_WORTHY]
    if frequent:
        actions.append("为问得多的问题安排答疑文章或设置关键词自动回复："
                       + "、".join(f"{i.title}（{i.questions} 条）" for i in frequent) + "。")
    praised = [issue for issue in issues if issue.tone == "正面"]
    if praised:
        actions.append(f"精选读者认可的留言（{sum(i.volume for i in praised)} 条），后续选题延续同类内容。")
    if not any_feedback:
        actions.append("本次推送 24 小时内没有收到留言或消息。")
    return actions or ["持续关注，暂无需专门处理。"]


def _section(issue: CoreIssue, unanswered: int) -> IssueSection:
    """A stored core issue as the document says it, its open questions counted as section 三 counts them."""
    keywords = tuple(issue.keywords.split("、")) if issue.keywords else ()
    return IssueSection(
        rank=issue.rank, title=issue.title, keywords=issue.keywords, volume=issue.volume, tone=tone_label(issue.tone),
        quotes=tuple(issue.quotes), article=issue.article.title if issue.article else "（消息，未关联文章）",
        questions=issue.questions, unanswered=unanswered,
        suggestion=suggested_action(title=issue.title, keywords=keywords, tone=issue.tone, questions=issue.questions,
                                    unanswered=unanswered))


def director_of(account) -> DirectorSetting:
    """The account's director setting (刘总监 by default, no e-mail) — never None."""
    setting = DirectorSetting.objects.filter(account=account).first()
    return setting or DirectorSetting(account=account)


def build_report(window: FeedbackWindow) -> Report:
    """The document's content from the window's stored items and core issues; its times in the
    account's zone and the desk's date style (2026年3月2日 11:30), in Chinese whatever the language."""
    with chinese.language():
        return _build_report(window)


def _build_report(window: FeedbackWindow) -> Report:
    push, account = window.push, window.account
    zone = ZoneInfo(account.time_zone)
    articles = tuple(item.article.title for item in push.items.select_related("article").order_by("position"))
    items = list(window.items.select_related("comment", "inbound", "article")
                 .exclude(comment__state=CommentState.DELETED))
    comments = sum(item.source == FeedbackSource.COMMENT for item in items)
    reached = window.reach if window.reach is not None else push.delivery_sent
    target = f"（目标 {push.delivery_total} 位）" if push.delivery_total and push.delivery_total != reached else ""
    reach = f"送达 {reached} 位粉丝{target}" if reached is not None else "送达人数未知（微信尚未返回群发结果）"
    unanswered = [item for item in items if is_question(item.text) and not is_answered(item)]
    open_in = Counter(item.core_issue_id for item in unanswered)  # now: replies go on after the analysis
    issues = tuple(_section(issue, open_in[issue.pk])
                   for issue in window.core_issues.select_related("article").order_by("rank"))
    open_questions = _open_questions(unanswered, {issue.rank: issue for issue in issues},
                                     dict(window.core_issues.values_list("pk", "rank")))
    in_issues = sum(issue.volume for issue in issues)
    actions = _actions(issues, len(unanswered), bool(items))
    return Report(
        title=TITLE, account=account.name, director=director_of(account).director_name,
        push="、".join(articles) or str(push), sent_at=shown(window.opens_at, account),
        window=f"{shown(window.opens_at, account)} 至 {shown(window.closes_at, account)}", articles=articles,
        reach=reach, comments=comments, messages=len(items) - comments, issues=issues,
        other_feedback=len(items) - in_issues, open_questions=tuple(open_questions[:MAX_OPEN_QUESTIONS]),
        unanswered_total=len(unanswered), open_question_kinds=len(open_questions), actions=tuple(actions),
        made_at=shown(clock.now(), account),
        sent_on=window.opens_at.astimezone(zone).date())
