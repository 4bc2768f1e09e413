"""Times on Wagtail's inspect (detail) screens in the same zone as everywhere else.

Wagtail's inspect template renders a value with ``|localize``, which formats a datetime
without converting it: the inbox list said 20:57 (Asia/Shanghai) and the same message's
detail said 发送时间 12:57 (UTC). This display class converts to the current time zone — the
one Wagtail activates for the person (their profile, else ``WXOPS_TIME_ZONE``, which new
accounts take as theirs) — before formatting.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import formats, timezone
from django.utils.html import escape
from wagtail.admin.ui.fields import BaseFieldDisplay


class LocalDateTimeDisplay(BaseFieldDisplay):
    def render_html(self, parent_context=None) -> str:
        value = self.value
        if value is None:
            return "-"
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return escape(formats.localize(value))
