"""The text in a picture (OCR and QR codes), read once per content and kept.

:func:`picture_text` has the shape of compliance's image reader (``bytes → ImageText``):
pass it as ``reader=`` to ``wxops.compliance.actions.check_document`` and an article's
pictures are read from the store instead of by OCR on every save. Pictures are read when
they are uploaded (:func:`wxops.materials.tasks.read_picture_text_task`), so the store is
warm by the time an article uses them.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction

from wxops.compliance.images import ImageText, read_image
from wxops.core import clock
from wxops.materials.models.picture import PictureText


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_text(data: bytes) -> ImageText | None:
    """The text read earlier from these bytes, or None when they were never read."""
    row = PictureText.objects.filter(sha256=content_key(data)).first()
    return None if row is None else ImageText(text=row.text, qr_codes=tuple(row.qr_codes))


def picture_text(data: bytes) -> ImageText:
    """The text of the picture in ``data``: from the store, else read now (and kept unless it failed)."""
    known = stored_text(data)
    if known is not None:
        return known
    read = read_image(data)
    if not read.error:
        try:
            with transaction.atomic():
                PictureText.objects.get_or_create(sha256=content_key(data), defaults={
                    "text": read.text, "qr_codes": list(read.qr_codes), "read_at": clock.now()})
        except IntegrityError:  # read at the same moment elsewhere: the same answer is stored
            pass
    return read
