"""Reading the inbox as conversations: one per follower, newest first, and the thread of one.

    from wxops.interaction import inbox_conversations as conversations
    page = conversations.summaries(account, status="open")     # [Summary, …] newest first
    thread = conversations.thread(account, openid)               # [Entry, …] oldest first

Who a follower is: WeChat no longer gives nicknames, so a follower is shown by a stable short
label (粉丝 7F3A2C, from the openid), unless an app that knows more registered a
*describer* — ``promotion`` knows the branch; being above ``interaction`` it registers here
(:func:`register_describer`) instead of being imported.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wxops.accounts import times
from wxops.accounts.models import Account
from wxops.core import clock

from .models import HandledStatus, InboundKind, InboundMessage
from .models.conversations import Conversation, ConversationStatus, CustomerServiceReply, SendStatus

#: WeChat lets an account send customer-service messages for 48 hours after the follower's last message.
SERVICE_WINDOW = timedelta(hours=48)
#: The kinds a follower writes (a conversation is made of these; events are shown in the thread only).
MESSAGE_KINDS = (InboundKind.TEXT, InboundKind.IMAGE, InboundKind.VOICE, InboundKind.VIDEO, InboundKind.SHORT_VIDEO,
                 InboundKind.LOCATION, InboundKind.LINK)


@dataclass(frozen=True)
class FollowerNote:
    """What an app knows of a follower: a name to show and their branch ("" when unknown)."""

    name: str = ""
    branch: str = ""


Describer = Callable[[int, list[str]], Mapping[str, FollowerNote]]
_describers: list[Describer] = []


def register_describer(describer: Describer) -> Describer:
    """Register ``describer(account_id, openids) -> {openid: FollowerNote}``; later ones fill what earlier left empty."""
    if describer not in _describers:
        _describers.append(describer)
    return describer


def short_label(openid: str) -> str:
    """A stable short label for a follower without a known name, never the raw openid: 粉丝 7F3A2C."""
    digest = hashlib.sha256(openid.encode("utf-8")).hexdigest()[:6].upper()
    return _("Follower %(code)s") % {"code": digest}


def describe(account_id: int, openids: list[str]) -> dict[str, FollowerNote]:
    """A note for each openid: the registered describers' name and branch, else the short label."""
    notes = {openid: FollowerNote() for openid in openids}
    for describer in _describers:
        for openid, note in (describer(account_id, openids) or {}).items():
            if openid in notes:
                known = notes[openid]
                notes[openid] = FollowerNote(known.name or note.name, known.branch or note.branch)
    return {openid: FollowerNote(note.name or short_label(openid), note.branch) for openid, note in notes.items()}


@dataclass(frozen=True)
class Summary:
    """One row of the conversation list."""

    openid: str
    name: str
    branch: str
    last_at: datetime
    last_text: str
    last_kind: str
    messages: int
    unanswered: int
    status: str
    assigned_to: str
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def open(self) -> bool:
        return self.status == ConversationStatus.OPEN


def is_open(conversation: Conversation | None, last_at: datetime) -> bool:
    """Open unless resolved after the follower's last message (writing again reopens it)."""
    return (conversation is None or conversation.status != ConversationStatus.RESOLVED
            or conversation.resolved_at is None or conversation.resolved_at < last_at)


def summaries(account: Account, *, status: str = "", assigned_to=None, tag: str = "", unanswered_only: bool = False,
              search: str = "") -> list[Summary]:
    """The account's conversations, newest message first, filtered as asked.

    ``status``: "open", "resolved" or "" (all). Grouping happens in the database; the
    staff's notes are joined in Python (a conversation row exists only once someone acted).
    """
    messages = InboundMessage.objects.filter(account=account, kind__in=MESSAGE_KINDS).exclude(from_openid="")
    if search:
        messages = messages.filter(Q(content__icontains=search) | Q(from_openid=search))
    grouped = list(messages.values("from_openid").annotate(
        last_at=Max("received_at"), total=Count("pk"),
        unanswered=Count("pk", filter=Q(status=HandledStatus.NEW))).order_by("-last_at"))
    openids = [row["from_openid"] for row in grouped]
    notes = {c.openid: c for c in Conversation.objects.filter(account=account, openid__in=openids)
             .select_related("assigned_to")} if openids else {}
    chosen = []
    for row in grouped:
        conversation = notes.get(row["from_openid"])
        state = ConversationStatus.OPEN if is_open(conversation, row["last_at"]) else ConversationStatus.RESOLVED
        if status and state != status:
            continue
        if unanswered_only and not row["unanswered"]:
            continue
        if assigned_to is not None and (conversation is None or conversation.assigned_to_id != assigned_to.pk):
            continue
        if tag and (conversation is None or tag not in conversation.tag_list()):
            continue
        chosen.append((row, conversation, state))
    return _with_last_messages(account, chosen)


def _with_last_messages(account: Account, chosen) -> list[Summary]:
    openids = [row["from_openid"] for row, _c, _s in chosen]
    last: dict[str, InboundMessage] = {}
    for message in (InboundMessage.objects.filter(account=account, kind__in=MESSAGE_KINDS, from_openid__in=openids)
                    .order_by("from_openid", "-received_at", "-id").only("from_openid", "content", "kind")):
        last.setdefault(message.from_openid, message)
    people = describe(account.pk, openids)
    result = []
    for row, conversation, state in chosen:
        openid = row["from_openid"]
        message = last.get(openid)
        who = conversation.assigned_to if conversation is not None else None
        result.append(Summary(
            openid=openid, name=people[openid].name, branch=people[openid].branch, last_at=row["last_at"],
            last_text=(message.content if message and message.content else
                       (message.get_kind_display() if message else "")),
            last_kind=message.kind if message else "", messages=row["total"], unanswered=row["unanswered"],
            status=state, assigned_to=(who.get_full_name() or who.get_username()) if who else "",
            tags=tuple(conversation.tag_list()) if conversation else ()))
    return result


@dataclass(frozen=True)
class Entry:
    """One line of a thread: from the follower (with the automatic reply it got) or from staff."""

    at: datetime
    incoming: bool
    text: str
    kind: str
    auto_reply: str = ""
    auto_reply_source: str = ""
    status: str = ""
    sender: str = ""
    message_id: int | None = None
    reply_id: int | None = None
    question: str = ""  # for a staff reply: the follower's text it answered (offered to the knowledge base)
    sent: bool = False


#: What answered a message automatically (``InboundMessage.reply_source``, written in English by
#: the handlers), as staff read it.
_FIXED_SOURCES = {"welcome": gettext_noop("welcome"), "default reply": gettext_noop("default reply"),
                  "branch welcome": gettext_noop("branch welcome")}
_NUMBERED_SOURCE = re.compile(r"^(keyword rule|knowledge base) (\d+)(?: \(([\d.]+)\))?$")


def reply_source_label(source: str) -> str:
    """``keyword rule 3`` → 关键词规则 3, ``knowledge base 5 (0.82)`` → 知识库条目 5（匹配度 0.82）…"""
    if source in _FIXED_SOURCES:
        return _(_FIXED_SOURCES[source])
    match = _NUMBERED_SOURCE.match(source)
    if match is None:
        return source
    kind, number, confidence = match.groups()
    if kind == "keyword rule":
        return _("keyword rule %(number)s") % {"number": number}
    if confidence:
        return _("knowledge base entry %(number)s, match %(confidence)s") % {"number": number, "confidence": confidence}
    return _("knowledge base entry %(number)s") % {"number": number}


def thread(account: Account, openid: str) -> list[Entry]:
    """Everything between the account and the follower, oldest first: messages, events and replies."""
    entries = []
    for message in InboundMessage.objects.filter(account=account, from_openid=openid).order_by("received_at", "id"):
        entries.append(Entry(at=message.received_at, incoming=True,
                             text=message.content or message.scene_key or message.get_kind_display(),
                             kind=message.get_kind_display(), auto_reply=message.reply,
                             auto_reply_source=reply_source_label(message.reply_source), status=message.get_status_display(),
                             message_id=message.pk))
    for reply in (CustomerServiceReply.objects.filter(account=account, openid=openid)
                  .select_related("sent_by", "in_reply_to")):
        who = reply.sent_by
        entries.append(Entry(at=reply.sent_at or reply.created_at, incoming=False, text=reply.text,
                             kind=_("Customer-service message"), status=reply.get_status_display(),
                             sender=(who.get_full_name() or who.get_username()) if who else "", reply_id=reply.pk,
                             question=reply.in_reply_to.content if reply.in_reply_to else "",
                             sent=reply.status == SendStatus.SENT))
    return sorted(entries, key=lambda e: (e.at, 0 if e.incoming else 1))


def last_message(account: Account, openid: str) -> InboundMessage | None:
    """The follower's latest message (not an event): it opens the service window."""
    return (InboundMessage.objects.filter(account=account, from_openid=openid, kind__in=MESSAGE_KINDS)
            .order_by("-received_at", "-id").first())


def window_closes_at(account: Account, openid: str) -> datetime | None:
    """When the 48-hour customer-service window closes (None: the follower never wrote)."""
    message = last_message(account, openid)
    return message.received_at + SERVICE_WINDOW if message else None


def window_open(account: Account, openid: str) -> bool:
    closes = window_closes_at(account, openid)
    return closes is not None and clock.now() < closes


def local(at: datetime | None, account: Account) -> datetime | None:
    """``at`` in the account's time zone (what every inbox page shows)."""
    return times.local(at, account)


def tags_in_use(account: Account) -> list[str]:
    tags: set[str] = set()
    for value in Conversation.objects.filter(account=account).exclude(tags="").values_list("tags", flat=True):
        tags.update(Conversation(tags=value).tag_list())
    return sorted(tags)


def known_openids(account: Account, openids: Iterable[str]) -> set[str]:
    return set(InboundMessage.objects.filter(account=account, from_openid__in=list(openids))
               .values_list("from_openid", flat=True))
