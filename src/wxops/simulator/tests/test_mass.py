from wxops.simulator.tests.conftest import errcode


def test_sendall_reaches_every_follower_exactly_once_and_removes_the_draft(sim, api):
    openids = api.subscribe(5)
    media_id = api.draft()
    answer = api.sendall(media_id, clientmsgid="push-2026-03-02")
    assert answer["errcode"] == 0 and answer["errmsg"] == "send job submission success"
    assert api.post("/cgi-bin/message/mass/get", {"msg_id": answer["msg_id"]})["msg_status"] == "SENDING"
    assert sim.inspect(f"/accounts/{api.app_id}/reach", msg_id=answer["msg_id"])["reached"] == 0
    sim.advance(5)
    assert api.post("/cgi-bin/message/mass/get", {"msg_id": answer["msg_id"]}) == {
        "msg_id": answer["msg_id"], "msg_status": "SEND_SUCCESS"}
    reach = sim.inspect(f"/accounts/{api.app_id}/reach", msg_id=answer["msg_id"])
    assert reach["exactly_once"] and reach["reached"] == 5 and reach["deliveries"] == 5
    assert sorted(o["openid"] for o in sim.inspect(f"/accounts/{api.app_id}/outbox", kind="mass")["items"]) \
        == sorted(openids)
    assert errcode(api.post("/cgi-bin/draft/get", {"media_id": media_id})) == 40007


def test_clientmsgid_dedup_45066_then_45065_with_the_existing_msg_id(sim, api):
    api.subscribe(2)
    first = api.sendall(api.draft(), clientmsgid="slot-1")
    again = api.sendall(api.draft(), clientmsgid="slot-1")
    assert errcode(again) == 45066
    sim.advance(60)
    again = api.sendall(api.draft(), clientmsgid="slot-1")
    assert errcode(again) == 45065 and again["msg_id"] == first["msg_id"]
    assert errcode(api.sendall(api.draft(), clientmsgid="x" * 65)) == 45067
    assert errcode(api.sendall(api.draft(), clientmsgid="长" * 22)) == 45067  # 66 bytes
    sim.advance(86400)
    assert errcode(api.sendall(api.draft(), clientmsgid="slot-1")) == 0  # outside the 24 h window
    sim.advance(10)
    assert len(sim.inspect(f"/accounts/{api.app_id}/sends")["sends"]) == 2


def test_without_clientmsgid_the_same_content_and_target_counts_as_a_duplicate(sim, api):
    api.subscribe(1)
    sim.control("POST", f"/accounts/{api.app_id}", account_type="service")
    first = api.sendall(api.draft(title="同一篇"))
    sim.advance(120)
    again = api.sendall(api.draft(title="同一篇"))
    assert errcode(again) == 45065 and again["msg_id"] == first["msg_id"]


def test_subscription_account_sends_once_per_china_day(sim, api):
    api.subscribe(3)
    assert errcode(api.sendall(api.draft(), clientmsgid="a")) == 0
    assert errcode(api.sendall(api.draft(), clientmsgid="b")) == 45028
    sim.set_clock("2026-03-03T00:00:01+08:00")
    assert errcode(api.sendall(api.draft(), clientmsgid="c")) == 0


def test_service_account_followers_receive_at_most_4_a_month(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}", account_type="service")
    tag = api.post("/cgi-bin/tags/create", {"tag": {"name": "分公司"}})["tag"]["id"]
    early = api.subscribe(2)
    api.post("/cgi-bin/tags/members/batchtagging", {"tagid": tag, "openid_list": early})
    for n in range(4):
        assert errcode(api.sendall(api.draft(title=f"第{n}篇"), clientmsgid=f"t{n}", is_to_all=False, tag_id=tag)) == 0
        sim.advance(5)
    late = api.subscribe(1)
    api.post("/cgi-bin/tags/members/batchtagging", {"tagid": tag, "openid_list": late})
    fifth = api.sendall(api.draft(title="第五篇"), clientmsgid="t5", is_to_all=False, tag_id=tag)
    sim.advance(5)
    send = next(s for s in sim.inspect(f"/accounts/{api.app_id}/sends")["sends"] if s["msg_id"] == fifth["msg_id"])
    assert (send["total_count"], send["filter_count"], send["sent_count"]) == (3, 1, 1)
    outbox = sim.inspect(f"/accounts/{api.app_id}/outbox", kind="mass", msg_id=fifth["msg_id"])["items"]
    assert [o["openid"] for o in outbox] == late


def test_service_account_is_to_all_capped_at_4_a_month(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}", account_type="service")
    api.subscribe(1)
    for n in range(4):
        assert errcode(api.sendall(api.draft(title=f"第{n}篇"), clientmsgid=f"m{n}")) == 0
    assert errcode(api.sendall(api.draft(title="第五篇"), clientmsgid="m5")) == 45028
    sim.set_clock("2026-04-01T08:00:00+08:00")
    assert errcode(api.sendall(api.draft(title="四月"), clientmsgid="m6")) == 0


def test_mass_send_protection_waits_for_the_administrator(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}", mass_send_protection=True)
    api.subscribe(2)
    first = api.sendall(api.draft(), clientmsgid="p1")
    sim.advance(600)
    assert api.post("/cgi-bin/message/mass/get", {"msg_id": first["msg_id"]})["msg_status"] == "SENDING"
    assert sim.inspect(f"/accounts/{api.app_id}/reach", msg_id=first["msg_id"])["reached"] == 0
    sim.control("POST", f"/accounts/{api.app_id}/mass/{first['msg_id']}/confirm", approve=True)
    sim.advance(5)
    assert api.post("/cgi-bin/message/mass/get", {"msg_id": first["msg_id"]})["msg_status"] == "SEND_SUCCESS"
    sim.set_clock("2026-03-03T11:30:00+08:00")
    second = api.sendall(api.draft(title="无人确认"), clientmsgid="p2")
    sim.advance(1800)
    assert api.post("/cgi-bin/message/mass/get", {"msg_id": second["msg_id"]})["msg_status"] == "SEND_FAIL"
    assert sim.inspect(f"/accounts/{api.app_id}/reach", msg_id=second["msg_id"])["reached"] == 0


def test_preview_reaches_one_follower_by_openid_or_wechat_id(sim, api):
    openid = api.subscribe(1)[0]
    api.subscribe(1, wxname="editor-li")
    media_id = api.draft()
    body = {"mpnews": {"media_id": media_id}, "msgtype": "mpnews"}
    assert api.post("/cgi-bin/message/mass/preview", {**body, "touser": openid})["errmsg"] == "preview success"
    assert errcode(api.post("/cgi-bin/message/mass/preview", {**body, "towxname": "editor-li"})) == 0
    assert errcode(api.post("/cgi-bin/message/mass/preview", {**body, "towxname": "nobody"})) == 40132
    assert errcode(api.post("/cgi-bin/message/mass/preview", {**body, "touser": "o" + "x" * 27})) == 40003
    assert sim.inspect(f"/accounts/{api.app_id}/outbox", kind="preview")["total"] == 2
    assert sim.inspect(f"/accounts/{api.app_id}/outbox", kind="mass")["total"] == 0
    assert errcode(api.post("/cgi-bin/draft/get", {"media_id": media_id})) == 0  # preview keeps the draft


def test_sendall_input_errors(api):
    media_id = api.draft()
    base = {"filter": {"is_to_all": True}, "mpnews": {"media_id": media_id}, "msgtype": "mpnews",
            "clientmsgid": "e"}
    assert errcode(api.post("/cgi-bin/message/mass/sendall", {**base, "msgtype": "hologram"})) == 40008
    assert errcode(api.post("/cgi-bin/message/mass/sendall", {**base, "mpnews": {"media_id": "nope"}})) == 40007
    assert errcode(api.post("/cgi-bin/message/mass/sendall", {**base, "filter": {"is_to_all": False}})) == 40035
    assert errcode(api.post("/cgi-bin/message/mass/sendall", {**base, "filter": {"is_to_all": False,
                                                                                "tag_id": 999}})) == 40050
    assert errcode(api.post("/cgi-bin/message/mass/sendall", {**base, "filter": "all"})) == 47001
    assert errcode(api.post("/cgi-bin/message/mass/get", {"msg_id": 42})) == 40059


def test_mass_send_rate_limit_is_60_a_minute(sim, api):
    codes = [errcode(api.post("/cgi-bin/message/mass/sendall", {})) for _ in range(61)]
    assert codes[:60] == [47001] * 60 and codes[60] == 45011
    sim.advance(60)
    assert errcode(api.post("/cgi-bin/message/mass/sendall", {})) == 47001
