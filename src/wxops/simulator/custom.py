"""Customer-service messages (``message/custom/send``) inside the service window.

A follower's message opens a 48-hour window for 5 messages; a subscribe, scan or menu
click a 1-minute window for 3. Outside a window (or to a former follower) the answer is
45015; past the count, 45047.
"""

from __future__ import annotations

from . import followers, outbox
from .api import ApiCall, endpoint
from .errors import WeChatError, ok

TYPES = ("text", "image", "voice", "video", "music", "news", "mpnews", "mpnewsarticle", "msgmenu", "wxcard",
         "miniprogrampage")


@endpoint("/cgi-bin/message/custom/send")
def send(call: ApiCall) -> dict:
    touser = call.field("touser", str)
    msgtype = call.field("msgtype", str)
    if msgtype not in TYPES:
        raise WeChatError(40008)
    payload = call.body.get(msgtype)
    if not isinstance(payload, dict):
        raise WeChatError(47001, f"data format error, {msgtype} must be an object")
    if msgtype == "text" and not (isinstance(payload.get("content"), str) and payload["content"]):
        raise WeChatError(44003, "empty content")
    row = followers.get(call.sim, call.app.app_id, touser)
    if row is None:
        raise WeChatError(40003)
    window = followers.WINDOWS.get(row["window_kind"] or "")
    if not row["subscribed"] or window is None or call.now > row["window_opened"] + window[0]:
        raise WeChatError(45015)
    if row["window_used"] >= window[1]:
        raise WeChatError(45047)
    call.sim.state.execute("UPDATE followers SET window_used = window_used + 1 WHERE app_id = ? AND openid = ?",
                           (call.app.app_id, touser))
    outbox.record(call.sim, call.app.app_id, "custom", touser, {"msgtype": msgtype, msgtype: payload}, call.now)
    return ok()
