import json

import pytest

from wxops.simulator.tests.conftest import errcode


@pytest.fixture(autouse=True)
def raw_tokens(api):
    api.auto_refresh = False


def stable(sim, api, **extra):
    return sim.http.post("/cgi-bin/stable_token", json={
        "grant_type": "client_credential", "appid": api.app_id, "secret": api.config["app_secret"], **extra}).json()


def test_stable_token_is_the_same_until_less_than_300_seconds_remain(sim, api):
    first = stable(sim, api)
    sim.advance(7200 - 301)
    again = stable(sim, api)
    assert again["access_token"] == first["access_token"]
    assert again["expires_in"] == 301
    sim.advance(2)
    renewed = stable(sim, api)
    assert renewed["access_token"] != first["access_token"]
    assert renewed["expires_in"] == 7200
    # The old token lives out its last seconds, then has expired.
    api.token = first["access_token"]
    assert errcode(api.get("/cgi-bin/draft/count")) == 0
    sim.advance(300)
    assert errcode(api.get("/cgi-bin/draft/count")) == 42001


def test_force_refresh_rotates_invalidates_and_respects_gap_and_daily_cap(sim, api):
    old = stable(sim, api)["access_token"]
    forced = stable(sim, api, force_refresh=True)["access_token"]
    assert forced != old
    api.token = old
    assert errcode(api.get("/cgi-bin/draft/count")) == 40001
    sim.advance(10)
    assert stable(sim, api, force_refresh=True)["access_token"] == forced  # within 30 s: no refresh
    for _ in range(19):
        sim.advance(31)
        assert "access_token" in stable(sim, api, force_refresh=True)
    sim.advance(31)
    assert errcode(stable(sim, api, force_refresh=True)) == 45009


def test_cgi_bin_token_invalidates_the_previous_after_a_300_second_grace(sim, api):
    params = {"grant_type": "client_credential", "appid": api.app_id, "secret": api.config["app_secret"]}
    first = sim.http.get("/cgi-bin/token", params=params).json()["access_token"]
    second = sim.http.get("/cgi-bin/token", params=params).json()["access_token"]
    assert first != second
    api.token = first
    assert errcode(api.get("/cgi-bin/draft/count")) == 0
    sim.advance(300)
    assert errcode(api.get("/cgi-bin/draft/count")) == 40001
    api.token = second
    assert errcode(api.get("/cgi-bin/draft/count")) == 0


def test_token_slots_are_isolated(sim, api):
    params = {"grant_type": "client_credential", "appid": api.app_id, "secret": api.config["app_secret"]}
    stable_token = stable(sim, api)["access_token"]
    sim.http.get("/cgi-bin/token", params=params)
    sim.http.get("/cgi-bin/token", params=params)
    sim.advance(400)
    api.token = stable_token
    assert errcode(api.get("/cgi-bin/draft/count")) == 0


def test_credential_errors(sim, api):
    assert errcode(stable(sim, api, secret="wrong")) == 40125
    assert errcode(sim.http.post("/cgi-bin/stable_token", json={"grant_type": "client_credential",
                                                                "appid": "wxnobody", "secret": "x"}).json()) == 40013
    assert errcode(stable(sim, api, grant_type="password")) == 40002
    assert errcode(sim.http.get("/cgi-bin/stable_token").json()) == 43002
    assert errcode(sim.http.get("/cgi-bin/draft/count").json()) == 41001
    assert errcode(sim.http.get("/cgi-bin/draft/count", params={"access_token": "x" * 40}).json()) == 40001
    assert errcode(sim.http.get("/cgi-bin/draft/count", params={"access_token": "bad token"}).json()) == 40014


def test_expired_token_answers_42001(sim, api):
    sim.advance(7200)
    assert errcode(api.get("/cgi-bin/draft/count")) == 42001


def test_ip_whitelist(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}", ip_whitelist=["10.0.0.1"])
    answer = stable(sim, api)
    assert errcode(answer) == 40164
    assert "127.0.0.1" in answer["errmsg"]
    assert errcode(api.get("/cgi-bin/draft/count")) == 40164


def test_errors_carry_a_rid_and_never_leak_the_secret(sim, api):
    answer = stable(sim, api, secret="wrong")
    assert " rid: " in answer["errmsg"]
    calls = sim.inspect("/api-calls", path="/cgi-bin/stable_token")["calls"]
    assert calls and all(api.config["app_secret"] not in str(call) for call in calls)


def test_the_call_log_masks_issued_tokens(sim, api):
    """The docs promise tokens masked in /sim/inspect/api-calls: a stable_token answer
    keeps the first 8 characters (to match /tokens), never the token itself."""
    fresh = sim.token(api.app_id, api.config["app_secret"])
    old_style = sim.http.get("/cgi-bin/token", params={
        "grant_type": "client_credential", "appid": api.app_id, "secret": api.config["app_secret"]}).json()
    issued = {api.token, fresh, old_style["access_token"]}
    calls = sim.inspect("/api-calls")["calls"]
    logged = [json.loads(c["response"]) for c in calls if c["path"] in ("/cgi-bin/stable_token", "/cgi-bin/token")]
    assert len(logged) == 3
    assert {answer["access_token"] for answer in logged} == {token[:8] + "***" for token in issued}
    assert all(token not in json.dumps(calls) for token in issued)
    rid_answer = sim.http.post("/cgi-bin/openapi/rid/get", params={"access_token": fresh},
                               json={"rid": calls[-1]["rid"]}).json()
    assert fresh not in json.dumps(rid_answer)
