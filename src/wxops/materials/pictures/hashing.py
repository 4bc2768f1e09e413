"""Perceptual hashes: the same picture resized, recompressed or lightly edited hashes alike."""

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


def distance(a: str, b: str) -> int:
    """Hamming distance between two hex pHashes."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
