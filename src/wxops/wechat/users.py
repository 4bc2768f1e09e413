"""Followers: ``user/info`` and ``user/get``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .area import Area

__all__ = ["FollowerPage", "UserInfo", "UsersAPI"]


@dataclass(frozen=True)
class UserInfo:
    """``user/info``. ``subscribed`` is False for someone who unfollowed (then most fields are empty).

    ``subscribe_scene`` (e.g. ``ADD_SCENE_QR_CODE``) with ``qr_scene_str`` back-fills attribution.
    """

    openid: str
    subscribed: bool
    subscribe_time: int = 0
    unionid: str = ""
    language: str = ""
    remark: str = ""
    tagid_list: tuple[int, ...] = ()
    subscribe_scene: str = ""
    qr_scene: int = 0
    qr_scene_str: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class FollowerPage:
    """``user/get``: up to 10,000 openids; pass ``next_openid`` to get the next page."""

    total: int
    openids: tuple[str, ...]
    next_openid: str


def user_info_from_json(payload: Mapping[str, Any]) -> UserInfo:
    return UserInfo(
        openid=str(payload.get("openid", "")),
        subscribed=int(payload.get("subscribe", 0) or 0) == 1,
        subscribe_time=int(payload.get("subscribe_time", 0) or 0),
        unionid=str(payload.get("unionid", "") or "").strip(),
        language=str(payload.get("language", "") or ""),
        remark=str(payload.get("remark", "") or ""),
        tagid_list=tuple(int(t) for t in payload.get("tagid_list") or ()),
        subscribe_scene=str(payload.get("subscribe_scene", "") or ""),
        qr_scene=int(payload.get("qr_scene", 0) or 0),
        qr_scene_str=str(payload.get("qr_scene_str", "") or ""),
        raw={k: v for k, v in payload.items() if k not in ("errcode", "errmsg")},
    )


class UsersAPI(Area):
    """``client.users``."""

    def info(self, openid: str, lang: str = "zh_CN") -> UserInfo:
        """GET user/info."""
        return user_info_from_json(self._get("/cgi-bin/user/info", {"openid": openid, "lang": lang}))

    def get(self, next_openid: str = "") -> FollowerPage:
        """GET user/get: one page of follower openids."""
        params = {"next_openid": next_openid} if next_openid else None
        payload = self._get("/cgi-bin/user/get", params)
        data = payload.get("data") or {}
        return FollowerPage(
            total=int(payload.get("total", 0) or 0),
            openids=tuple(str(o) for o in data.get("openid") or ()),
            next_openid=str(payload.get("next_openid", "") or ""),
        )

    def iter_openids(self) -> Iterator[str]:
        """Every follower's openid, page after page."""
        next_openid = ""
        while True:
            page = self.get(next_openid)
            yield from page.openids
            if not page.openids or not page.next_openid or page.next_openid == next_openid:
                return
            next_openid = page.next_openid
