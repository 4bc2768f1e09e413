import httpx

from wxops.simulator.testing import running_simulator
from wxops.simulator.tests.conftest import Api


def test_state_file_keeps_everything_across_a_restart(tmp_path):
    path = str(tmp_path / "simulator.sqlite3")
    with running_simulator(path) as sim:
        config = sim.register_account(app_id="wxkeep", app_secret="keep-secret")
        api = Api(sim, config)
        token = api.refresh()
        api.subscribe(2)
        media_id = api.draft(title="留存")
        sent = api.sendall(api.draft(title="已发"), clientmsgid="keep-1")
        sim.advance(3600)
        clock = sim.control("GET", "/clock")["now"]
    with running_simulator(path, start=None) as sim:
        assert abs(sim.control("GET", "/clock")["now"] - clock) < 1
        assert sim.control("GET", "/accounts/wxkeep")["account"]["app_secret"] == "***"
        api = Api(sim, config, token=token, auto_refresh=False)
        assert api.get("/cgi-bin/draft/count") == {"total_count": 1}  # the token survived too
        assert api.post("/cgi-bin/draft/get", {"media_id": media_id})["news_item"][0]["title"] == "留存"
        assert api.post("/cgi-bin/message/mass/get", {"msg_id": sent["msg_id"]})["msg_status"] == "SEND_SUCCESS"
        sim.advance(60)
        again = api.sendall(api.draft(title="已发"), clientmsgid="keep-1")
        assert again["errcode"] == 45065 and again["msg_id"] == sent["msg_id"]
        assert sim.inspect("/accounts/wxkeep/followers")["subscribed"] == 2
        sim.set_clock("2026-03-03T11:30:00+08:00")
        api.auto_refresh = True
        second = api.sendall(api.draft(title="新"), clientmsgid="keep-2")
        assert second["msg_id"] == sent["msg_id"] + 1  # counters continue


def test_server_main_rejects_bad_arguments(capsys):
    from wxops.simulator.server import main

    assert main(["--port", "nope"]) == 2
    assert main(["--start", "yesterday", "--port", "0"]) == 2
    assert "--start" in capsys.readouterr().err


def test_server_main_runs_as_a_process(tmp_path):
    import subprocess
    import sys
    import time

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
