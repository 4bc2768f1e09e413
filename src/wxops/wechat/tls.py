"""One TLS context per process for the HTTP clients of WeChat calls and callbacks.

httpx builds a new :class:`ssl.SSLContext` for every ``httpx.Client`` — reading the CA
bundle each time, ≈ 50 ms of CPU — and wxops makes a client per account per task, the
simulator one per callback it delivers. An SSL context is safe to share between clients
and threads, so they all take this one: the CA bundle httpx would load (certifi, or
``SSL_CERT_FILE``/``SSL_CERT_DIR`` as set when the process first asks).
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The verifying context every ``httpx.Client`` of this process shares (``verify=tls_context()``)."""
    return httpx.create_ssl_context()
