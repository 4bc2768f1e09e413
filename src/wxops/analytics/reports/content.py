"""What the fortnightly report says, before it is drawn as XLSX, PDF or DOCX.

    content = build_content(account, date(2026, 3, 2), date(2026, 3, 15))
    content.headline, content.advice, content.slot_plan, content.metrics.gaps

Every section is a list of plain values (Chinese words, real numbers); the writers only lay
them out. Nothing here raises on missing data: the gaps are in ``metrics.gaps``, in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wxops.accounts.models import Account
from wxops.accounts.times import shown_day, shown_month_day
from wxops.analytics.metrics import ArticleLine, Metrics, period_metrics
from wxops.analytics.recommendations import APPLIES_DAYS, CategoryWeight, category_weights
from wxops.core.documents import chinese
from wxops.editorial import planner
from wxops.editorial.models import Push, PushStatus
from wxops.editorial.schedule import slots_between, zone_of

WEEKDAYS = "一二三四五六日"
TOP_ARTICLES = 10


@dataclass(frozen=True)
class SlotAdvice:
    """One coming slot and the category the planner suggests for it."""

    at: dt.datetime
    category: str
    reason: str

    @property
    def label(self) -> str:
        with chinese.language():
            return f"{shown_month_day(self.at)}（周{WEEKDAYS[self.at.weekday()]}）{self.at:%H:%M}"


@dataclass(frozen=True)
class ReportContent:
    account: str
    start: dt.date
    end: dt.date
    metrics: Metrics
    weights: list[CategoryWeight]
    slot_plan: list[SlotAdvice]
    advice: list[str]

    @property
    def title(self) -> str:
        with chinese.language():
            return f"{self.account} 运营情况分析（{self.period}）"

    @property
    def period(self) -> str:
        with chinese.language():
            return f"{shown_day(self.start)} 至 {shown_day(self.end)}"

    @property
    def top_articles(self) -> list[ArticleLine]:
        """Articles with figures, the best read first (read rate, then readers)."""
        ranked = [a for a in self.metrics.articles if a.has_data and a.delivered]
        return sorted(ranked, key=lambda a: (-(a.read_rate or 0), -a.read_user, a.title))[:TOP_ARTICLES]

    @property
    def headline(self) -> list[tuple[str, str]]:
        """(label, value) pairs of the period's main figures, as text."""
        m = self.metrics
        net = m.new_followers - m.unfollowed
        return [
            ("推送次数", str(len(m.sent_pushes))),
            ("文章篇数", str(sum(1 for a in m.articles if a.push_id is not None))),
            ("送达人数（合计）", str(m.delivered)),
            ("阅读人数（合计）", str(m.read_user)),
            ("平均阅读率", percent(m.read_rate)),
            ("新增关注", str(m.new_followers)),
            ("取消关注", str(m.unfollowed)),
            ("净增关注", f"{net:+d}"),
            ("期末粉丝数", "—" if m.followers_end is None else str(m.followers_end)),
            ("粉丝消息", str(m.messages)),
        ]

    def headline_numbers(self) -> dict:
        """The headline as numbers, kept on the report row."""
        m = self.metrics
        return {"pushes": len(m.sent_pushes), "delivered": m.delivered, "read_user": m.read_user,
                "read_rate": m.read_rate, "new_followers": m.new_followers, "unfollowed": m.unfollowed,
                "followers_end": m.followers_end, "messages": m.messages}


def feedback_sentence(content: ReportContent) -> str:
    """How much followers wrote, comments and messages apart: the questions below count both (the report
    said 粉丝留言 159 for the messages alone, above core issues of 256)."""
    comments = sum(p.comments for p in content.metrics.pushes)
    return f"本期文章留言 {comments} 条、粉丝消息 {content.metrics.messages} 条；下面的核心问题和提问包括两者。"


def branch_note(content: ReportContent) -> str:
    """Why the branches' table may not add up to the period's figures from WeChat, or "" when it does."""
    m = content.metrics
    if (sum(b.new for b in m.branches), sum(b.lost for b in m.branches)) == (m.new_followers, m.unfollowed):
        return ""
    return ("分公司按粉丝首次关注时扫的二维码归因，只计 wxops 收到关注事件的粉丝；此前已关注的粉丝取消关注时无从归因，"
            "所以下表合计与上面微信统计的人数不同。")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def build_content(account: Account, start: dt.date, end: dt.date, *, now: dt.datetime | None = None) -> ReportContent:
    """The report of ``start..end`` (account days, inclusive) and its advice for the two weeks after ``end``."""
    metrics = period_metrics(account, start, end, now=now)
    weights = category_weights(account, end, now=now)
    plan = slot_plan(account, end + dt.timedelta(days=1), end + dt.timedelta(days=APPLIES_DAYS))
    return ReportContent(account.name, start, end, metrics, weights, plan, advice_for(metrics, weights, plan))


def slot_plan(account: Account, start: dt.date, end: dt.date) -> list[SlotAdvice]:
    """The planner's category for each slot of ``start..end`` (reads the recommendations, writes nothing)."""
    slots, _skipped = slots_between(account, start, end)
    if not slots:
        return []
    zone = zone_of(account)
    first = slots[0].at
    past = list(Push.objects.filter(account=account, slot_at__lt=first).exclude(status=PushStatus.CANCELLED)
                .order_by("-slot_at")[:12])
    history = [planner.categories_of(p) for p in reversed(past)]
    result = []
    for slot in slots:
        suggestion = planner.suggest(account, history, slot.at.astimezone(zone).date())
        history.append([suggestion.category.pk] if suggestion.category else [])
        result.append(SlotAdvice(slot.at.astimezone(zone), suggestion.category.name if suggestion.category else "—",
                                 suggestion.reason))
    return result


def advice_for(metrics: Metrics, weights: list[CategoryWeight], plan: list[SlotAdvice]) -> list[str]:
    """Concrete recommendations for the next two weeks, in sentences."""
    advice = []
    known = [w for w in weights if w.articles]
    if known:
        best = known[0]
        advice.append(f"多推「{best.name}」：{best.reason.split('：', 1)[1]}")
        low = [w for w in known if w.weight < 0.8]
        for w in low[-2:]:
            advice.append(f"「{w.name}」阅读率偏低（为平均的 {w.weight:.1f} 倍）：换选题角度或标题再试，"
                          f"规划仍会安排它，避免读者流失兴趣。")
    untried = [w.name for w in weights if not w.articles]
    if untried:
        advice.append(f"近四周没有推送的栏目：{'、'.join(untried)}——安排至少一次，以了解读者兴趣。")
    if plan:
        mix: dict[str, int] = {}
        for slot in plan:
            mix[slot.category] = mix.get(slot.category, 0) + 1
        advice.append("下两周 " + str(len(plan)) + " 个推送时段的栏目配比："
                      + "，".join(f"{name} {count} 次" for name, count in sorted(mix.items(), key=lambda x: -x[1]))
                      + "（见“栏目建议”表，编辑可在日历中改选）。")
    for question in metrics.questions[:3]:
        advice.append(f"回应粉丝的问题「{question.text[:40]}」（本期 {question.count} 次）：可写成文章或设为自动回复。")
    if metrics.unfollowed and metrics.new_followers and metrics.unfollowed > metrics.new_followers / 2:
        advice.append(f"取消关注偏多（{metrics.unfollowed} 人，新增 {metrics.new_followers} 人）：检查推送后两天的取关。")
    if not advice:
        advice.append("本期没有足够的数据给出建议：保持周一、三、五 11:30 的轮换推送，下期再分析。")
    return advice
