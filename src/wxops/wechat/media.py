"""Images for articles: ``media/uploadimg`` (in-body images) and ``material/add_material`` (covers)."""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from typing import Literal

from .area import Area, require
from .errors import ClientUsageError

__all__ = ["MediaAPI", "PermanentMaterial", "UploadedImage"]

UPLOADIMG_MAX_BYTES = 1024 * 1024
THUMB_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class UploadedImage:
    """An image hosted by WeChat for use inside article HTML (``<img src=url>``)."""

    url: str


@dataclass(frozen=True)
class PermanentMaterial:
    """A permanent material: ``media_id`` for drafts (``thumb_media_id``), ``url`` for display."""

    media_id: str
    url: str = ""


def _content_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


class MediaAPI(Area):
    """``client.media``: uploads."""

    def upload_image(self, content: bytes, filename: str = "image.jpg") -> UploadedImage:
        """POST media/uploadimg: a jpg/png under 1 MB for article bodies. Safe to repeat.

        The client checks the size and extension first so a too-big image fails with a
        clear message instead of errcode 40009/40005.
        """
        if not filename.lower().endswith((".jpg", ".jpeg", ".png")):
            raise ClientUsageError(f"uploadimg takes jpg or png only, not {filename!r}")
        if len(content) > UPLOADIMG_MAX_BYTES:
            raise ClientUsageError(f"uploadimg takes images up to 1 MB; {filename!r} is {len(content)} bytes")
        payload = self._client.call(
            "POST",
            "/cgi-bin/media/uploadimg",
            files={"media": (filename, content, _content_type(filename))},
            idempotent=True,
        )
        return UploadedImage(url=str(require(payload, "url", "media/uploadimg")))

    def add_material(
        self, content: bytes, filename: str = "cover.jpg", *, kind: Literal["image", "thumb"] = "image"
    ) -> PermanentMaterial:
        """POST material/add_material?type=image|thumb: a permanent image (cover) material.

        ``thumb`` must be a JPG of at most 64 KB. Not retried automatically: every success
        adds one more item to the account's material library.
        """
        if kind not in ("image", "thumb"):
            raise ClientUsageError(f"kind must be 'image' or 'thumb', not {kind!r}")
        if kind == "thumb":
            if not filename.lower().endswith((".jpg", ".jpeg")):
                raise ClientUsageError(f"a thumb must be a JPG, not {filename!r}")
            if len(content) > THUMB_MAX_BYTES:
                raise ClientUsageError(f"a thumb must be at most 64 KB; {filename!r} is {len(content)} bytes")
        payload = self._client.call(
            "POST",
            "/cgi-bin/material/add_material",
            params={"type": kind},
            files={"media": (filename, content, _content_type(filename))},
            idempotent=False,
        )
        return PermanentMaterial(
            media_id=str(require(payload, "media_id", "material/add_material")), url=str(payload.get("url", ""))
        )
