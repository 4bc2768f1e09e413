"""A logging filter that keeps secrets out of every log line."""

from __future__ import annotations

import logging
import re

# access_token=…, secret=…, "app_secret": "…", EncodingAESKey and similar pairs.
_SECRET_PAIR = re.compile(
    r"(?i)((?:access_token|secret|app_secret|appsecret|token|encoding_aes_key|aes_key|password)"
    r"[\"']?\s*[=:]\s*[\"']?)([^\s&\"',}]+)"
)


def redact(text: str) -> str:
    return _SECRET_PAIR.sub(lambda match: match.group(1) + "***", text)


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
