"""Plain text out of HTML fragments (feed summaries, submitted bodies)."""

from __future__ import annotations

import html as html_lib
import re

_BLOCK = re.compile(r"</?(p|div|br|li|h[1-6]|tr|section|article|blockquote)\b[^>]*>", re.IGNORECASE)
_DROP = re.compile(r"<(script|style|noscript)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(fragment: str) -> str:
    """Strip tags, keep paragraph breaks as blank lines, unescape entities."""
    if not fragment:
        return ""
    text = _DROP.sub(" ", fragment)
    text = _BLOCK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html_lib.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n\n".join(line for line in lines if line)
