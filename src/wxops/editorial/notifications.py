"""Who hears what about a push: a notice in the admin and an email, for each push event.

Registered into :data:`wxops.editorial.push_events` in ``EditorialConfig.ready``; publishing
adds the WeChat preview to the reviewer on ``submitted`` the same way.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from wxops.accounts.times import shown
from wxops.editorial.events import PushEvent, push_events
from wxops.editorial.models import Notice, PreviewContact, Push, PushArticle
from wxops.editorial.schedule import schedule_for

logger = logging.getLogger("wxops.editorial.notifications")

REVIEWERS_GROUP = "审核人"
EDITORS_GROUP = "运营编辑"
ADMINISTRATORS_GROUP = "管理员"


def _group(name: str) -> set[int]:
    return set(get_user_model().objects.filter(groups__name=name, is_active=True).values_list("pk", flat=True))


def reviewers_of(push: Push) -> set[int]:
    """The account's reviewer, or every member of the reviewers' group; never the submitter."""
    reviewer = schedule_for(push.account).reviewer_id
    found = {reviewer} if reviewer else _group(REVIEWERS_GROUP)
    return found - {push.submitted_by_id}


def editors_of(push: Push) -> set[int]:
    """Who put the push together (submitter, who added articles), or the editors' group."""
    found = set(PushArticle.objects.filter(push=push, added_by__isnull=False).values_list("added_by", flat=True))
    if push.submitted_by_id:
        found.add(push.submitted_by_id)
    return found or _group(EDITORS_GROUP)


def administrators() -> set[int]:
    return _group(ADMINISTRATORS_GROUP) | set(
        get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("pk", flat=True))


def concerned(push: Push, event: str) -> set[int]:
    """The people to tell about ``event`` on ``push``."""
    if event == "submitted":
        return reviewers_of(push)
    if event in ("approved", "changes_requested", "reminder", "returned_to_drafting", "cancelled", "sent"):
        return editors_of(push)
    if event == "escalated":
        return reviewers_of(push) | administrators()
    if event in ("held", "failed"):
        return editors_of(push) | reviewers_of(push) | administrators()
    return set()


def message_for(push: Push, event: PushEvent) -> str:
    slot = shown(push.slot_at, push)
    texts = {
        "submitted": _("%(account)s %(slot)s: a push waits for your review (deadline %(deadline)s)."),
        "approved": _("%(account)s %(slot)s: the push was approved."),
        "changes_requested": _("%(account)s %(slot)s: the reviewer asks for changes: %(reason)s"),
        "reminder": _("%(account)s %(slot)s: the push is not submitted; the review deadline is %(deadline)s."),
        "escalated": _("%(account)s %(slot)s: the review deadline passed without approval. %(reason)s"),
        "held": _("%(account)s %(slot)s: the push is held. %(reason)s"),
        "failed": _("%(account)s %(slot)s: the send failed. %(reason)s"),
        "sent": _("%(account)s %(slot)s: the push was sent."),
        "cancelled": _("%(account)s %(slot)s: the push was cancelled. %(reason)s"),
        "returned_to_drafting": _("%(account)s %(slot)s: the push is back in drafting. %(reason)s"),
    }
    deadline = push.review_deadline_at.astimezone(push.local_slot.tzinfo).strftime("%H:%M")
    return texts[event.name] % {"account": push.account, "slot": slot, "deadline": deadline,
                                "reason": event.reason}


def tell(event: PushEvent) -> list[Notice]:
    """A notice in the admin and an email for everyone concerned by ``event``."""
    push = Push.objects.select_related("account").filter(pk=event.push_id).first()
    if push is None:
        return []
    recipients = set(event.recipients) or concerned(push, event.name)
    recipients.discard(None)
    if event.user_id and event.name not in ("held", "failed", "escalated"):
        recipients.discard(event.user_id)  # the one who acted knows
    message = message_for(push, event)
    users = list(get_user_model().objects.filter(pk__in=recipients, is_active=True))
    notices = Notice.objects.bulk_create([Notice(user=u, push=push, event=event.name, message=message)
                                          for u in users])
    emails = [u.email for u in users if u.email]
    if emails:
        try:
            send_mail(_("[wxops] %(message)s") % {"message": message[:80]}, message,
                      settings.DEFAULT_FROM_EMAIL, emails)
        except Exception as error:  # a mail server down must not lose the notices nor stop the other handlers
            logger.warning("could not email %d people about push %s (%s): %s — the notices are in the admin; "
                           "check WXOPS_SMTP_HOST", len(emails), push.pk, event.name, error)
    return notices


def preview_recipients(push: Push) -> list[PreviewContact]:
    """Where to send the WeChat preview of ``push``: each reviewer's contact for this account
    (its openid), else their contact for every account (WeChat id). For publishing's
    ``submitted`` handler: ``message/mass/preview`` with ``towxname`` or ``touser``."""
    found = []
    for user_id in sorted(reviewers_of(push)):
        contacts = list(PreviewContact.objects.filter(user_id=user_id, account=push.account)) or list(
            PreviewContact.objects.filter(user_id=user_id, account__isnull=True))
        found.extend(contacts[:1])
    return found


def register() -> None:
    for name in ("submitted", "approved", "changes_requested", "reminder", "escalated", "held", "failed", "sent",
                 "cancelled", "returned_to_drafting"):
        push_events.register(name)(tell)
