"""The report's charts (matplotlib, Noto Sans CJK): read rate by category, followers by day,
reads and messages by day — PNG for the PDF and DOCX, SVG for the admin dashboard.

    charts = draw_charts(metrics, fmt="png")      # [Chart(key, title, data), ...]

A chart without data still draws its frame with «本期没有数据», so a reader sees the gap.
"""

from __future__ import annotations

import contextlib
import functools
import io
from dataclasses import dataclass

from wxops.accounts.times import shown_month_day
from wxops.analytics.metrics import Metrics
from wxops.core.documents import chinese
from wxops.core.documents.fonts import FONT_FAMILY, FontMissing, font_file

GREEN, RED, BLUE, GREY = "#07c160", "#f5222d", "#1677ff", "#8c8c8c"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    data: bytes  # PNG bytes, or SVG text encoded as UTF-8
    fmt: str

    @property
    def svg(self) -> str:
        return self.data.decode("utf-8") if self.fmt == "svg" else ""


@functools.cache
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    for bold in (False, True):
        with contextlib.suppress(FontMissing):  # the dashboard's charts still draw, in a fallback font
            font_manager.fontManager.addfont(font_file(bold=bold).path)
    pyplot.rcParams.update({"font.family": [FONT_FAMILY, "DejaVu Sans"], "axes.unicode_minus": False,
                            "svg.fonttype": "none", "figure.dpi": 100})
    return pyplot


def draw_charts(metrics: Metrics, *, fmt: str = "png") -> list[Chart]:
    """The three charts of a period's metrics, as ``fmt`` (png or svg), in Chinese (their days too)."""
    with chinese.language():
        return [_category_chart(metrics, fmt), _followers_chart(metrics, fmt), _reading_chart(metrics, fmt)]


def _save(figure, key: str, title: str, fmt: str) -> Chart:
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")
    plt.close(figure)
    return Chart(key, title, buffer.getvalue(), fmt)


def _empty(ax) -> None:
    ax.text(0.5, 0.5, "本期没有数据", ha="center", va="center", transform=ax.transAxes, color=GREY, fontsize=14)
    ax.set_xticks([])
    ax.set_yticks([])


def _category_chart(metrics: Metrics, fmt: str) -> Chart:
    title = "各栏目阅读率（阅读人数 ÷ 送达人数）"
    plt = _pyplot()
    lines = [c for c in metrics.categories if c.read_rate is not None]
    figure, ax = plt.subplots(figsize=(7.5, 0.5 + 0.55 * max(len(lines), 2)))
    ax.set_title(title, fontsize=12)
    if not lines:
        _empty(ax)
        return _save(figure, "categories", title, fmt)
    lines = list(reversed(lines))  # the best at the top
    rates = [c.read_rate * 100 for c in lines]
    overall = (metrics.read_rate or 0) * 100
    bars = ax.barh([c.category for c in lines], rates, color=[GREEN if r >= overall else BLUE for r in rates])
    ax.axvline(overall, color=GREY, linestyle="--", linewidth=1)
    for bar, line in zip(bars, lines, strict=True):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                f" {line.read_rate:.1%}（{line.read_user}/{line.delivered}）", va="center", fontsize=9)
    ax.set_xlabel(f"阅读率 %（虚线：本期平均 {overall:.1f}%）")
    ax.set_xlim(0, max(rates + [overall]) * 1.45 or 1)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(figure, "categories", title, fmt)


def _followers_chart(metrics: Metrics, fmt: str) -> Chart:
    title = "粉丝增长（每日新增、取消关注与累计）"
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(7.5, 3.4))
    ax.set_title(title, fontsize=12)
    known = [d for d in metrics.days if d.new_user is not None]
    if not known:
        _empty(ax)
        return _save(figure, "followers", title, fmt)
    labels = [shown_month_day(d.day) for d in known]
    positions = range(len(known))
    ax.bar(positions, [d.new_user for d in known], color=GREEN, label="新增关注")
    ax.bar(positions, [-(d.cancel_user or 0) for d in known], color=RED, label="取消关注")
    ax.axhline(0, color=GREY, linewidth=0.8)
    ax.set_ylabel("人/天")
    totals = [(i, d.cumulate_user) for i, d in enumerate(known) if d.cumulate_user is not None]
    handles, names = ax.get_legend_handles_labels()
    if totals:
        twin = ax.twinx()
        (line,) = twin.plot([i for i, _v in totals], [v for _i, v in totals], color=BLUE, marker="o", markersize=3,
                            label="累计粉丝")
        twin.set_ylabel("累计粉丝")
        handles, names = handles + [line], names + ["累计粉丝"]
    ax.legend(handles, names, loc="upper left", fontsize=8, frameon=False)
    _day_ticks(ax, labels)
    return _save(figure, "followers", title, fmt)


def _reading_chart(metrics: Metrics, fmt: str) -> Chart:
    title = "每日阅读人数与粉丝消息"
    plt = _pyplot()
    figure, ax = plt.subplots(figsize=(7.5, 3.2))
    ax.set_title(title, fontsize=12)
    if not metrics.days or (all(d.read_user is None for d in metrics.days) and not metrics.messages):
        _empty(ax)
        return _save(figure, "reading", title, fmt)
    labels = [shown_month_day(d.day) for d in metrics.days]
    positions = list(range(len(metrics.days)))
    ax.plot(positions, [d.read_user if d.read_user is not None else float("nan") for d in metrics.days],
            color=BLUE, marker="o", markersize=3, label="阅读人数")
    ax.set_ylabel("阅读人数")
    twin = ax.twinx()
    twin.bar(positions, [d.messages for d in metrics.days], color=GREEN, alpha=0.35, label="消息条数")
    twin.set_ylabel("消息条数")
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, ["阅读人数", "消息条数"], loc="upper left", fontsize=8, frameon=False)
    _day_ticks(ax, labels)
    return _save(figure, "reading", title, fmt)


def _day_ticks(ax, labels: list[str]) -> None:
    step = max(1, len(labels) // 10)
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels(labels[::step], rotation=45, fontsize=8)
    ax.spines[["top"]].set_visible(False)
