"""Text and QR codes inside images, so a picture cannot carry what the text may not.

OCR uses RapidOCR (``rapidocr-onnxruntime``), whose PP-OCRv4 Chinese models ship inside the
PyPI package and run offline on the CPU (about 0.5 s for a 700×160 banner on this
machine, 1.9 s for the first image while the models load). QR codes are found with
OpenCV's ``QRCodeDetector``. An image that cannot be decoded, or whose OCR fails, is
reported as such: the caller flags it for review, it never passes silently.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

logger = logging.getLogger("wxops.compliance")

#: Larger images are scaled down before OCR: text that matters stays readable, time stays bounded.
MAX_SIDE = 2000
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImageText:
    """What was read from one image. ``error`` says why it could not be read, if it could not."""

    text: str = ""
    qr_codes: tuple[str, ...] = ()
    error: str = ""
    #: Not read yet (the worker is at it): the check cannot pass until it is (``image.pending``).
    pending: bool = False

    @property
    def checkable_text(self) -> str:
        """OCR text, then each QR payload on its own line as ``[二维码 payload]``."""
        lines = [self.text] if self.text else []
        lines += [f"[二维码 {payload}]" for payload in self.qr_codes]
        return "\n".join(lines)


_ocr_lock = threading.Lock()


@lru_cache(maxsize=1)
def _ocr_engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR()


def ocr_available() -> bool:
    try:
        _ocr_engine()
    except Exception:  # an import or model-loading failure: OCR is off, images go to review
        logger.exception("OCR engine could not start")
        return False
    return True


def _decode(data: bytes):
    """bytes → (PIL image in RGB, numpy BGR array) or raise ValueError with what is wrong."""
    import numpy
    from PIL import Image, UnidentifiedImageError

    if not data:
        raise ValueError("the image file is empty")
    if len(data) > MAX_BYTES:
        raise ValueError(f"the image is {len(data) // (1024 * 1024)} MB; at most {MAX_BYTES // (1024 * 1024)} MB")
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError) as error:
        raise ValueError(f"not a readable image ({error.__class__.__name__})") from None
    image = image.convert("RGB")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    array = numpy.asarray(image)[:, :, ::-1].copy()  # RGB → BGR, as OpenCV and RapidOCR expect
    return image, array


def find_qr_codes(array) -> tuple[str, ...]:
    import cv2

    detector = cv2.QRCodeDetector()
    try:
        found, payloads, _points, _codes = detector.detectAndDecodeMulti(array)
    except cv2.error:
        found, payloads = False, ()
    decoded = tuple(p for p in payloads if p) if found else ()
    if decoded:
        return decoded
    payload, points, _code = detector.detectAndDecode(array)
    if payload:
        return (payload,)
    if points is not None:
        return ("(undecodable QR code)",)
    return ()


def read_image(data: bytes) -> ImageText:
    """OCR text and QR payloads of the image in ``data``; never raises."""
    try:
        _image, array = _decode(data)
    except ValueError as error:
        return ImageText(error=str(error))
    except Exception as error:  # a broken codec must not crash a check
        logger.exception("image decoding failed")
        return ImageText(error=f"the image could not be decoded ({error.__class__.__name__})")
    try:
        qr_codes = find_qr_codes(array)
    except Exception:
        logger.exception("QR detection failed")
        qr_codes = ()
    try:
        engine = _ocr_engine()
        with _ocr_lock:  # one ONNX session, shared; it is not safe to run it from two threads at once
            result, _elapse = engine(array)
    except Exception as error:
        logger.exception("OCR failed")
        return ImageText(qr_codes=qr_codes, error=f"OCR failed ({error.__class__.__name__})")
    lines = [line[1] for line in result or () if len(line) > 1 and line[1]]
    return ImageText(text="\n".join(lines), qr_codes=qr_codes)
