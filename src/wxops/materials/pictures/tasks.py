"""Background work of the picture library."""

from __future__ import annotations

from django_tasks import task


@task()
def make_wechat_renditions_task(picture_id: int) -> dict:
    """Make the cover, thumb and in-article renditions of a new picture (idempotent)."""
    from wxops.materials.models.picture import Picture

    from .library import make_wechat_renditions

    picture = Picture.objects.filter(pk=picture_id).first()
    if picture is None:
        return {"skipped": "picture deleted"}
    results = make_wechat_renditions(picture)
    return {kind: (value if isinstance(value, str) else value.size) for kind, value in results.items()}
