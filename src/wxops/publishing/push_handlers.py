"""What publishing hooks into editorial: the reviewer's WeChat preview on ``submitted``, the
phone preview page's renderer (the exact HTML to be sent) and the pre-flight checks.

Only registrations here (imported in ``PublishingConfig.ready``); the work is in ``actions``
and ``tasks``.
"""

from __future__ import annotations

from wxops.editorial import actions as editorial
from wxops.editorial import preview, push_events
from wxops.publishing.actions.drafting import category_name, render_body
from wxops.publishing.actions.preflight import push_send_problems


def _local_picture_url(picture) -> str:
    return picture.get_rendition("width-1080").url


def phone_preview_body(article, account) -> str:
    """The body exactly as it will be sent, with the pictures served locally."""
    return render_body(article, image_url=_local_picture_url, category=category_name(article))


@push_events.register("submitted")
def preview_for_the_reviewers(event: push_events.PushEvent) -> None:
    from wxops.publishing.tasks import send_previews_task

    send_previews_task.enqueue(event.push_id)


@push_events.register("approved")
def send_at_the_slot(event: push_events.PushEvent) -> None:
    from wxops.publishing.tasks import arm_slot

    arm_slot(event.slot_at)


preview.register(phone_preview_body)
editorial.register_check(push_send_problems)
