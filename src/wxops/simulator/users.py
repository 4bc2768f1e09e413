"""Followers seen through the API: ``user/info``, ``user/get`` and user tags.

``user/info`` answers the post-2021 shape (no nickname or avatar) with ``subscribe_scene``,
``qr_scene`` and ``qr_scene_str``; ``user/get`` pages 10,000 openids at a time with
``next_openid``.
"""

from __future__ import annotations

import json

from . import followers
from .api import ApiCall, endpoint
from .errors import WeChatError, ok

PAGE = 10_000
MAX_TAGS = 100


@endpoint("/cgi-bin/user/info", methods=("GET",))
def info(call: ApiCall) -> dict:
    openid = call.request.query.get("openid", "")
    row = followers.get(call.sim, call.app.app_id, openid) if openid else None
    if row is None:
        raise WeChatError(40003)
    if not row["subscribed"]:
        return {"subscribe": 0, "openid": openid}
    return {"subscribe": 1, "openid": openid, "language": "zh_CN", "subscribe_time": int(row["subscribe_time"]),
            "remark": row["remark"], "groupid": 0, "tagid_list": json.loads(row["tags"]),
            "subscribe_scene": row["subscribe_scene"], "qr_scene": row["qr_scene"],
            "qr_scene_str": row["qr_scene_str"]}


@endpoint("/cgi-bin/user/get", methods=("GET",))
def user_list(call: ApiCall) -> dict:
    openids = followers.subscribed(call.sim, call.app.app_id)
    after = call.request.query.get("next_openid", "")
    start = 0
    if after:
        if after not in openids:
            raise WeChatError(40003)
        start = openids.index(after) + 1
    page = openids[start:start + PAGE]
    answer: dict = {"total": len(openids), "count": len(page)}
    if page:
        answer["data"] = {"openid": page}
    answer["next_openid"] = page[-1] if page else ""
    return answer


@endpoint("/cgi-bin/tags/create")
def tag_create(call: ApiCall) -> dict:
    tag = call.field("tag", dict)
    name = tag.get("name")
    if not isinstance(name, str) or not name or len(name) > 30:
        raise WeChatError(45158, "tag name too long")
    state, app_id = call.sim.state, call.app.app_id
    if state.one("SELECT 1 FROM tags WHERE app_id = ? AND name = ?", (app_id, name)):
        raise WeChatError(45157, "invalid tag name")
    if state.scalar("SELECT COUNT(*) FROM tags WHERE app_id = ?", (app_id,)) >= MAX_TAGS:
        raise WeChatError(45056, "too many tags")
    tag_id = int(state.scalar("SELECT COALESCE(MAX(id), 99) + 1 FROM tags WHERE app_id = ?", (app_id,)))
    state.execute("INSERT INTO tags (app_id, id, name) VALUES (?, ?, ?)", (app_id, tag_id, name))
    return {"tag": {"id": tag_id, "name": name}}


@endpoint("/cgi-bin/tags/get", methods=("GET",))
def tag_list(call: ApiCall) -> dict:
    rows = call.sim.state.all("SELECT id, name FROM tags WHERE app_id = ? ORDER BY id", (call.app.app_id,))
    counts: dict[int, int] = {}
    for openid_tags in call.sim.state.all("SELECT tags FROM followers WHERE app_id = ? AND subscribed = 1",
                                          (call.app.app_id,)):
        for tag_id in json.loads(openid_tags["tags"]):
            counts[tag_id] = counts.get(tag_id, 0) + 1
    return {"tags": [{"id": r["id"], "name": r["name"], "count": counts.get(r["id"], 0)} for r in rows]}


def _tagging(call: ApiCall, add: bool) -> dict:
    tag_id = call.field("tagid", int)
    openids = call.field("openid_list", list)
    if not openids or len(openids) > 50:
        raise WeChatError(40032, "invalid openid list size")
    if call.sim.state.one("SELECT 1 FROM tags WHERE app_id = ? AND id = ?", (call.app.app_id, tag_id)) is None:
        raise WeChatError(45159, "invalid tag id")
    for openid in openids:
        row = followers.get(call.sim, call.app.app_id, openid) if isinstance(openid, str) else None
        if row is None:
            raise WeChatError(40003)
        tags = [t for t in json.loads(row["tags"]) if t != tag_id] + ([tag_id] if add else [])
        call.sim.state.execute("UPDATE followers SET tags = ? WHERE app_id = ? AND openid = ?",
                               (json.dumps(sorted(tags)), call.app.app_id, openid))
    return ok()


@endpoint("/cgi-bin/tags/members/batchtagging")
def batch_tagging(call: ApiCall) -> dict:
    return _tagging(call, True)


@endpoint("/cgi-bin/tags/members/batchuntagging")
def batch_untagging(call: ApiCall) -> dict:
    return _tagging(call, False)


@endpoint("/cgi-bin/tags/getidlist")
def tags_of_user(call: ApiCall) -> dict:
    row = followers.get(call.sim, call.app.app_id, call.field("openid", str))
    if row is None:
        raise WeChatError(40003)
    return {"tagid_list": json.loads(row["tags"])}
