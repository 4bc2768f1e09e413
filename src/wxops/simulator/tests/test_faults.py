import json
import time

import httpx

from wxops.simulator.tests.conftest import errcode

SENDALL = "/cgi-bin/message/mass/sendall"


def test_errcode_fault_for_the_next_n_calls_does_nothing(sim, api):
    api.subscribe(2)
    media_id = api.draft()
    sim.fault(target=SENDALL, errcode=-1, count=2)
    assert errcode(api.sendall(media_id, clientmsgid="f")) == -1
    assert errcode(api.sendall(media_id, clientmsgid="f")) == -1
    assert sim.inspect(f"/accounts/{api.app_id}/sends")["sends"] == []
    assert errcode(api.sendall(media_id, clientmsgid="f")) == 0
    assert sim.control("GET", "/faults")["faults"] == []


def test_fault_limited_to_one_account(sim, api):
    other = sim.register_account(app_id="wxother", app_secret="x")
    sim.fault(target="/cgi-bin/draft/count", errcode=45009, app_id="wxother", count=-1)
    assert errcode(api.get("/cgi-bin/draft/count")) == 0
    token = sim.token(other["app_id"], other["app_secret"])
    assert errcode(sim.http.get("/cgi-bin/draft/count", params={"access_token": token}).json()) == 45009
    assert errcode(sim.http.get("/cgi-bin/draft/count", params={"access_token": token}).json()) == 45009
    assert sim.control("DELETE", "/faults")["cleared"] == 1


def test_latency(sim, api):
    sim.fault(target="/cgi-bin/draft/count", mode="latency", latency_ms=300)
    started = time.monotonic()
    assert errcode(api.get("/cgi-bin/draft/count")) == 0
    assert time.monotonic() - started >= 0.3
    with httpx.Client(base_url=sim.url, timeout=0.1) as impatient:
        sim.fault(target="/cgi-bin/draft/count", mode="latency", latency_ms=400)
        try:
            impatient.get("/cgi-bin/draft/count", params={"access_token": api.token})
            raise AssertionError("expected a timeout")
        except httpx.TimeoutException:
            pass


def test_timeout_after_accept_sends_but_the_caller_never_hears(sim, api):
    api.subscribe(3)
    media_id = api.draft()
    sim.fault(target=SENDALL, mode="timeout_after_accept")
    body = {"filter": {"is_to_all": True}, "mpnews": {"media_id": media_id}, "msgtype": "mpnews",
            "clientmsgid": "slot-42"}
    try:
        sim.http.post(SENDALL, params={"access_token": api.token}, json=body)
        raise AssertionError("expected the connection to drop")
    except httpx.RemoteProtocolError:
        pass
    sim.advance(5)
    sends = sim.inspect(f"/accounts/{api.app_id}/sends")["sends"]
    assert len(sends) == 1 and sends[0]["status"] == "success"
    # The caller retries with the same clientmsgid after a minute and learns the msg_id.
    sim.advance(60)
    again = api.post(SENDALL, body)
    assert errcode(again) == 45065 and again["msg_id"] == sends[0]["msg_id"]
    assert sim.inspect(f"/accounts/{api.app_id}/reach", msg_id=again["msg_id"])["exactly_once"]


def test_publish_status_fault(sim, api):
    sim.fault(target="/cgi-bin/freepublish/submit", mode="publish_status", publish_status=2)
    submitted = api.post("/cgi-bin/freepublish/submit", {"media_id": api.draft()})
    sim.advance(5)
    status = api.post("/cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})
    assert status == {"publish_id": submitted["publish_id"], "publish_status": 2, "fail_idx": [1]}
    sim.drain()
    callback = sim.inspect("/callbacks", event="PUBLISHJOBFINISH")["callbacks"][0]
    assert "<fail_idx>1</fail_idx>" in callback["xml"] and "article_id" not in callback["xml"]


def test_api_call_log_records_faults(sim, api):
    sim.fault(target="/cgi-bin/draft/count", errcode=-1)
    api.get("/cgi-bin/draft/count")
    calls = sim.inspect("/api-calls", path="/cgi-bin/draft/count")["calls"]
    assert [(c["errcode"], c["fault"]) for c in calls] == [(-1, "errcode")]


def test_bad_fault_descriptions_are_refused(sim):
    for bad in ({"target": "draft"}, {"target": SENDALL, "mode": "explode"}, {"target": SENDALL, "mode": "errcode"},
                {"target": "callback", "mode": "latency"}, {"target": SENDALL, "errcode": 1, "count": 0}):
        response = sim.http.post("/sim/faults", json=bad)
        assert response.status_code == 400 and response.json()["error"]


def test_rid_of_an_error_can_be_looked_up(sim, api):
    failed = api.post("/cgi-bin/draft/get", {"media_id": "nope"})
    rid = failed["errmsg"].rsplit("rid: ", 1)[1]
    found = api.post("/cgi-bin/openapi/rid/get", {"rid": rid})
    assert found["errcode"] == 0
    assert json.loads(found["request"]["request_body"]) == {"media_id": "nope"}
    assert "40007" in found["request"]["response_body"] and found["request"]["client_ip"] == "127.0.0.1"
    assert api.config["app_secret"] not in str(found) and api.token not in str(found)
    assert errcode(api.post("/cgi-bin/openapi/rid/get", {"rid": "0000abcd-00000000-00000000"})) == 76001
    assert errcode(api.post("/cgi-bin/openapi/rid/get", {"rid": "not a rid"})) == 76002
