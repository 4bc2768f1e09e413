"""The inbound registry: the one door through which WeChat's callbacks reach every app.

``interaction`` owns the callback URL. It verifies, decrypts and stores each message or
event once, then calls :func:`dispatch` with a frozen :class:`InboundItem`; every app that
cares registers a handler for a *topic* in its ``inbound_handlers.py`` (imported in its
``AppConfig.ready()``)::

    from wxops.core import inbound

    @inbound.handler("event:MASSSENDJOBFINISH", priority=100)
    def on_mass_send_finished(item: inbound.InboundItem) -> inbound.Reply | None:
        event = item.message                     # a wxops.wechat.MassSendJobFinishEvent
        Delivery.objects.filter(msg_id=item.msg_id).update(sent_count=event.sent_count)
        return None                              # no passive reply

Topics: a message type (``"text"``, ``"image"``, ``"voice"``, …), ``"event:<EVENT>"``
(case-insensitive: ``"event:subscribe"`` is ``"event:SUBSCRIBE"``), or ``"*"`` for every
item. The contract:

* Handlers run in ascending ``priority`` (10 before 100; ties in registration order),
  each exactly once per *stored* item: a WeChat retry of an item already stored runs none.
* The first handler that returns a :class:`Reply` decides the passive reply; the later
  ones still run (their replies are ignored).
* They run inside the callback's transaction, each in its own savepoint: what a handler
  writes commits with the stored item, or not at all. A handler that raises is logged and
  rolled back alone — it never breaks the callback or the other handlers.
* A handler that only reads (``writes=False``: the automatic replies) runs without a
  savepoint. When every handler of a topic only reads (a follower's text, in the common
  case), the callback runs them *before* storing the item and stores it with its reply in
  one statement (:func:`reads_only`): the item's ``stored_id`` is then None, and a retry
  may run them again (they have no effects). Their ordinary exceptions are logged like any
  other's; a database error from one propagates, so the callback answers 503 and WeChat
  retries: the item is never stored without its handlers having run.
* They must be quick (WeChat waits 5 s for the answer): slow work (an HTTP call, a
  report) goes to ``transaction.on_commit`` or a task.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import DatabaseError, transaction

from wxops.wechat import Message, NewsItem

__all__ = ["InboundItem", "Reply", "Handler", "dispatch", "handler", "handlers_for", "isolated", "reads_only",
           "topic_of"]

logger = logging.getLogger("wxops.core.inbound")

#: Handlers slower than this are logged as a warning: WeChat waits only 5 s for the answer.
SLOW_HANDLER_SECONDS = 0.5
DEFAULT_PRIORITY = 100
ANY = "*"


@dataclass(frozen=True, kw_only=True)
class InboundItem:
    """One stored message or event, as the handlers see it.

    ``stored_id`` is the primary key of the stored row (``interaction.InboundMessage``), None
    when handlers that only read run before it is stored (see :func:`reads_only`);
    ``msg_id`` is WeChat's MsgId/MsgID as text ("" when there is none — it is an unsigned
    64-bit number); ``event`` is upper case ("" for a message); ``scene_key`` is a QR scene
    without ``qrscene_``; ``created_at`` is WeChat's CreateTime (None when absent or out of
    range); ``message`` is the typed message of :mod:`wxops.wechat` and ``fields`` all the
    raw XML fields.
    """

    stored_id: int | None
    account_id: int
    app_id: str
    kind: str
    msg_type: str
    event: str
    from_openid: str
    msg_id: str
    content: str
    scene_key: str
    created_at: datetime | None
    received_at: datetime
    message: Message
    fields: Mapping[str, Any]

    @property
    def topic(self) -> str:
        return topic_of(self.msg_type, self.event)


@dataclass(frozen=True)
class Reply:
    """A passive reply: text; or an image (``media_id``, a permanent image material of the account);
    or news cards (``news``, WeChat shows the first). ``source`` says which rule answered (kept with
    the stored item); ``text`` is what the inbox shows of an image or news reply."""

    text: str
    source: str = ""
    media_id: str = ""
    news: tuple[NewsItem, ...] = ()

    @property
    def kind(self) -> str:
        return "news" if self.news else "image" if self.media_id else "text"

    @property
    def answers(self) -> bool:
        return bool(self.news or self.media_id or self.text)


Handler = Callable[[InboundItem], "Reply | None"]


@dataclass(frozen=True)
class _Registration:
    topic: str
    priority: int
    order: int
    function: Handler
    writes: bool = True

    @property
    def name(self) -> str:
        return f"{self.function.__module__}.{self.function.__qualname__}"


def topic_of(msg_type: str, event: str = "") -> str:
    """The topic of a message type (``"text"``) or an event (``"event:SUBSCRIBE"``)."""
    msg_type = (msg_type or "").strip().lower()
    if msg_type == "event" or event:
        return "event:" + (event or "").strip().upper()
    return msg_type


def _normalise(topic: str) -> str:
    topic = topic.strip()
    if topic == ANY:
        return ANY
    if topic.lower().startswith("event:"):
        name = topic.split(":", 1)[1]
        if not name:
            raise ValueError("an event topic needs the event's name, e.g. 'event:subscribe'")
        return topic_of("event", name)
    if not topic or ":" in topic:
        raise ValueError(f"unknown topic {topic!r}: use a message type ('text'), 'event:<EVENT>' or '*'")
    return topic_of(topic)


_registrations: list[_Registration] = []
_counter = [0]
#: topic → (its registrations in order, whether all only read): a callback asks twice per message.
#: Emptied whenever the registrations change.
_by_topic: dict[str, tuple[list[_Registration], bool]] = {}


def handler(topic: str, *, priority: int = DEFAULT_PRIORITY, writes: bool = True) -> Callable[[Handler], Handler]:
    """Register the decorated function for ``topic``; lower ``priority`` runs first. Returns it unchanged.

    ``writes=False`` declares a handler that never writes to the database: it runs without its
    own savepoint. Registering the same function for the same topic twice (a module imported
    again) keeps one.
    """
    normalised = _normalise(topic)

    def register(function: Handler) -> Handler:
        name = f"{function.__module__}.{function.__qualname__}"
        _registrations[:] = [r for r in _registrations if not (r.topic == normalised and r.name == name)]
        _counter[0] += 1
        _registrations.append(_Registration(normalised, priority, _counter[0], function, writes))
        _by_topic.clear()
        return function

    return register


def handlers_for(topic: str) -> list[Handler]:
    """The handlers that :func:`dispatch` would call for ``topic``, in order."""
    return [r.function for r in _chosen(_normalise(topic))]


def _chosen(topic: str) -> list[_Registration]:
    return _for_topic(topic)[0]


def _for_topic(topic: str) -> tuple[list[_Registration], bool]:
    found = _by_topic.get(topic)
    if found is None:
        chosen = sorted((r for r in _registrations if r.topic in (topic, ANY)), key=lambda r: (r.priority, r.order))
        found = _by_topic[topic] = (chosen, not any(r.writes for r in chosen))
    return found


def reads_only(topic: str) -> bool:
    """Whether every handler for ``topic`` (and ``"*"``) was registered ``writes=False`` (also when there is none).

    Then the callback may run them before storing the item, and store it with its reply in
    one statement and one commit.
    """
    return _for_topic(topic)[1]


def dispatch(item: InboundItem) -> Reply | None:
    """Call every handler registered for ``item``'s topic (and ``"*"``); return the first reply.

    Call it once per newly stored item, inside the transaction that stored it (or before
    storing it, when :func:`reads_only` says so). Never raises
    for a handler's failure, except a database error in a handler registered ``writes=False``.
    """
    reply: Reply | None = None
    for registration in _chosen(item.topic):
        started = time.perf_counter()
        try:
            if registration.writes:
                with transaction.atomic():
                    answer = registration.function(item)
            else:
                answer = registration.function(item)
        except Exception as error:
            if isinstance(error, DatabaseError) and not registration.writes:
                raise  # no savepoint to roll back to: the transaction may be unusable
            logger.exception("inbound handler %s failed for item %s (%s); the others went on",
                             registration.name, item.stored_id, item.topic)
            continue
        elapsed = time.perf_counter() - started
        if elapsed > SLOW_HANDLER_SECONDS:
            logger.warning("inbound handler %s took %.2f s for item %s: move slow work to on_commit or a task",
                           registration.name, elapsed, item.stored_id)
        if reply is None and isinstance(answer, Reply) and answer.answers:
            reply = answer
    return reply


@contextmanager
def isolated(*, empty: bool = False) -> Iterator[None]:
    """Undo every registration made inside the block (for tests); ``empty`` starts with no handlers."""
    saved = list(_registrations)
    if empty:
        _registrations.clear()
        _by_topic.clear()
    try:
        yield
    finally:
        _registrations[:] = saved
        _by_topic.clear()
