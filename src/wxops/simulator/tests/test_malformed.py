"""Bad input gets WeChat's error answer, never a traceback, and the server stays up."""

import contextlib
import json

import pytest

from wxops.simulator import engine  # noqa: F401  (the engine imports every area: every endpoint is declared)
from wxops.simulator.api import ENDPOINTS

BODIES = [
    b"",
    b"   ",
    b"{",
    b"[]",
    b"null",
    b"42",
    b'"text"',
    b"\xff\xfe\x00garbage",
    b'{"articles": "nope"}',
    b'{"articles": [1, 2]}',
    b'{"articles": [{"title": ["x"]}]}',
    b'{"media_id": 12}',
    b'{"msg_id": "abc"}',
    b'{"msg_id": 1e400}',
    b'{"filter": {"is_to_all": "yes"}, "msgtype": "mpnews"}',
    b'{"begin_date": 20260101, "end_date": null}',
    b'{"msg_data_id": "x", "index": -1, "begin": "a", "count": 1000}',
    b'{"action_name": "QR_SCENE", "action_info": {"scene": {"scene_id": "a"}}}',
    b'{"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": ""}}}',
    b'{"touser": 5, "msgtype": "text", "text": "hi"}',
    b'{"offset": -1, "count": 999}',
    b'{"tag": {"name": null}, "tagid": "x", "openid_list": {}}',
    json.dumps({"articles": [{"title": "t", "content": "c" * 30000}]}).encode(),
    json.dumps(dict.fromkeys(("msg_id", "msg_data_id", "index", "begin", "count", "tagid", "publish_id", "user_comment_id", "offset", "tag_id", "expire_seconds"), 10 ** 30)).encode(),
    b"[" * 100000 + b"]" * 100000,
]


@pytest.mark.parametrize("path", sorted(p for p, e in ENDPOINTS.items() if e.needs_token))
def test_every_endpoint_answers_bad_bodies_with_an_errcode(sim, api, path):
    for body in BODIES:
        response = sim.http.post(path, params={"access_token": api.token}, content=body,
                                 headers={"Content-Type": "application/json"})
        assert response.status_code == 200, (path, body, response.text)
        answer = response.json()
        if answer.get("errcode", 0) not in (0,):
            assert answer["errcode"] != -1, (path, body, answer)  # -1 would mean the simulator itself failed
            assert "Traceback" not in answer["errmsg"]
    assert sim.http.get("/sim/health").json()["ok"] is True


@pytest.mark.parametrize("path", ["/cgi-bin/stable_token", "/cgi-bin/token"])
def test_token_endpoints_answer_bad_bodies_with_an_errcode(sim, path):
    for body in BODIES:
        answer = sim.http.post(path, content=body).json()
        assert answer["errcode"] not in (0, -1), (path, body, answer)


def test_broken_http_is_survived(sim, api):
    import socket
    from urllib.parse import urlsplit

    host, port = urlsplit(sim.url).hostname, urlsplit(sim.url).port
    for raw in (b"GARBAGE\r\n\r\n", b"POST /cgi-bin/draft/add HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
                b"POST /cgi-bin/draft/add HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", b"\x00\x01\x02"):
        with socket.create_connection((host, port), timeout=0.3) as conn:
            conn.sendall(raw)
            with contextlib.suppress(OSError):
                conn.recv(1000)
    assert sim.http.get("/sim/health").json()["ok"] is True


def test_wrong_methods_and_unknown_paths(sim, api):
    assert sim.http.get("/cgi-bin/draft/add", params={"access_token": api.token}).json()["errcode"] == 43002
    assert sim.http.put("/cgi-bin/draft/add", params={"access_token": api.token}).json()["errcode"] == 43002
    unknown = sim.http.post("/cgi-bin/no/such/api", params={"access_token": api.token})
    assert unknown.status_code == 404 and unknown.json()["errcode"] == 48001
    assert sim.http.get("/sim/nothing").status_code == 404
    assert sim.http.post("/sim/clock", content=b"{").status_code == 400
    assert sim.http.post("/sim/accounts", json={"app_id": "wx1"}).json()["error"].startswith("app_secret")
    assert sim.http.post("/sim/accounts", json={"app_id": "wx1", "app_secret": "s", "colour": 1}).status_code == 400
    assert sim.http.post("/sim/accounts/wxnone/audience", json={}).status_code == 404
    assert sim.http.post("/sim/clock", json={"set": "2020-01-01T00:00:00"}).status_code == 400


def test_account_configuration_is_checked(sim):
    base = {"app_id": "wxcheck", "app_secret": "s", "token": "t"}
    for bad, words in (({"callback_url": "ftp://x"}, "callback_url"), ({"verified": "yes"}, "true or false"),
                       ({"ip_whitelist": "10.0.0.1"}, "list of strings"), ({"encrypt_mode": "safe"}, "aes_key"),
                       ({"encoding_aes_key": "short"}, "43"), ({"account_type": "enterprise"}, "account_type")):
        response = sim.http.post("/sim/accounts", json={**base, **bad})
        assert response.status_code == 400 and words in response.json()["error"], (bad, response.text)
    assert sim.control("GET", "/accounts")["accounts"] == []


def test_a_runaway_clock_jump_is_refused(sim):
    before = sim.control("GET", "/clock")["now"]
    response = sim.http.post("/sim/clock", json={"advance_days": 5000})
    assert response.status_code == 400 and "400 days" in response.json()["error"]
    assert sim.control("GET", "/clock")["now"] == before
