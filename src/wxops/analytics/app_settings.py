"""The analytics settings (parsed by ``wxops.site.environment``, listed in docs/settings.md)."""

from __future__ import annotations

from django.conf import settings


def lookback_days() -> int:
    """How many days back the periodic sync looks for missing statistics."""
    return int(getattr(settings, "WXOPS_ANALYTICS_LOOKBACK_DAYS", 30))


def report_weekday() -> int:
    """The weekday (0 = Monday) the fortnightly report is made on."""
    return int(getattr(settings, "WXOPS_REPORT_WEEKDAY", 0))


def report_recipients() -> list[str]:
    """Who gets the fortnightly report by email, besides the account's administrators."""
    return list(getattr(settings, "WXOPS_REPORT_EMAILS", []))
