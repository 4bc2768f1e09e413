"""The figures of a period: per article, push, category and day, WeChat's statistics joined
with wxops's own data (pushes, articles, categories, messages, feedback, branches).

    from wxops.analytics.metrics import period_metrics
    figures = period_metrics(account, date(2026, 3, 2), date(2026, 3, 15))
    figures.categories[0].read_rate, figures.gaps

Everything is aggregated in the database (a year holds a million messages); what is
missing — a day WeChat has not published, a push without figures yet, a push not sent —
is listed in ``gaps`` in words (Chinese, as the report is), never raised.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate

from wxops.accounts.models import Account
from wxops.accounts.times import shown_day, shown_month_day
from wxops.analytics import joined_data
from wxops.analytics.datacube_sync import ready_until
from wxops.analytics.models import ArticleTotal, FollowerDay, ReadingDay, SyncedDay, SyncPart, SyncStatus
from wxops.editorial.models import Push, PushArticle, PushStatus

UNCATEGORISED = "未分类"
#: New followers and unfollows "after a push" are counted on its day and the next.
AFTER_PUSH_DAYS = 2


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ArticleLine:
    push_id: int | None
    sent_on: dt.date
    position: int
    title: str
    category: str
    delivered: int
    read_user: int
    read_count: int
    share_user: int
    share_count: int
    favorite_user: int
    has_data: bool

    @property
    def read_rate(self) -> float | None:
        return rate(self.read_user, self.delivered)


@dataclass(frozen=True)
class PushLine:
    push_id: int
    slot: dt.datetime
    status: str
    categories: str
    articles: int
    delivered: int
    read_user: int
    share_user: int
    favorite_user: int
    comments: int
    feedback: int
    new_followers: int
    unfollowed: int
    has_data: bool
    read_count: int = 0

    @property
    def read_rate(self) -> float | None:
        return rate(self.read_user, self.delivered)


@dataclass(frozen=True)
class CategoryLine:
    category: str
    pushes: int
    articles: int
    delivered: int
    read_user: int
    share_user: int
    favorite_user: int
    comments: int
    lift: float | None  # the category's read rate ÷ the period's
    read_count: int = 0
    feedback: int = 0  # items in the 24-hour feedback windows of the pushes carrying it
    new_followers: int = 0  # on the days of those pushes and the next (AFTER_PUSH_DAYS)
    unfollowed: int = 0

    @property
    def read_rate(self) -> float | None:
        return rate(self.read_user, self.delivered)

    @property
    def share_rate(self) -> float | None:
        return rate(self.share_user, self.read_user)


@dataclass(frozen=True)
class DayLine:
    day: dt.date
    new_user: int | None
    cancel_user: int | None
    cumulate_user: int | None
    read_user: int | None
    share_user: int | None
    comments: int | None
    messages: int


@dataclass(frozen=True)
class Metrics:
    account: str
    start: dt.date
    end: dt.date
    days: list[DayLine]
    pushes: list[PushLine]
    articles: list[ArticleLine]
    categories: list[CategoryLine]
    questions: list[joined_data.Question]
    themes: list[tuple[str, int]]
    branches: list[joined_data.BranchGrowth]
    messages: int
    gaps: list[str] = field(default_factory=list)

    @property
    def sent_pushes(self) -> list[PushLine]:
        return [p for p in self.pushes if p.status == PushStatus.SENT]

    @property
    def delivered(self) -> int:
        return sum(a.delivered for a in self.articles if a.has_data)

    @property
    def read_user(self) -> int:
        return sum(a.read_user for a in self.articles if a.has_data)

    @property
    def read_rate(self) -> float | None:
        return rate(self.read_user, self.delivered)

    @property
    def new_followers(self) -> int:
        return sum(d.new_user or 0 for d in self.days)

    @property
    def unfollowed(self) -> int:
        return sum(d.cancel_user or 0 for d in self.days)

    @property
    def followers_end(self) -> int | None:
        known = [d.cumulate_user for d in self.days if d.cumulate_user is not None]
        return known[-1] if known else None

    @property
    def followers_start(self) -> int | None:
        first = next((d for d in self.days if d.cumulate_user is not None), None)
        return None if first is None else first.cumulate_user - (first.new_user or 0) + (first.cancel_user or 0)


def bounds(account: Account, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = ZoneInfo(account.time_zone)
    return (dt.datetime.combine(start, dt.time(), zone),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone))


def _pushes(account: Account, since: dt.datetime, until: dt.datetime) -> list[Push]:
    return list(Push.objects.filter(account=account, slot_at__gte=since, slot_at__lt=until)
                .exclude(status=PushStatus.CANCELLED).select_related("category", "suggested_category")
                .order_by("slot_at"))


def article_lines(account: Account, start: dt.date, end: dt.date) -> list[ArticleLine]:
    """Only the articles sent in ``start..end`` with their figures (what the planner's weights need)."""
    since, until = bounds(account, start, end)
    return _article_lines(account, start, end, _pushes(account, since, until), [])


def period_metrics(account: Account, start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> Metrics:
    """Every figure of ``start..end`` (account days, inclusive) for the report and the dashboard."""
    since, until = bounds(account, start, end)
    gaps: list[str] = []
    pushes = _pushes(account, since, until)
    articles = _article_lines(account, start, end, pushes, gaps)
    days = _day_lines(account, start, end, since, until)
    comments = joined_data.comment_counts(account, since, until)
    feedback = joined_data.feedback_counts(account, [p.pk for p in pushes])
    push_lines = _push_lines(account, pushes, articles, days, comments, feedback)
    categories = _category_lines(push_lines, articles)
    _gap_words(account, start, end, now, push_lines, gaps)
    themes = joined_data.feedback_themes(account, since, until)
    branches = joined_data.growth_by_branch(account, since, until)
    return Metrics(account=account.name, start=start, end=end, days=days, pushes=push_lines, articles=articles,
                   categories=categories, questions=joined_data.asked_questions(account, since, until),
                   themes=themes, branches=branches, messages=sum(d.messages for d in days), gaps=gaps)


def _article_lines(account, start, end, pushes, gaps) -> list[ArticleLine]:
    totals = list(ArticleTotal.objects.filter(account=account, sent_on__gte=start, sent_on__lte=end))
    by_id = {(t.msg_data_id, t.index): t for t in totals}
    by_title = {(t.sent_on, t.title): t for t in totals}
    sent = [p for p in pushes if p.status == PushStatus.SENT]
    message_ids = joined_data.sent_message_ids([p.pk for p in sent])
    items = defaultdict(list)
    for item in (PushArticle.objects.filter(push__in=sent).select_related("article", "article__category")
                 .order_by("push_id", "position")):
        items[item.push_id].append(item)
    used, lines = set(), []
    for push in sent:
        day = push.local_slot.date()
        for item in items[push.pk]:
            total = by_id.get((message_ids.get(push.pk), item.position)) or by_title.get((day, item.article.title))
            category = item.article.category.name if item.article.category else (
                push.effective_category.name if push.effective_category else UNCATEGORISED)
            lines.append(_line(push.pk, day, item.position, item.article.title, category, total, push))
            if total is not None:
                used.add(total.pk)
    for total in totals:  # sent outside wxops (or before it): shown, but without a category
        if total.pk not in used and total.notified:
            lines.append(_line(None, total.sent_on, total.index, total.title, UNCATEGORISED, total, None))
    return lines


def _line(push_id, day, position, title, category, total, push) -> ArticleLine:
    if total is None:
        delivered = (push.delivery_sent or 0) if push else 0
        return ArticleLine(push_id, day, position, title, category, delivered, 0, 0, 0, 0, 0, False)
    delivered = total.target_user or ((push.delivery_sent or 0) if push else 0)
    return ArticleLine(push_id, day, position, title, category, delivered, total.read_user, total.read_count,
                       total.share_user, total.share_count, total.favorite_user, True)


def _day_lines(account, start, end, since, until) -> list[DayLine]:
    followers = {f.day: f for f in FollowerDay.objects.filter(account=account, day__gte=start, day__lte=end)}
    reading = {r.day: r for r in ReadingDay.objects.filter(account=account, day__gte=start, day__lte=end)}
    zone = ZoneInfo(account.time_zone)
    messages = dict(
        joined_data.InboundMessage.objects.filter(account=account, received_at__gte=since, received_at__lt=until,
                                                  kind__in=joined_data.MESSAGE_KINDS)
        .annotate(local_day=TruncDate("received_at", tzinfo=zone)).values("local_day")
        .annotate(n=Count("id")).values_list("local_day", "n"))
    lines = []
    for n in range((end - start).days + 1):
        day = start + dt.timedelta(days=n)
        f, r = followers.get(day), reading.get(day)
        lines.append(DayLine(day, f and f.new_user, f and f.cancel_user, f and f.cumulate_user,
                             r and r.read_user, r and r.share_user, r and r.comment_count, messages.get(day, 0)))
    return lines


def _push_lines(account, pushes, articles, days, comments, feedback) -> list[PushLine]:
    by_push = defaultdict(list)
    for line in articles:
        by_push[line.push_id].append(line)
    followers = {d.day: d for d in days}
    extra = {f.day: f for f in FollowerDay.objects.filter(
        account=account, day__in=[p.local_slot.date() + dt.timedelta(days=k) for p in pushes
                                  for k in range(AFTER_PUSH_DAYS)])}
    result = []
    for push in pushes:
        lines = by_push.get(push.pk, [])
        day = push.local_slot.date()
        after = [followers.get(day + dt.timedelta(days=k)) or extra.get(day + dt.timedelta(days=k))
                 for k in range(AFTER_PUSH_DAYS)]
        names = sorted({a.category for a in lines}) or (
            [push.effective_category.name] if push.effective_category else [UNCATEGORISED])
        result.append(PushLine(
            push.pk, push.local_slot, push.status, "、".join(names), len(lines),
            max((a.delivered for a in lines), default=push.delivery_sent or 0),
            sum(a.read_user for a in lines), sum(a.share_user for a in lines), sum(a.favorite_user for a in lines),
            comments.get(push.pk, 0), feedback.get(push.pk, 0),
            sum(getattr(a, "new_user", 0) or 0 for a in after), sum(getattr(a, "cancel_user", 0) or 0 for a in after),
            any(a.has_data for a in lines), read_count=sum(a.read_count for a in lines)))
    return result


def _category_lines(pushes, articles) -> list[CategoryLine]:
    """Per category: its articles' figures, and what followed the pushes carrying it (a push with
    articles of two categories counts for both)."""
    grouped = defaultdict(list)
    for line in articles:
        if line.has_data:
            grouped[line.category].append(line)
    carried = defaultdict(list)
    for push in pushes:
        for name in push.categories.split("、"):
            carried[name].append(push)
    overall = rate(sum(a.read_user for a in articles if a.has_data),
                   sum(a.delivered for a in articles if a.has_data))
    lines = []
    for name, group in grouped.items():
        delivered, reads = sum(a.delivered for a in group), sum(a.read_user for a in group)
        own, its = rate(reads, delivered), carried[name]
        lines.append(CategoryLine(
            name, len(its), len(group), delivered, reads, sum(a.share_user for a in group),
            sum(a.favorite_user for a in group), sum(p.comments or 0 for p in its),
            own / overall if own is not None and overall else None, read_count=sum(a.read_count for a in group),
            feedback=sum(p.feedback or 0 for p in its),
            new_followers=sum(p.new_followers for p in its), unfollowed=sum(p.unfollowed for p in its)))
    return sorted(lines, key=lambda c: (-(c.read_rate or 0), c.category))


def _gap_words(account, start, end, now, pushes, gaps) -> None:
    last = ready_until(account, now)
    if start > last:
        gaps.append(f"本期（{start} 至 {end}）的微信统计尚未发布：微信在次日 08:00 后才提供前一天的数据。")
    elif end > last:
        gaps.append(f"{last + dt.timedelta(days=1)} 至 {end} 的微信统计尚未发布（次日 08:00 后提供），下次同步时补齐。")
    missing = (SyncedDay.objects.filter(account=account, day__gte=start, day__lte=min(end, last))
               .exclude(status=SyncStatus.DONE).exclude(status=SyncStatus.PROVISIONAL)
               .values("part").annotate(first=Min("day"), last=Max("day"), n=Count("id")))
    synced = dict(SyncedDay.objects.filter(account=account, day__gte=start, day__lte=min(end, last))
                  .values("part").annotate(n=Count("id")).values_list("part", "n"))
    span_days = max(0, (min(end, last) - start).days + 1)
    for row in missing:
        reason = (SyncedDay.objects.filter(account=account, part=row["part"], day=row["last"])
                  .values_list("last_error", flat=True).first() or "")
        gaps.append(f"{SyncPart(row['part']).label}：{row['n']} 天的数据缺失（{_day(row['first'])} 至 {_day(row['last'])}；"
                    f"{reason}），下次同步时补齐。")
    for part in SyncPart.values:
        unsynced = span_days - synced.get(part, 0)
        if span_days and unsynced > 0:
            gaps.append(f"{SyncPart(part).label}：{unsynced} 天尚未同步，下次同步时补齐。")
    if not pushes:
        gaps.append("本期没有推送：没有可排名的文章和栏目。")
    for push in pushes:
        if push.status == PushStatus.SENT and not push.has_data:
            gaps.append(f"{shown_month_day(push.slot)} 的推送尚无阅读数据（微信次日 08:00 后发布，下次同步时补齐）。")
        elif push.status in (PushStatus.HELD, PushStatus.FAILED):
            gaps.append(f"{shown_month_day(push.slot)} 的推送未发出（{PushStatus(push.status).label}）。")


def _day(day) -> str:
    """A day of a gap as people read it (2026年3月9日); the database may answer a date or its ISO text."""
    return shown_day(dt.date.fromisoformat(day) if isinstance(day, str) else day)


def totals_by_category(account: Account, start: dt.date, end: dt.date) -> dict[str, tuple[int, int]]:
    """category name → (followers reached, readers) of the articles sent in the period; for the planner's weights."""
    result: dict[str, tuple[int, int]] = {}
    for line in period_metrics(account, start, end).categories:
        result[line.category] = (line.delivered, line.read_user)
    return result


__all__ = ["ArticleLine", "CategoryLine", "DayLine", "Metrics", "PushLine", "article_lines", "period_metrics", "rate"]
