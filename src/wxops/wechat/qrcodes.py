"""Parametric QR codes (带参数二维码): ``qrcode/create`` and the ``showqrcode`` image URL.

A follower who scans a code arrives with a ``subscribe`` event whose scene key is the
code's ``scene_str`` (or a ``SCAN`` event when already following) — the basis of branch
attribution. Use permanent codes (``QR_LIMIT_STR_SCENE``, at most 100,000 per account)
for fixed places, temporary ones (``QR_STR_SCENE``, up to 30 days) for campaigns.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from .area import Area, require
from .errors import ClientUsageError

__all__ = ["QRCode", "QRCodesAPI", "showqrcode_url"]

SCENE_STR_MAX = 64
TEMPORARY_MAX_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class QRCode:
    """A created code: ``ticket`` for the image, ``url`` (what the code encodes), and
    ``expire_seconds`` (``None`` for a permanent code). ``image_url`` shows the PNG."""

    ticket: str
    url: str
    scene_str: str
    expire_seconds: int | None
    image_url: str


def showqrcode_url(ticket: str, base_url: str = "https://mp.weixin.qq.com") -> str:
    """The URL of the code's image: ``{base}/cgi-bin/showqrcode?ticket=<url-encoded ticket>``."""
    return f"{base_url.rstrip('/')}/cgi-bin/showqrcode?ticket={quote(ticket, safe='')}"


def _check_scene(scene_str: str) -> None:
    if not 1 <= len(scene_str) <= SCENE_STR_MAX:
        raise ClientUsageError(f"scene_str must be 1 to {SCENE_STR_MAX} characters, not {len(scene_str)}")


class QRCodesAPI(Area):
    """``client.qrcodes``."""

    def _create(self, body: dict, scene_str: str) -> QRCode:
        payload = self._post("/cgi-bin/qrcode/create", body, idempotent=True)
        ticket = str(require(payload, "ticket", "qrcode/create"))
        expire = payload.get("expire_seconds")
        return QRCode(
            ticket=ticket,
            url=str(payload.get("url", "")),
            scene_str=scene_str,
            expire_seconds=int(expire) if expire is not None and body["action_name"] == "QR_STR_SCENE" else None,
            image_url=showqrcode_url(ticket, self._client.qrcode_base_url),
        )

    def create_permanent(self, scene_str: str) -> QRCode:
        """QR_LIMIT_STR_SCENE: a code that never expires (e.g. ``branch:sz-01``)."""
        _check_scene(scene_str)
        body = {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": scene_str}}}
        return self._create(body, scene_str)

    def create_temporary(self, scene_str: str, expire_seconds: int = TEMPORARY_MAX_SECONDS) -> QRCode:
        """QR_STR_SCENE: a code valid for ``expire_seconds`` (at most 30 days)."""
        _check_scene(scene_str)
        if not 1 <= expire_seconds <= TEMPORARY_MAX_SECONDS:
            raise ClientUsageError(f"expire_seconds must be 1 to {TEMPORARY_MAX_SECONDS} (30 days)")
        body = {
            "expire_seconds": expire_seconds,
            "action_name": "QR_STR_SCENE",
            "action_info": {"scene": {"scene_str": scene_str}},
        }
        return self._create(body, scene_str)
