"""Background work of materials: a new picture's WeChat renditions and the text in it.

Both are enqueued after the upload commits and are idempotent (a repeat finds the work
done); neither can fail an upload.
"""

from __future__ import annotations

from django_tasks import task


@task()
def make_wechat_renditions_task(picture_id: int) -> dict:
    """Make the cover, thumb and in-article renditions of a new picture."""
    from wxops.materials.models.picture import Picture
    from wxops.materials.pictures.library import make_wechat_renditions

    picture = Picture.objects.filter(pk=picture_id).first()
    if picture is None:
        return {"skipped": "picture deleted"}
    results = make_wechat_renditions(picture)
    return {kind: (value if isinstance(value, str) else value.size) for kind, value in results.items()}


@task()
def read_picture_text_task(picture_id: int) -> dict:
    """Read the text in a new picture (OCR, QR codes) into the store the content rules use."""
    from wxops.materials.models.picture import Picture
    from wxops.materials.pictures.ocr import picture_text

    picture = Picture.objects.filter(pk=picture_id).first()
    if picture is None:
        return {"skipped": "picture deleted"}
    with picture.open_file() as handle:
        read = picture_text(handle.read())
    return {"characters": len(read.text), "qr_codes": len(read.qr_codes), "error": read.error}
