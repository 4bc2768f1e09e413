"""Keeping secrets out of log lines: one rule for the client's own logs and the site's.

WeChat puts the access token in every request URL (``?access_token=…``), and httpx logs
each URL at INFO; a credential request carries ``"secret": "…"``. :func:`redact` replaces
the value of every such pair with ``***``; :class:`RedactSecretsFilter` applies it to log
records (the client installs it on httpx's loggers, the site on every handler).
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactSecretsFilter", "redact"]

# access_token=…, secret=…, "app_secret": "…", EncodingAESKey and similar pairs.
_SECRET_PAIR = re.compile(
    r"(?i)((?:access_token|secret|app_secret|appsecret|token|encoding_aes_key|aes_key|password)"
    r"[\"']?\s*[=:]\s*[\"']?)([^\s&\"',}]+)"
)


def redact(text: str) -> str:
    """``text`` with the value of every secret-looking pair replaced by ``***``."""
    return _SECRET_PAIR.sub(lambda match: match.group(1) + "***", text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter that redacts the formatted message (see :func:`redact`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a badly formatted record must not break logging
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
