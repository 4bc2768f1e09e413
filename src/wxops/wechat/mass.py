"""Mass sends (群发): ``message/mass/sendall``, ``message/mass/preview``, ``message/mass/get``.

A mass send reaches every follower's chat list and cannot be taken back, so the client
refuses to send one without a ``clientmsgid`` and never retries it by itself. The caller
derives the clientmsgid deterministically (for example ``sha1(appid|slot|push id)``),
stores it *before* calling, and after an unknown outcome retries with the **same** id
after at least a minute: WeChat then answers 45065 with the existing ``msg_id``
(:class:`~wxops.wechat.errors.DuplicateClientMsgId`), which means "already sent".
Because a sent draft is removed, that retry may also answer 40007 (InvalidMedia) when the
media is checked first: after an unknown outcome that too means "probably sent".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .area import Area, require
from .errors import ClientUsageError, MissingClientMsgId

__all__ = ["MassAPI", "MassSendResult", "MassStatus", "MassStatusValue"]

CLIENTMSGID_MAX_BYTES = 64


@dataclass(frozen=True)
class MassSendResult:
    """``msg_id`` for ``mass.get`` and MASSSENDJOBFINISH; ``msg_data_id`` for comments and datacube."""

    msg_id: int
    msg_data_id: int | None = None


class MassStatusValue(StrEnum):
    SEND_SUCCESS = "SEND_SUCCESS"
    SENDING = "SENDING"
    SEND_FAIL = "SEND_FAIL"
    DELETE = "DELETE"


@dataclass(frozen=True)
class MassStatus:
    """``message/mass/get``: the state of a send (``status`` is WeChat's raw string)."""

    msg_id: int
    status: str

    @property
    def is_final(self) -> bool:
        return self.status != MassStatusValue.SENDING


def _check_clientmsgid(clientmsgid: str | None) -> str:
    if not clientmsgid:
        raise MissingClientMsgId(
            "a mass send needs a clientmsgid (derive it from account, slot and push) so that a "
            "retry can never reach followers twice; the send was not made"
        )
    if len(clientmsgid.encode("utf-8")) > CLIENTMSGID_MAX_BYTES:
        raise ClientUsageError(f"clientmsgid is longer than {CLIENTMSGID_MAX_BYTES} bytes; the send was not made")
    return clientmsgid


class MassAPI(Area):
    """``client.mass``."""

    def send_mpnews(
        self,
        media_id: str,
        *,
        clientmsgid: str,
        tag_id: int | None = None,
        send_ignore_reprint: bool = False,
    ) -> MassSendResult:
        """POST message/mass/sendall with the draft ``media_id`` as mpnews.

        To all followers when ``tag_id`` is None, else to the tag. ``send_ignore_reprint``
        lets a send continue when the article matches a reprintable original.
        Raises :class:`MissingClientMsgId` (nothing sent) without ``clientmsgid``;
        :class:`~wxops.wechat.errors.DuplicateClientMsgId` when it was already sent;
        :class:`~wxops.wechat.errors.OutcomeUnknown` when the answer never came.
        """
        body: dict[str, Any] = {
            "filter": {"is_to_all": tag_id is None} if tag_id is None else {"is_to_all": False, "tag_id": tag_id},
            "mpnews": {"media_id": media_id},
            "msgtype": "mpnews",
            "send_ignore_reprint": int(send_ignore_reprint),
            "clientmsgid": _check_clientmsgid(clientmsgid),
        }
        payload = self._post("/cgi-bin/message/mass/sendall", body, idempotent=False)
        msg_data_id = payload.get("msg_data_id")
        return MassSendResult(
            msg_id=int(require(payload, "msg_id", "message/mass/sendall")),
            msg_data_id=int(msg_data_id) if msg_data_id is not None else None,
        )

    def preview(self, media_id: str, *, touser: str | None = None, towxname: str | None = None) -> int | None:
        """POST message/mass/preview to one follower (openid) or WeChat id; return msg_id if given.

        Exactly one of ``touser`` and ``towxname`` (WeChat lets ``towxname`` win when both
        are sent; we refuse the ambiguity). Preview by WeChat id is limited to 100 a day.
        """
        if bool(touser) == bool(towxname):
            raise ClientUsageError("preview needs exactly one of touser (openid) or towxname (WeChat id)")
        body: dict[str, Any] = {"mpnews": {"media_id": media_id}, "msgtype": "mpnews"}
        if touser:
            body["touser"] = touser
        else:
            body["towxname"] = towxname
        payload = self._post("/cgi-bin/message/mass/preview", body, idempotent=False)
        msg_id = payload.get("msg_id")
        return int(msg_id) if msg_id is not None else None

    def get(self, msg_id: int) -> MassStatus:
        """POST message/mass/get."""
        payload = self._post("/cgi-bin/message/mass/get", {"msg_id": msg_id}, idempotent=True)
        return MassStatus(msg_id=int(payload.get("msg_id", msg_id)), status=str(require(payload, "msg_status", "mass/get")))
