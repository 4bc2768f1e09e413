"""`wxops up` starts the whole system and stops it cleanly; a taken port is explained."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from wxops.site.supervisor import PortTaken, ensure_port_free


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_taken_port_is_explained_with_the_variable_to_change():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(PortTaken) as caught:
            ensure_port_free(port, "PORT")
    assert str(caught.value) == (f"port {port} is already in use; stop what runs there or choose another port, "
                                 f"e.g. PORT={port + 1} make run")


def wxops(*args, env, **options):
    return subprocess.Popen([sys.executable, "-m", "wxops.cli", *args], env=env, **options)


@pytest.fixture
def site_env(tmp_path):
    env = {**os.environ, "WXOPS_DATA_DIR": str(tmp_path), "WXOPS_TASKS_IMMEDIATE": "false",
           "PORT": str(free_port()), "WXOPS_SIMULATOR_PORT": str(free_port()), "WXOPS_WEB_WORKERS": "1"}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "wxops.cli", "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([sys.executable, "-m", "wxops.cli", "demo"], env=env, check=True, timeout=120,
                   capture_output=True)
    return env


@pytest.mark.slow
def test_up_serves_the_admin_runs_the_worker_and_stops_on_ctrl_c(site_env):
    process = wxops("up", env=site_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{site_env['PORT']}"
    try:
        deadline, health = time.monotonic() + 90, None
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{base}/healthz", timeout=2).json()
                if health["worker_heartbeat"]:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        assert health is not None and health["database"] == "ok"
        assert health["worker_heartbeat"], "the worker's periodic heartbeat never ran"
        assert httpx.get(f"{base}/admin/login/", timeout=5).status_code == 200
        simulator = f"http://127.0.0.1:{site_env['WXOPS_SIMULATOR_PORT']}"
        registered = httpx.get(f"{simulator}/sim/accounts", timeout=5).json()["accounts"]
        assert [account["name"] for account in registered] == ["中恒融智（演示）"]
        # The demo account talks to the simulator through the real client and the shared token store.
        probe = subprocess.run(
            [sys.executable, "-m", "wxops.cli", "shell", "-c",
             "from wxops.accounts.models import Account; from wxops.accounts.wechat_client import client_for; "
             "print('drafts', client_for(Account.objects.get()).drafts.count())"],
            env={**site_env, "WECHAT_API_BASE": simulator}, capture_output=True, text=True, timeout=60)
        assert probe.stdout.strip().splitlines()[-1] == "drafts 0", probe.stderr
        # A simulated follower of the demo audience writes in; the message lands in wxops's inbox.
        app_id = registered[0]["app_id"]
        followers = httpx.get(f"{simulator}/sim/inspect/accounts/{app_id}/followers", params={"limit": 20},
                              timeout=5).json()["followers"]
        openid = next(f["openid"] for f in followers if f["subscribed"])
        callback = httpx.post(f"{simulator}/sim/accounts/{app_id}/followers/{openid}/message",
                              json={"content": "社保基数什么时候调整？"}, timeout=30).json()["callback"]
        assert [t["status_code"] for t in callback["tries"]] == [200], callback
        inbox = subprocess.run(
            [sys.executable, "-m", "wxops.cli", "shell", "-c",
             "from wxops.interaction.models import InboundMessage; "
             f"print('inbox', InboundMessage.objects.filter(from_openid='{openid}').values_list('content', flat=True)[0])"],
            env=site_env, capture_output=True, text=True, timeout=60)
        assert inbox.stdout.strip().splitlines()[-1] == "inbox 社保基数什么时候调整？", inbox.stderr
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "wxops: stopped." in output
    assert "Traceback" not in output
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base}/healthz", timeout=2)


def test_up_refuses_a_taken_port_in_one_line(site_env):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", int(site_env["PORT"])))
        holder.listen()
        result = subprocess.run([sys.executable, "-m", "wxops.cli", "up"], env=site_env, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {site_env['PORT']} is already in use" in result.stderr
    assert "Traceback" not in result.stderr
