"""The audit log: who did what to which object, and why.

Built on Wagtail's log entries, so every record also shows in the admin's history and
reports. Each app declares its action names once, on its ``AppConfig``; core registers
every declared action with Wagtail (the ``register_log_actions`` hook in
``core/wagtail_hooks.py``), and :func:`record` refuses a name nobody declared::

    class InteractionConfig(AppConfig):
        audit_actions = {
            "wxops.inbound.kept": (gettext_lazy("Keep message"), gettext_lazy("Inbox message kept")),
        }

    audit.record(message, "wxops.inbound.kept", user=request.user, data={"why": "a lead"})
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from wagtail.log_actions import log


@cache
def declared_actions() -> dict[str, tuple[str, str]]:
    """Action name → (label, past-tense message), from every installed app's ``audit_actions``."""
    declared: dict[str, tuple[str, str]] = {}
    for config in apps.get_app_configs():
        for action, (label, message) in getattr(config, "audit_actions", {}).items():
            if action in declared:
                raise ImproperlyConfigured(f"audit action {action!r} is declared twice (again by {config.name})")
            declared[action] = (label, message)
    return declared


def record(instance: models.Model, action: str, *, user=None, data: dict | None = None):
    """Write one audit entry for ``instance``; ``action`` must be declared by an app's ``audit_actions``."""
    if action not in declared_actions():
        raise KeyError(f"audit action {action!r} is not declared; add it to its app's AppConfig.audit_actions")
    return log(instance, action, user=user, data=data or {})
