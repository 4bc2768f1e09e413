"""The callback under gunicorn, as `wxops up` serves it: a chunked POST is read, query strings stay out of the
access log, and a worker has imported the callback's code before its first request."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from django.db import connection

from wxops.interaction.models import InboundMessage
from wxops.interaction.tests.conftest import make_account, sign, text_xml
from wxops.site.management.commands.up import ACCESS_LOG_FORMAT, worker_options
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
    yield from serve(tmp_path, ["--workers", "1"])


@pytest.fixture
def gunicorn_as_up(tmp_path: Path):
    """Two web processes with `wxops up`'s default threads each (WXOPS_WEB_THREADS)."""
    yield from serve(tmp_path, ["--workers", "2", *worker_options(4)])


def serve(tmp_path: Path, workers: list[str]):
    port = free_port()
    log = tmp_path / "access.log"
    environment = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "wxops.site.settings"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "wxops.site.wsgi:application", "--bind", f"127.0.0.1:{port}",
         *workers, "--access-logfile", str(log), "--access-logformat", ACCESS_LOG_FORMAT,
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


def test_a_burst_with_retries_on_threaded_workers_stores_each_message_once(db, gunicorn_as_up):
    """80 messages and 20 of them sent again, 16 at a time, on two processes of four threads (on
    PostgreSQL the rows arriving together share a commit): every answer 200, every message once."""
    url, _log = gunicorn_as_up
    account = make_account("safe")
    messages = [sign(account, text_xml(account, f"第 {index} 条", msg_id=5000 + index, openid=f"oBurst{index % 7}"))
                for index in range(80)]
    burst = messages + messages[::4]

    def send(signed):
        return httpx.post(f"{url}{signed.url(account)}", content=signed.body, headers={"Content-Type": "text/xml"},
                          timeout=60)

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(send, burst))

    assert [answer.status_code for answer in answers] == [200] * len(burst)
    stored = list(InboundMessage.objects.filter(account=account).values_list("msg_id", flat=True))
    assert sorted(stored, key=int) == [str(5000 + index) for index in range(80)]
