"""Images: ``media/uploadimg`` (pictures inside article content) and ``material/add_material``.

- uploadimg: jpg/png only (40005), at most 1 MB (40009); answers a ``url``. Only such urls
  survive in draft content.
- add_material: ``type`` image (bmp/png/jpeg/gif, 10 MB), thumb (jpg, 64 KB, 40012),
  voice, video; answers a permanent ``media_id`` (and a ``url`` for pictures).
- media/upload: temporary material; its media_id is refused as a draft's thumb (40007),
  the classic mix-up. material/del_material, get_materialcount, batchget_material manage
  the permanent library.

The urls point back at the simulator (``/mmbiz/<name>``) so the pictures show in a browser;
real WeChat answers mmbiz.qpic.cn urls instead.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from . import multipart
from .api import ApiCall, endpoint
from .errors import WeChatError, ok
from .router import Request, Response, route

if TYPE_CHECKING:
    from .world import World

MB = 1024 * 1024
LIMITS = {"image": 10 * MB, "thumb": 64 * 1024, "voice": 2 * MB, "video": 10 * MB}
FORMATS = {"image": ("jpg", "png", "gif", "bmp"), "thumb": ("jpg",)}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "bmp": "image/bmp"}
URL_MARK = "/mmbiz/"


def new_media_id() -> str:
    return secrets.token_urlsafe(48)[:64]


def _upload(call: ApiCall) -> multipart.Part:
    parts = multipart.parse(call.request.headers.get("content-type", ""), call.request.body)
    part = parts.get("media")
    if part is None or not part.data:
        raise WeChatError(41005, "media data missing")
    return part


def _material(call: ApiCall) -> tuple[str, multipart.Part, str | None]:
    """The ``type`` and uploaded file of a material call, checked against that type's formats and size."""
    kind = call.request.query.get("type", "")
    if kind not in LIMITS:
        raise WeChatError(40004, "invalid media type")
    part = _upload(call)
    fmt = multipart.sniff(part.data)
    if kind in FORMATS and fmt not in FORMATS[kind]:
        raise WeChatError(40005)
    if len(part.data) > LIMITS[kind]:
        raise WeChatError({"image": 40009, "thumb": 40012, "voice": 40010, "video": 40011}[kind])
    return kind, part, fmt


def _store(call: ApiCall, kind: str, part: multipart.Part, fmt: str | None) -> tuple[str, str]:
    media_id = new_media_id()
    name = f"{secrets.token_hex(12)}.{fmt or 'bin'}"
    url = call.request.base_url + URL_MARK + name
    call.sim.state.execute(
        "INSERT INTO media (media_id, app_id, kind, filename, content_type, size, url, data, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (media_id, call.app.app_id, kind, part.filename, CONTENT_TYPES.get(fmt or "", part.content_type),
         len(part.data), url, part.data, call.now),
    )
    return media_id, url


@endpoint("/cgi-bin/media/uploadimg")
def uploadimg(call: ApiCall) -> dict:
    part = _upload(call)
    fmt = multipart.sniff(part.data)
    if fmt not in ("jpg", "png"):
        raise WeChatError(40005)
    if len(part.data) > MB:
        raise WeChatError(40009)
    _, url = _store(call, "uploadimg", part, fmt)
    return ok(url=url)


@endpoint("/cgi-bin/material/add_material")
def add_material(call: ApiCall) -> dict:
    kind, part, fmt = _material(call)
    media_id, url = _store(call, kind, part, fmt)
    return {"media_id": media_id, "url": url} if kind in FORMATS else {"media_id": media_id}


@route("GET", "/mmbiz/{name}")
def serve_image(sim: World, request: Request, name: str) -> Response:
    row = sim.state.one("SELECT content_type, data FROM media WHERE url LIKE ?", ("%" + URL_MARK + name,))
    if row is None:
        return Response(status=404, body=b"not found", content_type="text/plain")
    return Response(body=row["data"], content_type=row["content_type"] or "application/octet-stream")


def permanent_media(sim, app_id: str, media_id: str, kinds: tuple[str, ...] = ("image", "thumb")) -> bool:
    row = sim.state.one("SELECT kind FROM media WHERE media_id = ? AND app_id = ?", (media_id, app_id))
    return row is not None and row["kind"] in kinds


@endpoint("/cgi-bin/media/upload")
def upload_temporary(call: ApiCall) -> dict:
    """Temporary material (3 days): usable in messages, but never as a draft's thumb (40007)."""
    kind, part, fmt = _material(call)
    media_id, _ = _store(call, f"temporary_{kind}", part, fmt)
    return {"type": kind, "media_id": media_id, "created_at": int(call.now)}


def _permanent(call: ApiCall, media_id: object) -> Any:
    row = call.sim.state.one("SELECT * FROM media WHERE media_id = ? AND app_id = ? AND kind IN ('image', 'thumb', "
                             "'voice', 'video')", (media_id if isinstance(media_id, str) else "", call.app.app_id))
    if row is None:
        raise WeChatError(40007)
    return row


@endpoint("/cgi-bin/material/del_material")
def del_material(call: ApiCall) -> dict:
    row = _permanent(call, call.body.get("media_id"))
    call.sim.state.execute("DELETE FROM media WHERE media_id = ?", (row["media_id"],))
    return ok()


@endpoint("/cgi-bin/material/get_materialcount", methods=("GET",))
def material_count(call: ApiCall) -> dict:
    counts = {r["kind"]: r["n"] for r in call.sim.state.all(
        "SELECT kind, COUNT(*) AS n FROM media WHERE app_id = ? GROUP BY kind", (call.app.app_id,))}
    return {"voice_count": counts.get("voice", 0), "video_count": counts.get("video", 0),
            "image_count": counts.get("image", 0) + counts.get("thumb", 0), "news_count": 0}


@endpoint("/cgi-bin/material/batchget_material")
def batchget_material(call: ApiCall) -> dict:
    kind = call.field("type", str)
    offset, size = call.field("offset", int), call.field("count", int)
    if kind not in ("image", "voice", "video") or offset < 0 or not 1 <= size <= 20:
        raise WeChatError(40035, "invalid args, type image|voice|video, offset >= 0, 1 <= count <= 20")
    kinds = ("image", "thumb") if kind == "image" else (kind,)
    marks = ",".join("?" * len(kinds))
    where = f"FROM media WHERE app_id = ? AND kind IN ({marks})"
    rows = call.sim.state.all(f"SELECT * {where} ORDER BY created_at DESC LIMIT ? OFFSET ?",  # noqa: S608
                              (call.app.app_id, *kinds, size, offset))
    total = call.sim.state.scalar(f"SELECT COUNT(*) {where}", (call.app.app_id, *kinds))  # noqa: S608
    items = [{"media_id": r["media_id"], "name": r["filename"] or "", "update_time": int(r["created_at"]),
              "url": r["url"] if kind == "image" else ""} for r in rows]
    return {"total_count": total, "item_count": len(items), "item": items}
