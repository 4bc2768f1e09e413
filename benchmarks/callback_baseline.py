"""The bare baseline of ``callback_load.py``: a WSGI app that only verifies and decrypts a safe-mode
callback with wechatpy and answers ``success`` — no framework, no database. What a callback costs
before anything is stored is the floor wxops is measured against.

Configured by the environment (the benchmark sets it): ``BASELINE_TOKEN``, ``BASELINE_AES_KEY``,
``BASELINE_APP_ID``. Run: ``gunicorn --chdir benchmarks callback_baseline:app``.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

_crypto = WeChatCrypto(os.environ["BASELINE_TOKEN"], os.environ["BASELINE_AES_KEY"], os.environ["BASELINE_APP_ID"])


def app(environ, start_response):
    query = {key: values[0] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    try:
        _crypto.decrypt_message(body, query.get("msg_signature", ""), query.get("timestamp", ""),
                                query.get("nonce", ""))
    except (InvalidSignatureException, InvalidAppIdException, ValueError):
        start_response("403 Forbidden", [("Content-Type", "text/plain")])
        return [b"invalid signature"]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"success"]
