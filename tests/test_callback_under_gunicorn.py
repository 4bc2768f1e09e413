"""The callback under gunicorn, as `wxops up` serves it: a chunked POST is read, query strings stay out of the
access log, and a worker has imported the callback's code before its first request."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.db import connection

from wxops.interaction.models import InboundMessage
from wxops.interaction.tests.conftest import make_account, sign, text_xml
from wxops.site.management.commands.up import ACCESS_LOG_FORMAT
from wxops.site.supervisor import wait_for_port

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, for a server process of its own."""
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    return f"postgres://{config['USER']}{password}@{config['HOST']}:{config['PORT'] or 5432}/{config['NAME']}"


@pytest.fixture
def gunicorn(tmp_path: Path):
    port = free_port()
    log = tmp_path / "access.log"
    environment = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "wxops.site.settings"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "wxops.site.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--access-logfile", str(log), "--access-logformat", ACCESS_LOG_FORMAT,
         "--no-control-socket"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert wait_for_port(port, timeout=120), "gunicorn did not start"
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_chunked_post_is_read_and_the_query_string_stays_out_of_the_access_log(db, gunicorn):
    url, log = gunicorn
    account = make_account("safe")
    signed = sign(account, text_xml(account, "分块发送的消息", msg_id=4242))

    def chunks():  # an iterator without a length: httpx sends it with Transfer-Encoding: chunked
        yield signed.body[:40]
        yield signed.body[40:]

    response = httpx.post(f"{url}{signed.url(account)}", content=chunks(), headers={"Content-Type": "text/xml"},
                          timeout=60)
    assert (response.status_code, response.text) == (200, "success")
    assert InboundMessage.objects.get(account=account).content == "分块发送的消息"
    written, deadline = "", time.monotonic() + 30
    while f"/wechat/callback/{account.app_id}/" not in written and time.monotonic() < deadline:
        time.sleep(0.05)  # gunicorn writes the line just after answering
        written = log.read_text()
    assert f'"POST /wechat/callback/{account.app_id}/ HTTP/1.1" 200' in written
    for secret in ("signature", "nonce", signed.query["nonce"], signed.query["msg_signature"]):
        assert secret not in written


def test_the_wsgi_module_warms_up_the_callback_before_the_first_request():
    probe = "import sys, wxops.site.wsgi; print('wxops.interaction.views' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "wxops.site.settings"})
    assert result.stdout.strip() == "True", result.stderr[-2000:]
