"""`wxops up` starts the whole system and stops it cleanly; a taken port is explained."""

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from wxops.site.supervisor import (
    Part,
    PortTaken,
    RestartPolicy,
    Supervisor,
    ensure_port_free,
    group_members,
    processes,
)


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


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("up")
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
                answer = httpx.get(f"{base}/healthz", timeout=2)
                health = answer.json()
                if answer.status_code == 200:
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        assert health is not None and health["checks"]["database"]["ok"]
        assert health["status"] == "ok", f"the running system is not healthy: {health}"
        assert httpx.get(f"{base}/admin/login/", timeout=5).status_code == 200
        simulator = f"http://127.0.0.1:{site_env['WXOPS_SIMULATOR_PORT']}"
        registered = httpx.get(f"{simulator}/sim/accounts", timeout=5).json()["accounts"]
        assert [account["name"] for account in registered] == ["中恒融智（演示）"]
        # The demo account talks to the simulator through the real client and the shared token store.
        probe = subprocess.run(
            [sys.executable, "-m", "wxops.cli", "shell", "-c",
             "from wxops.accounts.models import Account; from wxops.accounts.actions import client_for; "
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
    site_env = {**site_env, "PORT": str(free_port())}  # the other tests' port may linger in TIME_WAIT
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", int(site_env["PORT"])))
        holder.listen()
        result = subprocess.run([sys.executable, "-m", "wxops.cli", "up"], env=site_env, capture_output=True,
                                text=True, timeout=60)
    assert result.returncode == 1
    assert f"port {site_env['PORT']} is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def wait_for(condition, seconds=120.0):
    """Poll ``condition`` until it returns something true; the limit only bounds a hung run."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return None


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def part_pids(supervisor_pid: int) -> dict[str, int]:
    """The live parts `wxops up` runs, by name: its children that lead a process group of their own."""
    found = {}
    for process in processes():
        if process.parent != supervisor_pid or process.group != process.pid or process.state == "Z":
            continue
        line = command_line(process.pid)
        name = "web" if "gunicorn" in line else "worker" if " worker" in line else "simulator" if " simulator" in line else None
        if name:
            found[name] = process.pid
    return found


def answers(url: str) -> bool:
    """Any HTTP answer will do: the health page may rightly say 503 while the worker restarts."""
    try:
        httpx.get(url, timeout=2)
    except httpx.HTTPError:
        return False
    return True


def worker_beats(data_dir: str) -> int:
    import sqlite3

    with sqlite3.connect(os.path.join(data_dir, "wxops.sqlite3")) as db:
        row = db.execute("SELECT count FROM core_heartbeat WHERE name='worker'").fetchone()
    return row[0] if row else 0


@pytest.mark.slow
def test_up_restarts_each_part_killed_with_sigkill_and_leaves_no_orphan(site_env):
    process = wxops("up", env=site_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{site_env['PORT']}"
    simulator = f"http://127.0.0.1:{site_env['WXOPS_SIMULATOR_PORT']}"
    comes_back = {
        "web": lambda: answers(f"{base}/healthz"),
        "simulator": lambda: answers(f"{simulator}/sim/accounts"),
    }
    try:
        parts = wait_for(lambda: (found := part_pids(process.pid)).keys() == {"web", "worker", "simulator"} and found)
        assert parts, f"not all three parts started: {part_pids(process.pid)}"
        assert wait_for(comes_back["web"])
        # gunicorn's control socket lives in the data folder, not in the shared ~/.gunicorn/.
        assert f"--control-socket {site_env['WXOPS_DATA_DIR']}/gunicorn.ctl" in command_line(parts["web"])
        # Threads per web process (WXOPS_WEB_THREADS, default 4): callbacks arriving together share a commit.
        assert "--worker-class gthread --threads 4" in command_line(parts["web"])
        for name in ("web", "worker", "simulator"):
            old = part_pids(process.pid)[name]
            family = [member.pid for member in group_members(old)]
            if name == "web":
                assert len(family) >= 2, "gunicorn's master and its worker share one group"
            beats_before = worker_beats(site_env["WXOPS_DATA_DIR"])
            os.kill(old, signal.SIGKILL)
            new = wait_for(lambda: (pid := part_pids(process.pid).get(name)) not in (None, old) and pid)
            assert new, f"{name} was not restarted"
            assert wait_for(lambda: group_members(old) == []), (
                f"{name}'s old process group survives: {group_members(old)}")
            assert not [pid for pid in family if os.path.exists(f"/proc/{pid}")], f"{name} left orphans"
            if name == "worker":
                # A restarted worker announces itself with a heartbeat as it starts.
                assert wait_for(lambda: worker_beats(site_env["WXOPS_DATA_DIR"]) > beats_before)
            else:
                assert wait_for(comes_back[name]), f"{name} does not answer after its restart"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output
    for name in ("web", "worker", "simulator"):
        assert f"wxops: {name} stopped unexpectedly (killed by SIGKILL); restarting in 1 s." in output
        assert f"wxops: {name} restarted (pid " in output
    assert "Traceback" not in output
    assert part_pids(process.pid) == {}


def test_a_part_that_keeps_dying_stops_everything_with_the_reason(tmp_path):
    lines = []
    steady = Part("steady", [sys.executable, "-c", "import time; time.sleep(600)"])
    broken = Part("broken", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor = Supervisor([steady, broken], dict(os.environ), lines.append,
                            RestartPolicy(first_delay=0.01, max_delay=0.05, max_deaths=5, window=60))
    steady_child = supervisor.start(steady)
    supervisor.start(broken)
    assert supervisor.watch() == 1
    assert len([line for line in lines if line.startswith("wxops: broken restarted (pid ")]) == 4
    assert [line for line in lines if "stopped unexpectedly" in line] == [
        "wxops: broken stopped unexpectedly (exit code 3); restarting in 0.01 s.",
        "wxops: broken stopped unexpectedly (exit code 3); restarting in 0.02 s.",
        "wxops: broken stopped unexpectedly (exit code 3); restarting in 0.04 s.",
        "wxops: broken stopped unexpectedly (exit code 3); restarting in 0.05 s.",
    ]
    assert lines[-2:] == ["wxops: broken died 5 times within 60 seconds (last time: exit code 3); stopping "
                          "everything. Its own messages above say why.", "wxops: stopped."]
    assert steady_child.poll() is not None, "the healthy part was stopped too"
    assert group_members(steady_child.pid) == []
