"""WeChat's error answers: HTTP 200 with ``{"errcode": N, "errmsg": "... rid: ..."}``.

The messages are the English ones api.weixin.qq.com returns; ``rid`` mimics the request id
appended to every real error message.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

MESSAGES: dict[int, str] = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40005: "invalid file type",
    40004: "invalid media type",
    40007: "invalid media_id",
    40008: "invalid message type",
    40009: "invalid image size",
    40010: "invalid voice size",
    40011: "invalid video size",
    40012: "invalid thumb size",
    40013: "invalid appid",
    40014: "invalid access_token",
    40035: "invalid args",
    40059: "invalid msg id",
    40114: "invalid index value",
    40125: "invalid appsecret",
    40132: "invalid username",
    40164: "invalid ip, not in whitelist",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    42001: "access_token expired",
    43002: "require POST method",
    43004: "require subscribe",
    44002: "empty post data",
    44003: "empty news data",
    45002: "content size out of limit",
    45003: "title size out of limit",
    45004: "description size out of limit",
    45005: "content_source_url size out of limit",
    45008: "article size out of limit",
    45009: "reach max api daily quota limit",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    45015: "response out of time limit or subscription is canceled",
    45028: "has no masssend quota",
    45047: "out of response count limit",
    45065: "clientmsgid exist",
    45066: "clientmsgid retry too fast",
    45067: "clientmsgid size out of limit",
    45110: "author size out of limit",
    46004: "user not exist",
    47001: "data format error",
    48001: "api unauthorized",
    48006: "forbid to clear quota because of reaching the limit",
    53600: "Article ID 无效",
    61501: "date range error",
    76001: "rid not found",
    76002: "rid is error",
    76003: "rid is not belong to the appid",
    88000: "without comment privilege",
    88001: "msg_data is not exists",
    88005: "already reply",
    88007: "reply content beyond max len or content len is zero",
    88008: "comment is not exists",
    88010: "count range error. cout <= 0 or count > 50",
}


class WeChatError(Exception):
    """Raised by an endpoint to answer with a WeChat error; ``extra`` fields join the body."""

    def __init__(self, errcode: int, errmsg: str | None = None, **extra: Any) -> None:
        self.errcode = errcode
        self.errmsg = errmsg or MESSAGES.get(errcode, "error")
        self.extra = extra
        super().__init__(f"{errcode} {self.errmsg}")

    def body(self) -> dict[str, Any]:
        return error_body(self.errcode, self.errmsg, **self.extra)


RID = re.compile(r" rid: ([0-9a-f-]+)$")


def rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))


def error_body(errcode: int, errmsg: str | None = None, **extra: Any) -> dict[str, Any]:
    message = errmsg or MESSAGES.get(errcode, "error")
    return {"errcode": errcode, "errmsg": f"{message} rid: {rid()}", **extra}


def ok(**fields: Any) -> dict[str, Any]:
    return {"errcode": 0, "errmsg": "ok", **fields}
