"""The callback's thin WSGI layer (``interaction.fast``): the same answers as the Django view, and
everything it does not serve handed to Django's handler."""

from __future__ import annotations

import io
import time
from urllib.parse import urlencode

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wxops.interaction import fast, views
from wxops.interaction.models import InboundMessage

from .conftest import make_account, sign, text_xml
from .test_callback_fuzz import bodies, params

PREFIX = "/wechat/callback/"


def call(environ: dict) -> tuple[str, dict, bytes, bool]:
    """(status, headers, body, whether Django's handler got it) through the fast application."""
    handed_over = []

    def fallback(environ, start_response):
        handed_over.append(environ)
        start_response("418 Handed over", [])
        return [b""]

    answered = {}

    def start_response(status, headers):
        answered.update(status=status, headers=dict(headers))

    body = b"".join(fast.make_application(PREFIX, fallback)(environ, start_response))
    return answered["status"], answered["headers"], body, bool(handed_over)


def environ_for(path: str, query: dict | str, body: bytes = b"", method: str = "POST", **extra) -> dict:
    return {"REQUEST_METHOD": method, "PATH_INFO": path,
            "QUERY_STRING": query if isinstance(query, str) else urlencode(query), "CONTENT_TYPE": "text/xml",
            "CONTENT_LENGTH": str(len(body)), "SERVER_NAME": "testserver", "SERVER_PORT": "80",
            "HTTP_HOST": "testserver", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(), "REMOTE_ADDR": "127.0.0.1", **extra}


def post(account, signed, **extra):
    return call(environ_for(f"{PREFIX}{account.app_id}/", signed.query, signed.body, **extra))


def test_a_message_is_stored_and_answered_with_the_security_headers(account):
    status, headers, body, handed_over = post(account, sign(account, text_xml(account, "快速通道", msg_id=5)))
    assert (status, body, handed_over) == ("200 OK", b"success", False)
    assert headers["X-Content-Type-Options"] == "nosniff" and "Strict-Transport-Security" not in headers
    assert InboundMessage.objects.get(account=account).content == "快速通道"


def test_a_retry_is_stored_once(account):
    signed = sign(account, text_xml(account, msg_id=6))
    assert post(account, signed)[0] == post(account, signed)[0] == "200 OK"
    assert InboundMessage.objects.filter(account=account).count() == 1


def test_the_url_without_its_slash_is_served_too(account):
    signed = sign(account, text_xml(account, msg_id=7))
    status, _headers, _body, handed_over = call(environ_for(f"{PREFIX}{account.app_id}", signed.query, signed.body))
    assert (status, handed_over) == ("200 OK", False)
    assert InboundMessage.objects.filter(account=account).count() == 1


@pytest.mark.parametrize("query, expected", [
    ("signature=%C3%A9&timestamp=1&nonce=1", "403 Forbidden"),  # non-ASCII signature
    ("signature=0&timestamp=1&nonce=1", "403 Forbidden"),
])
def test_a_bad_signature_is_403_and_stores_nothing(plain_account, query, expected):
    body = text_xml(plain_account, msg_id=8).encode()
    assert call(environ_for(f"{PREFIX}{plain_account.app_id}/", query, body))[0] == expected
    assert InboundMessage.objects.count() == 0


def test_a_copied_signature_cannot_bring_another_message(plain_account):
    signed = sign(plain_account, text_xml(plain_account, "第一条", msg_id=9))
    assert post(plain_account, signed)[0] == "200 OK"
    forged = type(signed)(signed.query, text_xml(plain_account, "伪造", msg_id=10).encode())
    assert post(plain_account, forged)[0] == "403 Forbidden"
    assert list(InboundMessage.objects.values_list("content", flat=True)) == ["第一条"]


def test_a_body_over_the_limit_is_413_before_it_is_read(plain_account):
    signed = sign(plain_account, text_xml(plain_account, msg_id=11))
    stream = io.BytesIO(signed.body)
    status = call(environ_for(f"{PREFIX}{plain_account.app_id}/", signed.query, signed.body, **{
        "CONTENT_LENGTH": str(views.MAX_BODY + 1), "wsgi.input": stream}))[0]
    assert status == "413 Request Entity Too Large" and stream.tell() == 0
    assert InboundMessage.objects.count() == 0


def test_a_chunked_body_is_read(account):
    signed = sign(account, text_xml(account, "分块", msg_id=12))
    environ = environ_for(f"{PREFIX}{account.app_id}/", signed.query, signed.body, HTTP_TRANSFER_ENCODING="chunked",
                          **{"wsgi.input_terminated": True})
    del environ["CONTENT_LENGTH"]
    assert call(environ)[0] == "200 OK"
    assert InboundMessage.objects.get().content == "分块"


def test_an_unknown_account_is_404(db):
    assert call(environ_for(f"{PREFIX}wx0000000000nobody/", "signature=x&timestamp=1&nonce=1", b"<xml/>"))[0] \
        == "404 Not Found"


@pytest.mark.parametrize("change", [
    {"REQUEST_METHOD": "GET"}, {"REQUEST_METHOD": "PUT"}, {"HTTP_HOST": "evil.example.com"},
    {"PATH_INFO": PREFIX + "wx%E9/"}, {"PATH_INFO": PREFIX + "wx1/extra/"},
])
def test_what_it_does_not_serve_goes_to_django(account, change):
    signed = sign(account, text_xml(account, msg_id=13))
    environ = environ_for(f"{PREFIX}{account.app_id}/", signed.query, signed.body)
    environ.update(change)
    assert call(environ)[3] is True
    assert InboundMessage.objects.count() == 0


def test_with_the_https_redirect_on_a_plain_http_request_goes_to_django(account, settings):
    settings.SECURE_SSL_REDIRECT = True
    signed = sign(account, text_xml(account, msg_id=14))
    assert post(account, signed)[3] is True
    status, headers, _body, handed_over = post(account, signed, **{"wsgi.url_scheme": "https"})
    assert (status, handed_over) == ("200 OK", False)


def test_over_https_it_sends_hsts_as_the_site_does(account, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    status, headers, _body, _handed = post(account, sign(account, text_xml(account, msg_id=15)),
                                           **{"wsgi.url_scheme": "https"})
    assert status == "200 OK" and headers["Strict-Transport-Security"] == "max-age=3600"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=params, body=bodies, mode=st.sampled_from(["plain", "compatible", "safe"]),
       chunked=st.booleans())
def test_the_fast_layer_never_answers_5xx_to_garbage(accounts, params, body, mode, chunked):
    account = accounts[mode]
    body = body.encode("utf-8", "surrogatepass") if isinstance(body, str) else body
    extra = {"HTTP_TRANSFER_ENCODING": "chunked", "wsgi.input_terminated": True, "CONTENT_LENGTH": ""} if chunked \
        else {}
    status, _headers, _body, _handed = call(environ_for(f"{PREFIX}{account.app_id}/", params, body, **extra))
    assert int(status.split()[0]) < 500


@pytest.mark.django_db(transaction=True)
def test_a_dead_kept_connection_is_replaced_and_the_message_stored():
    """No health check before each callback: a kept connection that died (a PostgreSQL restart) is
    found dead by the store, replaced, and the message stored on the new one — not a 503."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite connections do not die under the process")
    from django.db import connections

    account = make_account("safe")
    connection.close()  # the session's connection may be past CONN_MAX_AGE: a callback would close it
    assert post(account, sign(account, text_xml(account, msg_id=16)))[0] == "200 OK"
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    assert post(account, sign(account, text_xml(account, msg_id=17)))[0] == "200 OK"
    assert connection.connection.info.backend_pid != pid
    assert sorted(InboundMessage.objects.values_list("msg_id", flat=True)) == ["16", "17"]


@pytest.mark.django_db(transaction=True)
def test_on_sqlite_a_callbacks_insert_holds_the_writers_turn():
    """While the callback's insert runs, another process cannot take the writers' turn (it would wait
    on the file lock, not sleep in SQLite's busy handler); between callbacks nobody holds it."""
    if connection.vendor != "sqlite":
        pytest.skip("only SQLite's writers take turns")
    import fcntl
    import os

    path = connection.settings_dict["NAME"] + "-callbacks.lock"

    def turn_taken() -> bool:
        other = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # another open file: as another process sees it
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(other, fcntl.LOCK_UN)
            return False
        except BlockingIOError:
            return True
        finally:
            os.close(other)

    seen = []

    def probe(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT INTO"):
            seen.append(turn_taken())
        return execute(sql, params, many, context)

    account = make_account("safe")
    with connection.execute_wrapper(probe):
        assert post(account, sign(account, text_xml(account, msg_id=18)))[0] == "200 OK"
    assert seen == [True] and not turn_taken()
    assert InboundMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_kept_connection_is_closed_after_a_callback_once_past_its_age():
    account = make_account("safe")
    connection.close()  # a new one: the session's may be past CONN_MAX_AGE already
    post(account, sign(account, text_xml(account, msg_id=71)))
    kept = connection.connection
    assert kept is not None  # CONN_MAX_AGE: kept between callbacks
    post(account, sign(account, text_xml(account, msg_id=72)))
    assert connection.connection is kept
    connection.close_at = time.monotonic() - 1  # as 60 s later
    status = post(account, sign(account, text_xml(account, msg_id=73)))[0]
    assert status == "200 OK" and connection.connection is None  # closed after answering, as Django would
    assert InboundMessage.objects.filter(account=account).count() == 3


def test_a_callback_inside_a_transaction_never_closes_it(account):
    close_at, connection.close_at = connection.close_at, time.monotonic() - 1
    try:
        assert post(account, sign(account, text_xml(account, msg_id=74)))[0] == "200 OK"
        assert connection.in_atomic_block and InboundMessage.objects.filter(account=account).count() == 1
    finally:
        connection.close_at = close_at
