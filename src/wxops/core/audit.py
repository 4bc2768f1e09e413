"""The audit log: who did what to which object, and why.

Built on Wagtail's log entries, so every record also shows in the admin's history and
reports. Each app registers its action names with :func:`register` in its
``wagtail_hooks.py`` (through the ``register_log_actions`` hook)::

    audit.record(article, "wxops.article.approve", user=request.user, data={"comment": "OK"})
"""

from __future__ import annotations

from django.db import models
from wagtail.log_actions import log

#: action name → (verb, past tense) shown in the admin; filled by :func:`register`.
ACTIONS: dict[str, tuple[str, str]] = {}


def register(action: str, label: str, message: str) -> None:
    ACTIONS[action] = (label, message)


def record(instance: models.Model, action: str, *, user=None, data: dict | None = None):
    """Write one audit entry for ``instance``; ``action`` must have been registered."""
    if action not in ACTIONS:
        raise KeyError(f"audit action {action!r} is not registered; call core.audit.register first")
    return log(instance, action, user=user, data=data or {})
