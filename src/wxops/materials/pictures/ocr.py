"""The text in a picture (OCR and QR codes), read once per content and kept.

:func:`picture_text` has the shape of compliance's image reader (``bytes → ImageText``):
pass it as ``reader=`` to ``wxops.compliance.actions.check_document`` and an article's
pictures are read from the store instead of by OCR on every save. Pictures are read when
they are uploaded (:func:`wxops.materials.tasks.read_picture_text_task`), so the store is
warm by the time an article uses them.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError, transaction

from wxops.compliance.images import ImageText, read_image
from wxops.core import clock
from wxops.materials.models.picture import PictureText

logger = logging.getLogger("wxops.materials")


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stored_text(data: bytes) -> ImageText | None:
    """The text read earlier from these bytes, or None when they were never read."""
    row = PictureText.objects.filter(sha256=content_key(data)).first()
    return None if row is None else ImageText(text=row.text, qr_codes=tuple(row.qr_codes))


#: A picture queued for reading is not queued again for this long (the worker may be busy).
QUEUED_SECONDS = 120


def stored_or_queued(data: bytes) -> ImageText:
    """The text read earlier from ``data``; else the picture is queued for the worker (once in a
    while, not on every look) and the answer says it is pending. Never reads in the caller."""
    known = stored_text(data)
    if known is not None:
        return known
    queue_reading(data)
    # With tasks run inline (WXOPS_TASKS_IMMEDIATE, the tests) the reading is done by now.
    return stored_text(data) or ImageText(pending=True)


def queue_reading(data: bytes) -> None:
    """Queue the worker to read the library's picture with these bytes (found by Wagtail's
    ``file_hash``), unless it was queued a moment ago."""
    from django.core.cache import cache

    from wxops.materials.models.picture import Picture
    from wxops.materials.tasks import read_picture_text_task

    file_hash = hashlib.sha1(data, usedforsecurity=False).hexdigest()
    picture = Picture.objects.filter(file_hash=file_hash).first()
    if picture is None:  # a picture saved without Wagtail's form or create_picture: hash it now, once
        unhashed = [p for p in Picture.objects.filter(file_hash="") if p.get_file_hash() == file_hash]
        picture = unhashed[0] if unhashed else None
    if picture is None or not cache.add(queued_key(picture), 1, QUEUED_SECONDS):
        return
    try:
        read_picture_text_task.enqueue(picture.pk)  # the picture is in the library already: no commit to wait for
    except Exception:  # a queue that is down must not break the page; the next look queues it again
        cache.delete(queued_key(picture))
        logger.exception("could not queue the reading of picture %s", picture.pk)


def queued_key(picture) -> str:
    """Set while the reading of a picture is queued (at upload, or by a look at an article). Its
    upload time is in the key: a database that reuses an id (a rolled-back test) is another picture."""
    return f"wxops:materials:reading:{picture.pk}:{picture.created_at.timestamp()}"


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
