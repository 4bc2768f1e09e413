"""Mass sends (群发): ``message/mass/sendall|preview|get|delete``.

- mpnews by draft ``media_id`` (the draft leaves the box) or text; to all followers
  (``is_to_all``) or to a tag.
- Quota: a subscription account succeeds once per China day; a service account sends
  ``is_to_all`` at most 4 times a calendar month, and each follower receives at most 4 mass
  messages a month (the others are filtered out of the send) → 45028.
- ``clientmsgid`` (≤ 64 bytes, else 45067): a second send with the same id within 24 h gets
  45066 within the first minute, then 45065 with the existing ``msg_id``. Without one, a
  digest of the target and content stands in, as on the real platform.
- With ``mass_send_protection`` an ``is_to_all`` send waits for the administrator
  (control API) and fails after ``confirm_timeout`` (30 min).
- The send is a job: ``SENDING`` until ``mass_send_seconds`` later, then every recipient
  gets it (see the outbox), MASSSENDJOBFINISH goes to the callback URL, and followers react.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from . import articles as articles_log
from . import behaviour, callbacks, followers, outbox
from .api import ApiCall, endpoint
from .clock import CHINA, china_date
from .drafts import live_draft, remove
from .errors import WeChatError, ok

if TYPE_CHECKING:
    from .accounts import Account
    from .world import World

STATUS = {"confirming": "SENDING", "sending": "SENDING", "success": "SEND_SUCCESS", "fail": "SEND_FAIL",
          "deleted": "DELETE"}
DEDUP_WINDOW = 24 * 3600
RETRY_GAP = 60
SERVICE_MONTHLY = 4


def _month(ts: float) -> str:
    return china_date(ts).strftime("%Y-%m")


def _content(call: ApiCall, body: dict[str, Any]) -> tuple[str, str | None, list[dict[str, Any]], str]:
    """(msgtype, draft media_id, articles, content key) of a sendall/preview body."""
    msgtype = body.get("msgtype")
    if msgtype == "mpnews":
        mpnews = body.get("mpnews")
        if not isinstance(mpnews, dict):
            raise WeChatError(47001, "data format error, mpnews must be an object")
        draft = live_draft(call, mpnews.get("media_id"))
        articles = json.loads(draft["articles"])
        key = hashlib.sha256(json.dumps([[a["title"], a["content"]] for a in articles],
                                      ensure_ascii=False).encode()).hexdigest()[:40]
        return msgtype, draft["media_id"], articles, key
    if msgtype == "text":
        text = body.get("text")
        content = text.get("content") if isinstance(text, dict) else None
        if not isinstance(content, str) or not content:
            raise WeChatError(44003, "empty content")
        return msgtype, None, [], hashlib.sha256(("text:" + content).encode()).hexdigest()[:40]
    raise WeChatError(40008)


def _target(call: ApiCall, body: dict[str, Any]) -> dict[str, Any]:
    filt = body.get("filter")
    if not isinstance(filt, dict):
        raise WeChatError(47001, "data format error, filter must be an object")
    is_to_all = filt.get("is_to_all", False)
    if not isinstance(is_to_all, bool):
        raise WeChatError(47001, "data format error, is_to_all must be a boolean")
    if is_to_all:
        return {"is_to_all": True}
    tag_id = filt.get("tag_id")
    if isinstance(tag_id, bool) or not isinstance(tag_id, int):
        raise WeChatError(40035, "invalid args, tag_id is required unless is_to_all is true")
    if call.sim.state.one("SELECT 1 FROM tags WHERE app_id = ? AND id = ?", (call.app.app_id, tag_id)) is None:
        raise WeChatError(40050, "invalid tag id")
    return {"is_to_all": False, "tag_id": tag_id}


def _check_quota(call: ApiCall, target: dict[str, Any]) -> None:
    state, app, now = call.sim.state, call.app, call.now
    rows = state.all("SELECT created_at, target FROM mass_sends WHERE app_id = ? AND status != 'fail' "
                     "AND kind = 'mass'", (app.app_id,))
    if app.account_type == "subscription":
        if any(china_date(r["created_at"]) == china_date(now) for r in rows):
            raise WeChatError(45028)
    elif target["is_to_all"]:
        to_all = [r for r in rows if json.loads(r["target"]).get("is_to_all") and _month(r["created_at"]) == _month(now)]
        if len(to_all) >= SERVICE_MONTHLY:
            raise WeChatError(45028)


def _check_clientmsgid(call: ApiCall, clientmsgid: str) -> None:
    row = call.sim.state.one(
        "SELECT msg_id, created_at FROM mass_sends WHERE app_id = ? AND clientmsgid = ? AND created_at > ? "
        "ORDER BY created_at DESC LIMIT 1", (call.app.app_id, clientmsgid, call.now - DEDUP_WINDOW))
    if row is None:
        return
    if call.now - row["created_at"] < RETRY_GAP:
        raise WeChatError(45066)
    raise WeChatError(45065, msg_id=row["msg_id"])


@endpoint("/cgi-bin/message/mass/sendall")
def sendall(call: ApiCall) -> dict:
    body = call.body
    call.require_verified()
    target = _target(call, body)
    clientmsgid = body.get("clientmsgid")
    if clientmsgid is not None and not isinstance(clientmsgid, str):
        raise WeChatError(47001, "data format error, clientmsgid must be a string")
    if clientmsgid is not None and len(clientmsgid.encode("utf-8")) > 64:
        raise WeChatError(45067)
    reprint = body.get("send_ignore_reprint", 0)
    if reprint not in (0, 1, True, False):
        raise WeChatError(40035, "invalid args, send_ignore_reprint must be 0 or 1")
    if clientmsgid:
        # Checked before the content: the draft of an accepted send is gone, and a retry
        # with the same clientmsgid must still learn the msg_id (45065).
        _check_clientmsgid(call, clientmsgid)
    msgtype, draft_id, articles, key = _content(call, body)
    if not clientmsgid:
        clientmsgid = hashlib.md5(  # noqa: S324 - a digest, not security
            (json.dumps(target, sort_keys=True) + key).encode()).hexdigest()
        _check_clientmsgid(call, clientmsgid)
    _check_quota(call, target)
    sim, app = call.sim, call.app
    msg_id = sim.state.next_id("msg_id", 1000000001)
    msg_data_id = sim.state.next_id("msg_data_id", 2247483001)
    protected = app.mass_send_protection and target["is_to_all"]
    for article in articles:
        article["category"] = behaviour.categorize(app, behaviour.profile_of(sim, app.app_id), article)
    sim.state.execute(
        "INSERT INTO mass_sends (msg_id, msg_data_id, app_id, kind, draft_media_id, articles, content_key, target, "
        "clientmsgid, status, created_at, due_at, confirm_until) VALUES (?, ?, ?, 'mass', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (msg_id, msg_data_id, app.app_id, draft_id, json.dumps(articles, ensure_ascii=False), key,
         json.dumps(target), clientmsgid, "confirming" if protected else "sending", call.now,
         call.now + app.mass_send_seconds, call.now + app.confirm_timeout if protected else None))
    if draft_id:
        remove(call, draft_id, f"mass/sendall {msg_id}")
    return {"errcode": 0, "errmsg": "send job submission success", "msg_id": msg_id, "msg_data_id": msg_data_id}


@endpoint("/cgi-bin/message/mass/preview")
def preview(call: ApiCall) -> dict:
    body, sim, app = call.body, call.sim, call.app
    wxname, touser = body.get("towxname"), body.get("touser")
    if wxname:
        row = sim.state.one("SELECT openid, subscribed FROM followers WHERE app_id = ? AND wxname = ?",
                            (app.app_id, wxname))
        if row is None:
            raise WeChatError(40132)
    elif isinstance(touser, str) and touser:
        row = followers.get(sim, app.app_id, touser)
        if row is None:
            raise WeChatError(40003)
    else:
        raise WeChatError(40035, "invalid args, touser or towxname is required")
    if not row["subscribed"]:
        raise WeChatError(43004)
    msgtype, draft_id, articles, key = _content(call, body)
    msg_id = sim.state.next_id("msg_id", 1000000001)
    outbox.record(sim, app.app_id, "preview", row["openid"], {
        "msgtype": msgtype, "media_id": draft_id, "titles": [a["title"] for a in articles]}, call.now,
        msg_id=msg_id, content_key=key)
    return {"errcode": 0, "errmsg": "preview success", "msg_id": msg_id}


def _send(sim: World, msg_id: Any) -> Any:
    if isinstance(msg_id, bool) or not isinstance(msg_id, int | str) or not str(msg_id).isdigit():
        raise WeChatError(40059)
    return sim.state.one("SELECT * FROM mass_sends WHERE msg_id = ?", (int(msg_id),))


@endpoint("/cgi-bin/message/mass/get")
def get(call: ApiCall) -> dict:
    row = _send(call.sim, call.body.get("msg_id"))
    if row is None or row["app_id"] != call.app.app_id:
        raise WeChatError(40059)
    return {"msg_id": row["msg_id"], "msg_status": STATUS[row["status"]]}


@endpoint("/cgi-bin/message/mass/delete")
def delete(call: ApiCall) -> dict:
    row = _send(call.sim, call.body.get("msg_id"))
    if row is None or row["app_id"] != call.app.app_id or row["status"] != "success":
        raise WeChatError(40059)
    call.sim.state.execute("UPDATE mass_sends SET status = 'deleted' WHERE msg_id = ?", (row["msg_id"],))
    return ok()


def confirm(sim: World, app_id: str, msg_id: int, approve: bool) -> str:
    """The administrator confirms (or rejects) a protected send on their phone."""
    row = sim.state.one("SELECT * FROM mass_sends WHERE msg_id = ? AND app_id = ?", (msg_id, app_id))
    if row is None or row["status"] != "confirming":
        raise ValueError(f"mass send {msg_id} is not awaiting confirmation")
    now = sim.clock.now()
    account = sim.accounts.get(app_id)
    assert account is not None
    if approve:
        sim.state.execute("UPDATE mass_sends SET status = 'sending', due_at = ? WHERE msg_id = ?",
                          (now + account.mass_send_seconds, msg_id))
        return "sending"
    _fail(sim, account, row, now, "send fail")
    return "fail"


def _fail(sim: World, account: Account, row: Any, now: float, status: str) -> None:
    sim.state.execute("UPDATE mass_sends SET status = 'fail', total_count = 0, filter_count = 0, sent_count = 0, "
                      "error_count = 0 WHERE msg_id = ?", (row["msg_id"],))
    _finish_event(sim, account, row["msg_id"], now, status, 0, 0, 0, 0)


def _finish_event(sim: World, account: Account, msg_id: int, at: float, status: str, total: int,
                  filtered: int, sent: int, errors: int, urls: list[str] = ()) -> None:
    helper = followers.openid_for(0, account.app_id, 0)
    fields = [("ToUserName", account.username), ("FromUserName", helper), ("CreateTime", int(at)),
              ("MsgType", "event"), ("Event", "MASSSENDJOBFINISH"), ("MsgID", msg_id), ("Status", status),
              ("TotalCount", total), ("FilterCount", filtered), ("SentCount", sent), ("ErrorCount", errors),
              ("CopyrightCheckResult", [("Count", 0), ("ResultList", ""), ("CheckState", 1)])]
    if urls:
        fields.append(("ArticleUrlResult", [("Count", len(urls)), ("ResultList", [
            ("item", [("ArticleIdx", i + 1), ("ArticleUrl", url)]) for i, url in enumerate(urls)])]))
    callbacks.enqueue(sim, account, "MASSSENDJOBFINISH", helper, fields, msg_id=str(msg_id))


def _deliver(sim: World, account: Account, row: Any) -> None:
    at = row["due_at"]
    target = json.loads(row["target"])
    audience = followers.subscribed(sim, account.app_id, target.get("tag_id"))
    recipients = audience
    if account.account_type == "service":
        start = dt.datetime.combine(china_date(at).replace(day=1), dt.time(), CHINA).timestamp()
        received = {r["openid"]: r["n"] for r in sim.state.all(
            "SELECT openid, COUNT(*) AS n FROM outbox WHERE app_id = ? AND kind = 'mass' AND at >= ? GROUP BY openid",
            (account.app_id, start))}
        recipients = [o for o in audience if received.get(o, 0) < SERVICE_MONTHLY]
    outbox.record_many(sim, account.app_id, "mass", recipients, at, msg_id=row["msg_id"],
                       content_key=row["content_key"])
    articles = json.loads(row["articles"])
    urls = []
    for idx, article in enumerate(articles):
        url = f"http://mp.weixin.qq.com/s?__biz={account.username}&mid={row['msg_data_id']}&idx={idx + 1}"
        urls.append(url)
        articles_log.record(sim, account.app_id, row["msg_data_id"], idx, article, url=url, source="mass",
                            sent_at=at, target_user=len(recipients), key=row["content_key"])
    sim.state.execute(
        "UPDATE mass_sends SET status = 'success', total_count = ?, filter_count = ?, sent_count = ?, error_count = 0 "
        "WHERE msg_id = ?", (len(audience), len(recipients), len(recipients), row["msg_id"]))
    _finish_event(sim, account, row["msg_id"], at, "send success", len(audience), len(recipients),
                  len(recipients), 0, urls)
    behaviour.plan_push(sim, account, row["msg_data_id"], recipients, articles, at)


def settle(sim: World, now: float) -> None:
    for row in sim.state.all("SELECT * FROM mass_sends WHERE status = 'sending' AND due_at <= ? ORDER BY due_at",
                             (now,)):
        account = sim.accounts.get(row["app_id"])
        if account is not None:
            _deliver(sim, account, row)
    for row in sim.state.all("SELECT * FROM mass_sends WHERE status = 'confirming' AND confirm_until <= ?", (now,)):
        account = sim.accounts.get(row["app_id"])
        if account is not None:
            _fail(sim, account, row, row["confirm_until"], "send fail")

