"""The desk's dashboard: what this person needs today, read from the apps' models.

Wagtail's stock home (page search, page/document counts, recently edited pages) speaks of a
page tree this product does not use. :func:`panels_for` builds the desk's panels instead —
the next push slots and their status, pushes waiting for my review and their deadline,
unanswered follower messages, failing sources — each shown only to whom it concerns
(the permission its screen asks for). Read-only: nothing here changes a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from wxops.accounts.times import local
from wxops.core import clock
from wxops.editorial.actions import can_review
from wxops.editorial.models import Push, PushStatus
from wxops.interaction.inbox_conversations import describe
from wxops.interaction.models import HandledStatus, InboundKind, InboundMessage
from wxops.sources.models import Source, SourceStatus

#: How far ahead the dashboard looks for push slots.
SLOT_DAYS = 7
ROWS = 8
#: What a follower sends that a person should answer (events and platform notices need no answer).
MESSAGE_KINDS = (InboundKind.TEXT, InboundKind.IMAGE, InboundKind.VOICE, InboundKind.VIDEO,
                 InboundKind.SHORT_VIDEO, InboundKind.LOCATION, InboundKind.LINK)
#: Push statuses after which nobody waits for a review.
REVIEWED = frozenset({PushStatus.APPROVED, PushStatus.SENDING, PushStatus.SENT, PushStatus.FAILED,
                      PushStatus.CANCELLED})


@dataclass(frozen=True)
class SlotLine:
    """One push slot as the dashboard lists it; times in the account's time zone."""

    account: str
    slot: datetime
    status: str
    status_label: str
    articles: int
    deadline: datetime
    deadline_passed: bool
    url: str


@dataclass(frozen=True)
class MessageLine:
    account: str
    received: datetime
    sender: str  # a name or stable short label (粉丝 7F3A2C) and the branch when known, never the openid
    text: str
    url: str


@dataclass(frozen=True)
class SourceLine:
    name: str
    paused: bool
    failures: int
    error: str
    when: datetime | None
    url: str


def _slot_line(push: Push, now: datetime) -> SlotLine:
    return SlotLine(
        account=str(push.account), slot=push.local_slot, status=push.status,
        status_label=str(push.get_status_display()), articles=push.article_count,
        deadline=local(push.review_deadline_at, push.account),
        deadline_passed=push.review_deadline_at <= now and push.status not in REVIEWED,
        url=reverse("editorial_push", args=[push.pk]))


def next_slots(now: datetime) -> list[SlotLine]:
    """Today's and the coming week's push slots (not cancelled), soonest first."""
    start = now - timedelta(hours=12)
    pushes = (Push.objects.select_related("account").exclude(status=PushStatus.CANCELLED)
              .filter(slot_at__gte=start, slot_at__lt=now + timedelta(days=SLOT_DAYS))
              .annotate(article_count=Count("items")).order_by("slot_at")[:ROWS])
    return [_slot_line(push, now) for push in pushes]


def awaiting_review(user, now: datetime) -> list[SlotLine]:
    """Pushes in review that ``user`` may approve (not their own submissions), nearest deadline first."""
    pushes = (Push.objects.select_related("account").filter(status=PushStatus.IN_REVIEW)
              .exclude(submitted_by=user).annotate(article_count=Count("items")).order_by("review_deadline_at"))
    return [_slot_line(push, now) for push in pushes[:ROWS]]


def unanswered_messages() -> tuple[int, list[MessageLine]]:
    """How many follower messages wait for an answer, and the latest of them."""
    waiting = InboundMessage.objects.filter(status=HandledStatus.NEW, kind__in=MESSAGE_KINDS)
    latest = list(waiting.select_related("account").order_by("-received_at", "-id")[:5])
    notes = {}
    for account_id in {message.account_id for message in latest}:
        openids = [m.from_openid for m in latest if m.account_id == account_id and m.from_openid]
        notes.update({(account_id, openid): note for openid, note in describe(account_id, openids).items()})
    lines = []
    for message in latest:
        note = notes.get((message.account_id, message.from_openid))
        sender = " · ".join(part for part in (note.name, note.branch) if part) if note else ""
        lines.append(MessageLine(
            account=str(message.account), received=local(message.received_at, message.account), sender=sender,
            text=message.content[:60], url=reverse("inbox:inspect", args=[message.pk])))
    return waiting.count(), lines


def failing_sources() -> list[SourceLine]:
    """Sources whose last polls failed, or that were paused (by hand or after failing in a row)."""
    sources = Source.objects.select_related("account").filter(Q(consecutive_failures__gt=0) | Q(status=SourceStatus.PAUSED)).order_by(
        "-consecutive_failures", "name")
    return [SourceLine(
        name=source.name, paused=source.status == SourceStatus.PAUSED, failures=source.consecutive_failures,
        error=(source.last_error or source.paused_reason)[:160],
        when=local(source.last_error_at, source.account) if source.last_error_at else None,
        url=reverse("wagtailsnippets_sources_source:edit", args=[source.pk])) for source in sources[:ROWS]]


class DeskPanel(Component):
    """One dashboard panel: a heading, a template and the rows it shows."""

    def __init__(self, name: str, heading, template: str, order: int, **context):
        self.name = name
        self.heading = heading
        self.template_name = f"site/dashboard/{template}.html"
        self.order = order
        self.context = context

    def get_context_data(self, parent_context=None):
        return {"heading": self.heading, "panel_name": self.name, **self.context}


def _can(user, permission: str) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(permission))


def panels_for(user, now: datetime | None = None) -> list[DeskPanel]:
    """The panels ``user`` sees, in order; empty panels still say there is nothing to do."""
    now = now or clock.now()
    panels = []
    if can_review(user):
        panels.append(DeskPanel("awaiting_review", _("Waiting for my review"), "awaiting_review", 100,
                                pushes=awaiting_review(user, now)))
    if _can(user, "editorial.view_push"):
        panels.append(DeskPanel("next_slots", _("Next push slots"), "next_slots", 110, pushes=next_slots(now),
                                calendar_url=reverse("editorial_calendar")))
    if _can(user, "interaction.view_inboundmessage"):
        count, latest = unanswered_messages()
        panels.append(DeskPanel("unanswered", _("Unanswered messages"), "unanswered", 120, count=count,
                                messages=latest, inbox_url=reverse("inbox:index") + "?status=new"))
    if _can(user, "sources.view_source"):
        panels.append(DeskPanel("failing_sources", _("Failing sources"), "failing_sources", 130,
                                sources=failing_sources(),
                                sources_url=reverse("wagtailsnippets_sources_source:list")))
    return panels
