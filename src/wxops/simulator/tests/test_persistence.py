
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
