"""WeChat's callback POSTs as a thin WSGI application, in front of Django's request handling.

A burst after a push brings thousands of callbacks; Django's handler spent more on each
(request object, URL resolution through the whole site, middleware, response object) than
the callback's own work. :func:`application` serves the common case — a POST to
``/wechat/callback/<AppID>/`` for a host the site allows, over a scheme it accepts — with the
same code as the Django view (:func:`views.receive_post`: verification, the timestamp window,
size limit, one statement to store, never a traceback), and hands everything else (GET URL
checks, other methods, unusual hosts, an HTTP request when the site redirects to HTTPS) to
Django's handler given as ``fallback``.

As Django's middleware, Django's ``request_started`` / ``request_finished`` signals are not sent
for a callback: sending them cost a tenth of a callback's work (every connection and cache
alias looked up twice through thread-local proxies). Of what their receivers do, the only
part a callback needs — closing the database connection once it is older than
``CONN_MAX_AGE`` or left unusable by an error — :func:`_after_callback` does after each one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http.request import split_domain_port, validate_host

from . import views

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]
_STATUS = {200: "200 OK", 400: "400 Bad Request", 403: "403 Forbidden", 404: "404 Not Found",
           413: "413 Request Entity Too Large", 503: "503 Service Unavailable"}


def django_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers Django's SecurityMiddleware adds to an answer (HSTS only when ``secure``), asked
    of the middleware itself once, so the layer follows Django's settings and rules, not a copy."""
    from django.http import HttpRequest, HttpResponse
    from django.middleware.security import SecurityMiddleware

    request = HttpRequest()
    request.is_secure = lambda: secure
    blank = HttpResponse()
    answer = SecurityMiddleware(lambda _request: blank).process_response(request, HttpResponse())
    return [(name, value) for name, value in answer.items() if name not in blank]


def _secure(environ: dict) -> bool:
    proxy = settings.SECURE_PROXY_SSL_HEADER
    if proxy:
        header, value = proxy
        return environ.get(header, "").split(",", 1)[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


def _host_allowed(environ: dict) -> bool:
    """Whether the host is one the site allows (as ``HttpRequest.get_host`` decides; in doubt: no, and
    Django's handler answers it)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def make_application(prefix: str, fallback: WSGIApp) -> WSGIApp:
    """The callback's WSGI application for URLs under ``prefix`` (``/wechat/callback/``); the rest to ``fallback``."""
    pattern = re.compile(re.escape(prefix) + r"([A-Za-z0-9_-]{1,64})/?")
    headers = {False: django_headers(False), True: django_headers(True)}

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        match = pattern.fullmatch(environ.get("PATH_INFO", ""))
        secure = _secure(environ)
        if (match is None or environ.get("REQUEST_METHOD") != "POST" or not _host_allowed(environ)
                or (settings.SECURE_SSL_REDIRECT and not secure)):
            return fallback(environ, start_response)
        try:
            answer = views.receive_post(match.group(1), dict(parse_qsl(environ.get("QUERY_STRING", ""),
                                                                        keep_blank_values=True)),
                                        lambda: _read(environ), environ.get("REMOTE_ADDR", ""))
        finally:
            _after_callback()
        body = answer.body.encode("utf-8")
        start_response(_STATUS.get(answer.status, f"{answer.status} Error"),
                       [("Content-Type", answer.content_type), ("Content-Length", str(len(body))),
                        *headers[secure]])
        return [body]

    return application


def _after_callback() -> None:
    """Close this thread's database connection if it is past ``CONN_MAX_AGE`` or an error left it
    unusable (what ``close_old_connections`` does at the end of a Django request); never inside a
    transaction (a test's), where it would end it."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.connection is not None and not db.in_atomic_block:
        db.close_if_unusable_or_obsolete()


def _read(environ: dict) -> bytes | None:
    try:
        declared = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    stream = environ["wsgi.input"]
    return views.read_body(environ, lambda size: stream.read(min(size, declared)) if declared > 0 else b"")
