"""WeChat-ready renditions of a picture, made with Pillow; the size limits are WeChat's.

=========  ==============================  ====================================
kind       shape                           limit (WeChat)
=========  ==============================  ====================================
cover      900×383 (2.35:1), JPEG           crop centred on the focal point
thumb      at most 200×200, JPEG            ≤ 64 KB (thumb media)
inline     at most 1080 wide, JPEG or PNG   ≤ 1 MB (uploadimg for article bodies)
=========  ==============================  ====================================

A picture that is too big is never rejected silently: it is resized and recompressed
step by step until it fits, and every step is recorded in ``Rendition.steps`` so the
editor sees what was done. Only a picture that cannot be made to fit at all raises
:class:`RenditionError` (with the reason).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps

from .hashing import open_image

COVER_SIZE = (900, 383)
THUMB_BOX = 200
THUMB_MAX_BYTES = 64 * 1024
INLINE_MAX_WIDTH = 1080
INLINE_MAX_BYTES = 1024 * 1024


class RenditionError(ValueError):
    """A picture could not be made to fit WeChat's limits; the message says why."""


@dataclass(frozen=True)
class Focus:
    """The focal area in original-image pixels (Wagtail's focal_point_x/y/width/height)."""

    x: int
    y: int
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class Rendition:
    kind: str
    data: bytes
    format: str  # "jpeg" or "png"
    width: int
    height: int
    steps: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(self.data)


def _prepared(data: bytes, steps: list[str] | None = None) -> Image.Image:
    image = open_image(data)
    source_format = image.format
    frames = getattr(image, "n_frames", 1)
    if frames > 1:
        image.seek(0)
        if steps is not None:  # WeChat shows a still here: say the animation is gone
            steps.append(f"animated {source_format or 'picture'} of {frames} frames: only the first frame kept "
                         "(a still picture)")
    image = ImageOps.exif_transpose(image)  # phone photos carry their rotation in EXIF
    image.format = source_format  # exif_transpose returns a copy without it
    return image


def _rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.split()[-1])
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def crop_box(size: tuple[int, int], ratio: float, focus: Focus | None) -> tuple[int, int, int, int]:
    """The largest box of aspect ``ratio`` inside ``size``, centred on the focus where it can be."""
    width, height = size
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    cx = focus.x if focus else width / 2
    cy = focus.y if focus else height / 2
    left = min(max(0, round(cx - box_w / 2)), width - box_w)
    top = min(max(0, round(cy - box_h / 2)), height - box_h)
    return left, top, left + box_w, top + box_h


def cover(data: bytes, focus: Focus | None = None) -> Rendition:
    """A 900×383 JPEG cover cropped around the focal point (the centre when there is none)."""
    steps: list[str] = []
    image = _rgb(_prepared(data, steps))
    ratio = COVER_SIZE[0] / COVER_SIZE[1]
    box = crop_box(image.size, ratio, focus)
    if box != (0, 0, *image.size):
        steps.append(f"cropped to 2.35:1 around {'the focal point' if focus else 'the centre'}")
    image = image.crop(box)
    if image.size[0] < COVER_SIZE[0]:
        steps.append(f"enlarged from {image.size[0]} px wide (a larger original would look sharper)")
    image = image.resize(COVER_SIZE, Image.Resampling.LANCZOS)
    return Rendition("cover", _jpeg(image, 85), "jpeg", *COVER_SIZE, tuple(steps))


def thumb(data: bytes, focus: Focus | None = None) -> Rendition:
    """A square-ish JPEG thumb of at most 200×200 and at most 64 KB."""
    steps: list[str] = []
    image = _rgb(_prepared(data, steps))
    image = image.crop(crop_box(image.size, 1.0, focus))
    image.thumbnail((THUMB_BOX, THUMB_BOX), Image.Resampling.LANCZOS)
    return _fit_jpeg("thumb", image, THUMB_MAX_BYTES, steps)


def inline(data: bytes) -> Rendition:
    """An in-article JPEG or PNG of at most 1080 px wide and 1 MB, recompressed or resized as needed.

    PNGs (screenshots, charts, transparency) stay PNG when they fit; otherwise they are
    quantised, then turned into JPEG (on white) as a last step — each step is recorded.
    """
    steps: list[str] = []
    original = _prepared(data, steps)
    source_format = (original.format or "").upper()
    image = original
    if image.width > INLINE_MAX_WIDTH:
        height = round(image.height * INLINE_MAX_WIDTH / image.width)
        image = image.resize((INLINE_MAX_WIDTH, height), Image.Resampling.LANCZOS)
        steps.append(f"resized from {original.width} to {INLINE_MAX_WIDTH} px wide")
    if source_format == "PNG" or image.mode in ("RGBA", "LA", "P"):
        png = _png(image)
        if len(png) <= INLINE_MAX_BYTES:
            return Rendition("inline", png, "png", image.width, image.height, tuple(steps))
        quantised = _png(image.convert("RGBA").quantize(256))
        if len(quantised) <= INLINE_MAX_BYTES:
            steps.append("PNG reduced to 256 colours to fit 1 MB")
            return Rendition("inline", quantised, "png", image.width, image.height, tuple(steps))
        steps.append("PNG too large even with 256 colours: converted to JPEG")
    elif source_format == "JPEG" and not steps and len(data) <= INLINE_MAX_BYTES:
        return Rendition("inline", data, "jpeg", image.width, image.height, ())
    elif source_format not in ("JPEG", ""):
        steps.append(f"converted from {source_format} to JPEG")
    return _fit_jpeg("inline", _rgb(image), INLINE_MAX_BYTES, steps)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _fit_jpeg(kind: str, image: Image.Image, limit: int, steps: list[str]) -> Rendition:
    """Lower the quality, then the size, until the JPEG is within ``limit`` bytes."""
    for _attempt in range(12):
        for quality in (88, 80, 70, 60, 50, 40):
            encoded = _jpeg(image, quality)
            if len(encoded) <= limit:
                if quality < 88:
                    steps.append(f"JPEG quality {quality} to fit {limit // 1024} KB")
                return Rendition(kind, encoded, "jpeg", image.width, image.height, tuple(steps))
        smaller = (max(1, round(image.width * 0.8)), max(1, round(image.height * 0.8)))
        if smaller == image.size or min(smaller) < 16:
            break
        steps.append(f"resized to {smaller[0]}×{smaller[1]} to fit {limit // 1024} KB")
        image = image.resize(smaller, Image.Resampling.LANCZOS)
    raise RenditionError(f"无法压缩到 {limit // 1024} KB 以内 / could not make the {kind} fit {limit // 1024} KB")
