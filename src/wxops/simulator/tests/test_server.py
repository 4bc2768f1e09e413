"""The command line, the process, and the page for people."""

import subprocess
import sys
import time

import httpx


def test_server_main_rejects_bad_arguments(capsys):
    from wxops.simulator.server import main

    assert main(["--port", "nope"]) == 2
    assert main(["--start", "yesterday", "--port", "0"]) == 2
    assert "--start" in capsys.readouterr().err


def test_server_main_runs_as_a_process(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "wxops.simulator.server", "--port", "0", "--state", str(tmp_path / "s.db")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("WeChat simulator on http://127.0.0.1:")
        url = line.split()[3]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                assert httpx.get(url + "/sim/health").json()["ok"] is True
                break
            except httpx.TransportError:
                time.sleep(0.05)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_overview_page_lists_accounts(sim, api):
    api.subscribe(2)
    page = sim.http.get("/sim/")
    assert page.headers["content-type"].startswith("text/html")
    assert api.app_id in page.text and "<td>2</td>" in page.text
    assert api.config["app_secret"] not in page.text


def test_wxops_simulator_command_hands_its_arguments_to_the_simulator():
    done = subprocess.run([sys.executable, "-m", "wxops.cli", "simulator", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    assert "--state STATE" in done.stdout and "Example: wxops simulator" in done.stdout
