"""Pure picture functions: renditions within WeChat's limits, focal crops, perceptual hashes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from wxops.materials.pictures import wechat
from wxops.materials.pictures.hashing import NotAnImage, distance, perceptual_hash


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(width=3000, height=2000, seed=1) -> Image.Image:
    """A noisy photo-like image: gradients plus noise, hard to compress."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 255, width)[None, :, None]
    y = np.linspace(0, 255, height)[:, None, None]
    base = np.concatenate([x + 0 * y, y + 0 * x, (x + y) / 2], axis=2)
    noise = rng.normal(0, 40, (height, width, 3))
    return Image.fromarray(np.clip(base + noise, 0, 255).astype(np.uint8))


def scene(seed: int, size=(1200, 800)) -> Image.Image:
    """A photo-like scene: coloured shapes on a background, a little noise."""
    from PIL import ImageDraw

    rng = np.random.default_rng(seed)
    image = Image.new("RGB", size, tuple(int(v) for v in rng.integers(0, 255, 3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x0, y0 = int(rng.integers(0, size[0] - 50)), int(rng.integers(0, size[1] - 50))
        x1, y1 = x0 + int(rng.integers(40, 500)), y0 + int(rng.integers(40, 400))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=colour)
    pixels = np.asarray(image).astype(float) + rng.normal(0, 6, (size[1], size[0], 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def test_cover_is_900_by_383_and_centred_on_the_focal_point():
    image = Image.new("RGB", (2000, 2000), "white")
    image.paste((255, 0, 0), (1700, 1700, 1900, 1900))  # a red square near the bottom right
    result = wechat.cover(encoded(image, "PNG"), wechat.Focus(1800, 1800, 200, 200))
    assert (result.width, result.height, result.format) == (900, 383, "jpeg")
    made = Image.open(io.BytesIO(result.data)).convert("RGB")
    assert made.size == (900, 383)
    # The crop keeps the full width and slides down to the focus: the square lands at
    # x 765–855, y 248–338 of the cover (a centred crop would have cut it off).
    red, green, _ = made.getpixel((810, 290))
    assert red > 200 and green < 80
    assert result.steps == ("cropped to 2.35:1 around the focal point",)


def test_thumb_is_at_most_64_kb():
    result = wechat.thumb(encoded(photo(), "PNG"))
    assert result.size <= 64 * 1024 and max(result.width, result.height) <= 200 and result.format == "jpeg"


def test_large_jpeg_is_resized_and_recompressed_under_1_mb_with_the_steps_recorded():
    original = encoded(photo(4000, 3000), "JPEG", quality=98)
    assert len(original) > 1024 * 1024
    result = wechat.inline(original)
    assert result.size <= 1024 * 1024 and result.width == 1080 and result.format == "jpeg"
    assert result.steps[0] == "resized from 4000 to 1080 px wide"


def test_small_jpeg_is_kept_as_it_is():
    original = encoded(photo(800, 600), "JPEG", quality=80)
    result = wechat.inline(original)
    assert result.data == original and result.steps == ()


def test_png_screenshot_stays_png_and_noisy_png_is_made_to_fit():
    screenshot = Image.new("RGBA", (1000, 700), (240, 240, 240, 255))
    assert wechat.inline(encoded(screenshot, "PNG")).format == "png"
    noisy = wechat.inline(encoded(photo(1080, 1400), "PNG"))
    assert noisy.size <= 1024 * 1024
    assert any("256 colours" in step or "JPEG" in step for step in noisy.steps)


def test_not_an_image_is_refused_in_words():
    with pytest.raises(NotAnImage, match="not an image"):
        wechat.inline(b"%PDF-1.4 this is a pdf")
    with pytest.raises(NotAnImage):
        perceptual_hash(b"")


def test_perceptual_hash_survives_resize_and_recompression_but_tells_pictures_apart():
    first, other = scene(3), scene(4)
    original = perceptual_hash(encoded(first, "PNG"))
    smaller = perceptual_hash(encoded(first.resize((600, 400)), "JPEG", quality=60))
    assert distance(original, smaller) <= 8
    assert distance(original, perceptual_hash(encoded(other, "PNG"))) > 16


def test_a_decompression_bomb_is_refused_in_words(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(NotAnImage, match="too many pixels"):
        wechat.cover(encoded(Image.new("RGB", (100, 100)), "PNG"))
