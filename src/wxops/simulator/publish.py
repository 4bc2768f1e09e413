"""Free publishing (发布): ``freepublish/submit|get|getarticle|batchget|delete``.

``submit`` only accepts the job (``publish_id``; the draft leaves the box). The publish
stays at status 1 (publishing) for ``publish_seconds`` of simulated time, then ends with
0 (success, an ``article_id`` and urls) or the status injected with the ``publish_status``
fault (2 original check failed, 3 general failure, 4 review rejected; ``fail_idx`` lists
every article), and PUBLISHJOBFINISH goes to the callback URL. Published articles are not
pushed to followers. Unverified accounts get 48001.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

from . import articles, callbacks, followers
from .api import ApiCall, endpoint
from .drafts import live_draft, remove
from .errors import WeChatError, ok

if TYPE_CHECKING:
    from .world import World



@endpoint("/cgi-bin/freepublish/submit")
def submit(call: ApiCall) -> dict:
    call.require_verified()
    draft = live_draft(call, call.body.get("media_id"))
    sim = call.sim
    publish_id = str(sim.state.next_id("publish_id", 2247503001))
    msg_data_id = sim.state.next_id("msg_data_id", 2247483001)
    injected = call.notes.get("faults", {}).get("publish_status")
    outcome = injected.publish_status if injected else 0
    articles = json.loads(draft["articles"])
    fail_idx = list(range(1, len(articles) + 1)) if outcome in (2, 4) else []
    sim.state.execute(
        "INSERT INTO publishes (publish_id, app_id, msg_data_id, draft_media_id, articles, status, outcome, fail_idx, "
        "submitted_at, due_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)",
        (publish_id, call.app.app_id, msg_data_id, draft["media_id"], draft["articles"], outcome,
         json.dumps(fail_idx), call.now, call.now + call.app.publish_seconds))
    remove(call, draft["media_id"], f"freepublish/submit {publish_id}")
    return ok(publish_id=publish_id, msg_data_id=msg_data_id)


def _urls(row: Any) -> list[str]:
    count = len(json.loads(row["articles"]))
    return [f"http://mp.weixin.qq.com/s/{row['article_id']}?idx={i}" for i in range(1, count + 1)]


@endpoint("/cgi-bin/freepublish/get")
def get(call: ApiCall) -> dict:
    call.require_verified()
    publish_id = call.body.get("publish_id")
    row = call.sim.state.one("SELECT * FROM publishes WHERE publish_id = ? AND app_id = ?",
                             (str(publish_id), call.app.app_id))
    if row is None:
        raise WeChatError(40002, "invalid argument, unknown publish_id")
    status = 5 if row["deleted"] and row["status"] == 0 else row["status"]
    answer: dict[str, Any] = {"publish_id": row["publish_id"], "publish_status": status}
    if row["status"] == 0:
        urls = _urls(row)
        answer["article_id"] = row["article_id"]
        answer["article_detail"] = {"count": len(urls),
                                    "item": [{"idx": i + 1, "article_url": u} for i, u in enumerate(urls)]}
    answer["fail_idx"] = json.loads(row["fail_idx"]) if row["status"] in (2, 4) else []
    return answer


def _published(call: ApiCall, article_id: Any) -> Any:
    row = call.sim.state.one("SELECT * FROM publishes WHERE article_id = ? AND app_id = ? AND status = 0",
                             (str(article_id), call.app.app_id))
    if row is None:
        raise WeChatError(53600)
    return row


def _news_items(row: Any) -> list[dict[str, Any]]:
    urls = _urls(row)
    return [{**article, "url": urls[i], "is_deleted": bool(row["deleted"])}
            for i, article in enumerate(json.loads(row["articles"]))]


@endpoint("/cgi-bin/freepublish/getarticle")
def getarticle(call: ApiCall) -> dict:
    call.require_verified()
    return {"news_item": _news_items(_published(call, call.body.get("article_id")))}


@endpoint("/cgi-bin/freepublish/batchget")
def batchget(call: ApiCall) -> dict:
    call.require_verified()
    offset, size = call.field("offset", int), call.field("count", int)
    no_content = call.field("no_content", int, required=False, default=0)
    if offset < 0 or not 1 <= size <= 20:
        raise WeChatError(40035, "invalid args, offset >= 0 and 1 <= count <= 20")
    where = "FROM publishes WHERE app_id = ? AND status = 0 AND deleted = 0"
    rows = call.sim.state.all(f"SELECT * {where} ORDER BY due_at DESC LIMIT ? OFFSET ?",  # noqa: S608
                              (call.app.app_id, size, offset))
    items = []
    for row in rows:
        news = _news_items(row)
        if no_content:
            for item in news:
                item.pop("content", None)
        items.append({"article_id": row["article_id"], "content": {"news_item": news},
                      "update_time": int(row["due_at"])})
    total = call.sim.state.scalar(f"SELECT COUNT(*) {where}", (call.app.app_id,))  # noqa: S608
    return {"total_count": total, "item_count": len(items), "item": items}


@endpoint("/cgi-bin/freepublish/delete")
def delete(call: ApiCall) -> dict:
    call.require_verified()
    row = _published(call, call.body.get("article_id"))
    call.sim.state.execute("UPDATE publishes SET deleted = 1 WHERE publish_id = ?", (row["publish_id"],))
    return ok()


def _finish(sim: World, row: Any) -> None:
    account = sim.accounts.get(row["app_id"])
    if account is None:
        return
    article_id = secrets.token_urlsafe(32)[:43] if row["outcome"] == 0 else None
    sim.state.execute("UPDATE publishes SET status = ?, article_id = ? WHERE publish_id = ?",
                      (row["outcome"], article_id, row["publish_id"]))
    info: list[tuple[str, Any]] = [("publish_id", int(row["publish_id"])), ("publish_status", row["outcome"])]
    if article_id:
        row = sim.state.one("SELECT * FROM publishes WHERE publish_id = ?", (row["publish_id"],))
        urls = _urls(row)
        info += [("article_id", article_id), ("article_detail", [("count", len(urls))] + [
            ("item", [("idx", i + 1), ("article_url", u)]) for i, u in enumerate(urls)])]
        for idx, article in enumerate(json.loads(row["articles"])):
            articles.record(sim, row["app_id"], row["msg_data_id"], idx, article, url=urls[idx], source="publish",
                            sent_at=row["due_at"], target_user=0, key=article_id)
    else:
        info += [("fail_idx", i) for i in json.loads(row["fail_idx"])]
    helper = followers.openid_for(0, account.app_id, 0)
    fields = [("ToUserName", account.username), ("FromUserName", helper), ("CreateTime", int(row["due_at"])),
              ("MsgType", "event"), ("Event", "PUBLISHJOBFINISH"), ("PublishEventInfo", info)]
    callbacks.enqueue(sim, account, "PUBLISHJOBFINISH", helper, fields, msg_id=row["publish_id"])


def settle(sim: World, now: float) -> None:
    for row in sim.state.all("SELECT * FROM publishes WHERE status = 1 AND due_at <= ? ORDER BY due_at", (now,)):
        _finish(sim, row)
