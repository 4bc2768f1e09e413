"""Avatars drawn locally from a person's initials.

Wagtail asks Gravatar for every avatar, which needs the internet: offline (or behind the
company's firewall) every page showed a broken image. A person who uploaded a picture in
their account settings keeps it; everyone else gets their initials on a colour of their own,
as an inline SVG (a ``data:`` URL, so no request and nothing to break).
"""

from __future__ import annotations

import hashlib
import unicodedata
from urllib.parse import quote

from django.utils.html import escape

#: Background colours with white text readable on them (WCAG AA for large text).
COLOURS = ("#2e6ca4", "#1f7a5a", "#8a4fb3", "#b3541e", "#a33a5a", "#3d6b7a", "#6b5b2e", "#4a5bb3")


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(char, "").startswith("CJK") for char in text)


def initials(user) -> str:
    """Two letters for a Latin name (Jane Doe → JD), the given name's first two characters for a
    Chinese one (王小明 with given name 小明 → 小明), else the user name's first two."""
    first = (getattr(user, "first_name", "") or "").strip()
    last = (getattr(user, "last_name", "") or "").strip()
    name = first or last
    if name and _is_cjk(name):
        return name[:2]
    if first and last:
        return (first[0] + last[0]).upper()
    return (name or getattr(user, "get_username", lambda: "")() or "?")[:2].upper()


def colour(user) -> str:
    key = str(getattr(user, "pk", "") or getattr(user, "get_username", lambda: "")())
    return COLOURS[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(COLOURS)]


def svg(user, size: int = 50) -> str:
    letters = escape(initials(user))
    font = size * (0.4 if len(letters) > 1 else 0.5)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">'
            f'<rect width="{size}" height="{size}" fill="{colour(user)}"/>'
            f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#fff" font-size="{font:.0f}" '
            f'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif">{letters}</text></svg>')


def avatar_url(user, size: int = 50) -> str | None:
    """The ``get_avatar_url`` hook: None (Wagtail's own) when the person uploaded an avatar."""
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return "data:image/svg+xml;charset=utf-8," + quote(svg(user, size))
