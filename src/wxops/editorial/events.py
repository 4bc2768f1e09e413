"""``push_events``: the door through which higher apps hear what happens to a push.

``editorial`` cannot import ``publishing`` (the layers point down), so a push's news goes
out through this registry. Handlers run after the transaction that made the change
commits, each on its own: one that raises is logged and does not stop the others. Keep
them quick; slow work (an HTTP call to WeChat) belongs in a task the handler enqueues::

    from wxops.editorial import push_events

    @push_events.register("submitted")
    def send_preview_to_reviewer(event: push_events.PushEvent) -> None:
        send_preview_task.enqueue(event.push_id)

    push_events["held"].append(alert_the_desk)   # the same, without a decorator

Events: ``submitted`` (in review: also after an approved push went back to review),
``approved``, ``changes_requested``, ``held``, ``sending``, ``sent``, ``failed``,
``cancelled``, ``returned_to_drafting``, ``reminder`` (an hour before the review
deadline, nothing submitted) and ``escalated`` (the review deadline passed unapproved).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

logger = logging.getLogger("wxops.editorial.events")

EVENTS = ("submitted", "approved", "changes_requested", "held", "sending", "sent", "failed", "cancelled",
          "returned_to_drafting", "reminder", "escalated")


@dataclass(frozen=True)
class PushEvent:
    """What happened to which push, by whom and why. ``recipients`` are user ids to tell
    (the reviewer on ``submitted``, the editor on ``changes_requested`` …)."""

    name: str
    push_id: int
    account_id: int
    slot_at: datetime
    status: str
    user_id: int | None = None
    reason: str = ""
    recipients: tuple[int, ...] = ()


Handler = Callable[[PushEvent], None]


class PushEvents:
    """A mapping of event name → list of handlers, with :meth:`register` and :meth:`emit`."""

    PushEvent = PushEvent  # handlers may annotate ``push_events.PushEvent``

    def __init__(self, names: tuple[str, ...]):
        self._handlers: dict[str, list[Handler]] = {name: [] for name in names}

    def __getitem__(self, name: str) -> list[Handler]:
        if name not in self._handlers:
            raise KeyError(f"unknown push event {name!r}; one of {', '.join(self._handlers)}")
        return self._handlers[name]

    def __iter__(self):
        return iter(self._handlers)

    def register(self, name: str) -> Callable[[Handler], Handler]:
        handlers = self[name]

        def add(handler: Handler) -> Handler:
            if handler not in handlers:  # apps may be readied twice in tests
                handlers.append(handler)
            return handler

        return add

    def emit(self, event: PushEvent) -> None:
        """Run the handlers of ``event.name`` after the current transaction commits."""
        handlers = list(self[event.name])

        def run() -> None:
            for handler in handlers:
                try:
                    handler(event)
                except Exception:
                    logger.exception("push event %s of push %s: handler %s failed", event.name, event.push_id,
                                     getattr(handler, "__qualname__", handler))

        transaction.on_commit(run)


push_events = PushEvents(EVENTS)
