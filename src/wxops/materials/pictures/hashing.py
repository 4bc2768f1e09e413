"""Perceptual hashes: the same picture resized, recompressed or lightly edited hashes alike.

A pHash describes a picture's shapes; a *flat* picture (a plain colour, a white card with a
line of text) has almost none, so different flat pictures hash alike (0–4 bits apart). For
those a second test decides: :func:`looks_the_same` compares small colour thumbnails pixel
by pixel.
"""

from __future__ import annotations

import io

import imagehash
from PIL import Image, UnidentifiedImageError

#: Pictures whose 64-bit pHashes are at most this many bits apart are the same picture.
#: Resizing and JPEG recompression move the pHash by 0–4 bits; different photos are ~32 apart.
DUPLICATE_DISTANCE = 8


class NotAnImage(ValueError):
    """The bytes are not an image Pillow can read; the message says so in words."""


def open_image(data: bytes) -> Image.Image:
    """Open and fully load image bytes, or raise :class:`NotAnImage`."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError as error:
        raise NotAnImage(
            f"图片像素过多 / this image has too many pixels to process safely ({error}); "
            "save it at a smaller size first"
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(
            f"这不是可识别的图片 / this file is not an image wxops can read (JPEG, PNG, GIF, WebP…): {error}"
        ) from error
    return image


def perceptual_hash(data: bytes) -> str:
    """The 64-bit pHash of an image as 16 hex digits."""
    image = open_image(data)
    return str(imagehash.phash(image.convert("RGB")))


#: A picture is flat when this share of its pixels is within FLAT_TOLERANCE of the median grey.
FLAT_SHARE = 0.8
FLAT_TOLERANCE = 12
#: Pixels differing by more than this (0–255, in any colour channel) differ.
PIXEL_TOLERANCE = 48
#: Two flat pictures are different when more than this share of their *content* pixels (those
#: apart from the background in either) differ. Resized or recompressed copies of a text card
#: measured 0–0.09; two cards with different text 0.36–0.68.
DIFFERENT_CONTENT = 0.2
#: Plain pictures (no content pixels) are the same when their mean colours are this close.
PLAIN_TOLERANCE = 24
_SIDE = 128


def _thumbnail(data: bytes):
    import numpy as np

    image = open_image(data)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    return np.asarray(image.convert("RGB").resize((_SIDE, _SIDE), Image.Resampling.BOX), dtype=np.int16)


def is_flat(data: bytes) -> bool:
    """Is the picture mostly one tone (a plain colour, a card with a little text)?"""
    import numpy as np

    grey = _thumbnail(data).mean(axis=2)
    return float((np.abs(grey - np.median(grey)) <= FLAT_TOLERANCE).mean()) >= FLAT_SHARE


def looks_the_same(a: bytes, b: bytes) -> bool:
    """Second test for flat pictures: do their content pixels (text, marks) match, or their plain colours?"""
    import numpy as np

    first, second = _thumbnail(a), _thumbnail(b)

    def content(thumb):
        background = np.median(thumb.reshape(-1, 3), axis=0)
        return np.abs(thumb - background).max(axis=2) > PIXEL_TOLERANCE

    marks = content(first) | content(second)
    if not marks.any():
        return bool(np.abs(first.mean(axis=(0, 1)) - second.mean(axis=(0, 1))).max() <= PLAIN_TOLERANCE)
    differing = np.abs(first - second).max(axis=2) > PIXEL_TOLERANCE
    return float(differing[marks].mean()) <= DIFFERENT_CONTENT


def distance(a: str, b: str) -> int:
    """Hamming distance between two hex pHashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
