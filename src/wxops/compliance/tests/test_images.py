"""Text and QR codes in images (clause 2.2); an unreadable image is flagged, never passed."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from wxops.compliance.article_check import Document, ImageInput, check_document, image_report
from wxops.compliance.findings import Severity, Verdict
from wxops.compliance.images import ImageText, read_image

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
LATIN_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def banner(text, font_path, size=(900, 120)):
    image = Image.new("RGB", size, "white")
    font = ImageFont.truetype(str(font_path), 40) if font_path.exists() else ImageFont.load_default(40)
    ImageDraw.Draw(image).text((20, 30), text, font=font, fill="black")
    return image


@pytest.mark.slow
@pytest.mark.skipif(not CJK_FONT.exists(), reason="needs a CJK font (Debian fonts-noto-cjk) to draw Chinese")
def test_chinese_text_in_an_image_is_read_and_checked():
    pytest.importorskip("rapidocr_onnxruntime")
    report = image_report(ImageInput("banner.png", png(banner("转发到朋友圈领取稳赚不赔秘籍", CJK_FONT))), None, (), read_image)
    assert {(f.clause, f.rule) for f in report.findings} >= {("2.2", "inducing_share"), ("1.9", "finance_promise")}
    assert report.verdict == Verdict.BLOCK


@pytest.mark.slow
def test_a_link_written_in_an_image_is_found():
    pytest.importorskip("rapidocr_onnxruntime")
    report = image_report(ImageInput("a.png", png(banner("visit www.spam-example.top now", LATIN_FONT))), None, (),
                          read_image)
    assert [f.rule for f in report.findings] == ["external_link"]
    assert "spam-example.top" in report.findings[0].text


@pytest.mark.slow
def test_a_qr_code_in_an_image_is_reported_under_2_2():
    qrcode = pytest.importorskip("qrcode")
    pytest.importorskip("cv2")
    picture = Image.new("RGB", (600, 400), "white")
    picture.paste(qrcode.make("https://example.top/promo").get_image().convert("RGB").resize((300, 300)), (150, 50))
    report = image_report(ImageInput("qr.png", png(picture)), None, (), read_image)
    rules = [(f.rule, f.clause, f.severity) for f in report.findings]
    assert ("image.qr_code", "2.2", Severity.REVIEW) in rules
    assert ("external_link", "2.2", Severity.REVIEW) in rules


def test_an_unreadable_image_is_flagged_for_review():
    report = image_report(ImageInput("broken.jpg", b"\xff\xd8\xff not a jpeg"), None, (), read_image)
    assert [(f.rule, f.clause, f.severity) for f in report.findings] == [("image.unreadable", "2.4", Severity.REVIEW)]
    assert "not a readable image" in report.findings[0].message


def test_a_failed_ocr_never_passes_silently():
    def failing_reader(data):
        return ImageText(error="OCR failed (RuntimeError)")

    result = check_document(Document(title="季度观察", images=(ImageInput("cover", b"x"),)), reader=failing_reader)
    assert result.verdict == Verdict.REVIEW
    assert [f.rule for _field, f, _d in result.findings()] == ["image.unreadable"]


def test_a_missing_image_file_is_flagged_too():
    result = check_document(Document(images=(ImageInput("cover", None, "cannot open the file"),)))
    assert result.verdict == Verdict.REVIEW
