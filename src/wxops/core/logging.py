"""The site's logging filter that keeps secrets out of every log line.

The rule lives with the WeChat client (:mod:`wxops.wechat.redaction`), which applies it to
its own HTTP logs; settings name it here, the site's place for logging.
"""

from wxops.wechat.redaction import RedactSecretsFilter, redact

__all__ = ["RedactSecretsFilter", "redact"]
