"""Flat pictures are not all duplicates of each other; an animated GIF's lost animation is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from wxops.materials.pictures import wechat
from wxops.materials.pictures.hashing import distance, is_flat, looks_the_same, perceptual_hash
from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def text_card(text: str, size=(900, 500)) -> Image.Image:
    """A white card with one short line of text: what the pHash calls the same as any other such card."""
    if not Path(FONT).exists():
        pytest.skip("the Noto Sans CJK font is not installed (apt-get install fonts-noto-cjk; make test does it)")
    card = Image.new("RGB", size, (255, 255, 255))
    font = ImageFont.truetype(FONT, 20)
    ImageDraw.Draw(card).text((60, 230), text, fill=(20, 20, 20), font=font)
    return card


def test_two_different_text_cards_hash_alike_but_are_not_the_same_picture():
    first = encoded(text_card("本周六融智大讲堂：股权设计"), "PNG")
    second = encoded(text_card("年度汇算清缴截止提醒"), "PNG")
    assert distance(perceptual_hash(first), perceptual_hash(second)) <= 8  # pHash alone would call it a duplicate
    assert is_flat(first) and is_flat(second)
    assert not looks_the_same(first, second)


def test_plain_colours_are_different_pictures_and_the_same_colour_is_the_same():
    red, blue = encoded(Image.new("RGB", (800, 600), (200, 30, 30)), "PNG"), encoded(
        Image.new("RGB", (800, 600), (30, 30, 200)), "PNG")
    assert distance(perceptual_hash(red), perceptual_hash(blue)) == 0
    assert not looks_the_same(red, blue)
    assert looks_the_same(red, encoded(Image.new("RGB", (400, 300), (200, 30, 30)), "JPEG", quality=80))


def test_a_resized_recompressed_text_card_is_still_the_same_picture():
    card = text_card("本周六融智大讲堂：股权设计")
    assert looks_the_same(encoded(card, "PNG"), encoded(card.resize((450, 250)), "JPEG", quality=70))


def test_a_photo_is_not_flat():
    assert not is_flat(encoded(scene(3), "PNG"))


def test_an_animated_gif_becomes_a_still_and_says_so():
    frames = [Image.new("RGB", (300, 300), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    for made in (wechat.cover(gif), wechat.thumb(gif), wechat.inline(gif)):
        assert any("animated GIF of 3 frames" in step for step in made.steps), made.steps
    still = encoded(frames[0], "GIF")
    assert not any("animated" in step for step in wechat.inline(still).steps)
