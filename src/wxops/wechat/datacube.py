"""Statistics (数据统计): ``datacube/*`` user and article analytics.

Every call takes ``begin`` and ``end`` dates (inclusive; ``end`` at most yesterday, data
for a day is ready after 08:00 Beijing time); a span longer than the API allows gives
:class:`~wxops.wechat.errors.DateRangeError` (61501).

WeChat stopped maintaining getarticlesummary, getarticletotal, getuserread and
getusershare in 2025 and documents replacements: getarticleread, getarticleshare,
getbizsummary and getarticletotaldetail. Both generations are here; the new ones return
rows whose known fields are typed and whose full JSON is kept in ``raw``, plus the
``is_delay`` flag (the day's data is not final yet).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .area import Area
from .errors import ClientUsageError

__all__ = [
    "ArticleDailyRead",
    "ArticleSummaryRow",
    "ArticleTotal",
    "ArticleTotalDetail",
    "BizSummaryRow",
    "DatacubeAPI",
    "DatacubeResult",
    "UserCumulateRow",
    "UserReadRow",
    "UserShareRow",
    "UserSummaryRow",
]

DateLike = dt.date | str


@dataclass(frozen=True)
class UserSummaryRow:
    """getusersummary: followers gained/lost per day and source (``user_source``)."""

    ref_date: str
    user_source: int = 0
    new_user: int = 0
    cancel_user: int = 0


@dataclass(frozen=True)
class UserCumulateRow:
    """getusercumulate: total followers at the end of ``ref_date``."""

    ref_date: str
    cumulate_user: int = 0


@dataclass(frozen=True)
class ArticleSummaryRow:
    """getarticlesummary (deprecated 2025): one article's numbers for one day; ``msgid`` = msg_data_id_index."""

    ref_date: str
    msgid: str = ""
    title: str = ""
    int_page_read_user: int = 0
    int_page_read_count: int = 0
    ori_page_read_user: int = 0
    ori_page_read_count: int = 0
    share_user: int = 0
    share_count: int = 0
    add_to_fav_user: int = 0
    add_to_fav_count: int = 0


@dataclass(frozen=True)
class ArticleTotalDetail:
    stat_date: str
    target_user: int = 0
    int_page_read_user: int = 0
    int_page_read_count: int = 0
    ori_page_read_user: int = 0
    ori_page_read_count: int = 0
    share_user: int = 0
    share_count: int = 0
    add_to_fav_user: int = 0
    add_to_fav_count: int = 0


@dataclass(frozen=True)
class ArticleTotal:
    """getarticletotal (deprecated 2025): cumulative numbers of an article sent on ``ref_date``."""

    ref_date: str
    msgid: str = ""
    title: str = ""
    details: tuple[ArticleTotalDetail, ...] = ()


@dataclass(frozen=True)
class UserReadRow:
    """getuserread (deprecated 2025): account-wide reads per day."""

    ref_date: str
    user_source: int = 0
    int_page_read_user: int = 0
    int_page_read_count: int = 0
    ori_page_read_user: int = 0
    ori_page_read_count: int = 0
    share_user: int = 0
    share_count: int = 0
    add_to_fav_user: int = 0
    add_to_fav_count: int = 0


@dataclass(frozen=True)
class UserShareRow:
    """getusershare (deprecated 2025): shares per day and scene."""

    ref_date: str
    share_scene: int = 0
    share_count: int = 0
    share_user: int = 0


@dataclass(frozen=True)
class BizSummaryRow:
    """getbizsummary (2025): account totals of published content per day."""

    ref_date: str
    read_user: int = 0
    share_user: int = 0
    zaikan_user: int = 0
    like_user: int = 0
    comment_count: int = 0
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class ArticleDailyRead:
    """getarticleread / getarticleshare / getarticletotaldetail (2025): per-article rows."""

    ref_date: str
    msgid: str = ""
    read_user: int = 0
    share_user: int = 0
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


T = TypeVar("T")


@dataclass(frozen=True)
class DatacubeResult(Generic[T]):  # noqa: UP046 - Python 3.11 has no PEP 695
    """Rows of a datacube answer; ``is_delay`` means WeChat has not finalised the data yet."""

    rows: tuple[T, ...]
    is_delay: bool = False


def _coerce(value: Any, kind: Any) -> Any:
    if kind is int or kind == "int":
        try:
            return int(value)
        except (TypeError, ValueError):
            return 0
    return "" if value is None else str(value)


def _row(cls: type[T], item: Mapping[str, Any], **overrides: Any) -> T:
    """Build ``cls`` from the fields of ``item`` it knows; unknown fields are ignored."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in overrides:
            kwargs[f.name] = overrides[f.name]
        elif f.name == "raw":
            kwargs["raw"] = dict(item)
        elif f.name in item and f.name != "details":
            kwargs[f.name] = _coerce(item[f.name], f.type)
    return cls(**kwargs)


def _iso(value: DateLike) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ClientUsageError(f"dates must be YYYY-MM-DD, not {value!r}") from None


class DatacubeAPI(Area):
    """``client.datacube``."""

    def _query(self, name: str, begin: DateLike, end: DateLike) -> Mapping[str, Any]:
        begin_s, end_s = _iso(begin), _iso(end)
        if begin_s > end_s:
            raise ClientUsageError(f"begin date {begin_s} is after end date {end_s}")
        return self._post(f"/datacube/{name}", {"begin_date": begin_s, "end_date": end_s}, idempotent=True)

    def _rows(self, name: str, cls: type[T], begin: DateLike, end: DateLike) -> DatacubeResult[T]:
        payload = self._query(name, begin, end)
        rows = tuple(_row(cls, item) for item in payload.get("list") or ())
        return DatacubeResult(rows=rows, is_delay=bool(payload.get("is_delay", False)))

    def user_summary(self, begin: DateLike, end: DateLike) -> DatacubeResult[UserSummaryRow]:
        """getusersummary (span ≤ 7 days)."""
        return self._rows("getusersummary", UserSummaryRow, begin, end)

    def user_cumulate(self, begin: DateLike, end: DateLike) -> DatacubeResult[UserCumulateRow]:
        """getusercumulate (span ≤ 7 days)."""
        return self._rows("getusercumulate", UserCumulateRow, begin, end)

    def article_summary(self, begin: DateLike, end: DateLike) -> DatacubeResult[ArticleSummaryRow]:
        """getarticlesummary (deprecated; span 1 day)."""
        return self._rows("getarticlesummary", ArticleSummaryRow, begin, end)

    def article_total(self, begin: DateLike, end: DateLike) -> DatacubeResult[ArticleTotal]:
        """getarticletotal (deprecated; span 1 day)."""
        payload = self._query("getarticletotal", begin, end)
        rows = tuple(
            _row(ArticleTotal, item, details=tuple(_row(ArticleTotalDetail, d) for d in item.get("details") or ()))
            for item in payload.get("list") or ()
        )
        return DatacubeResult(rows=rows, is_delay=bool(payload.get("is_delay", False)))

    def user_read(self, begin: DateLike, end: DateLike) -> DatacubeResult[UserReadRow]:
        """getuserread (deprecated; span ≤ 3 days)."""
        return self._rows("getuserread", UserReadRow, begin, end)

    def user_share(self, begin: DateLike, end: DateLike) -> DatacubeResult[UserShareRow]:
        """getusershare (deprecated; span ≤ 7 days)."""
        return self._rows("getusershare", UserShareRow, begin, end)

    def biz_summary(self, begin: DateLike, end: DateLike) -> DatacubeResult[BizSummaryRow]:
        """getbizsummary (2025 replacement for getuserread)."""
        return self._rows("getbizsummary", BizSummaryRow, begin, end)

    def article_read(self, begin: DateLike, end: DateLike) -> DatacubeResult[ArticleDailyRead]:
        """getarticleread (2025 replacement for getarticlesummary)."""
        return self._new_article_rows("getarticleread", begin, end)

    def article_share(self, begin: DateLike, end: DateLike) -> DatacubeResult[ArticleDailyRead]:
        """getarticleshare (2025 replacement for getusershare)."""
        return self._new_article_rows("getarticleshare", begin, end)

    def article_total_detail(self, begin: DateLike, end: DateLike) -> DatacubeResult[ArticleDailyRead]:
        """getarticletotaldetail (2025 replacement for getarticletotal)."""
        return self._new_article_rows("getarticletotaldetail", begin, end)

    def _new_article_rows(self, name: str, begin: DateLike, end: DateLike) -> DatacubeResult[ArticleDailyRead]:
        payload = self._query(name, begin, end)
        rows = []
        for item in payload.get("list") or ():
            detail = item.get("detail") if isinstance(item.get("detail"), Mapping) else {}
            merged = {**detail, **{k: v for k, v in item.items() if k != "detail"}}
            rows.append(
                ArticleDailyRead(
                    ref_date=str(merged.get("ref_date", "")),
                    msgid=str(merged.get("msgid", "")),
                    read_user=_coerce(merged.get("read_user"), int),
                    share_user=_coerce(merged.get("share_user"), int),
                    raw=dict(item),
                )
            )
        return DatacubeResult(rows=tuple(rows), is_delay=bool(payload.get("is_delay", False)))
