import defusedxml.ElementTree as SafeET

from wxops.wechat.crypto import CallbackCrypto, signature


def account_with_callback(sim, api, receiver, **config):
    sim.control("POST", f"/accounts/{api.app_id}", callback_url=receiver.url, **config)
    return api.config


def test_plain_message_callback_is_signed_and_the_reply_recorded(sim, api, receiver):
    config = account_with_callback(sim, api, receiver)
    openid = api.subscribe(1)[0]
    sim.drain()
    receiver.requests.clear()
    receiver.reply = (f"<xml><ToUserName><![CDATA[{openid}]]></ToUserName><FromUserName><![CDATA[gh]]></FromUserName>"
                      "<CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType>"
                      "<Content><![CDATA[收到]]></Content></xml>")
    result = sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/message", content="社保基数什么时候调整？")
    callback = result["callback"]
    assert callback["status"] == "delivered" and len(callback["tries"]) == 1
    request = receiver.requests[0]
    query = request["query"]
    assert query["signature"] == signature(config["token"], query["timestamp"], query["nonce"])
    assert query["openid"] == openid and "encrypt_type" not in query
    root = SafeET.fromstring(request["body"])
    assert root.findtext("Content") == "社保基数什么时候调整？" and root.findtext("MsgType") == "text"
    assert root.findtext("MsgId") == callback["msg_id"]
    assert "收到" in callback["reply_plain"]
    replies = sim.inspect(f"/accounts/{api.app_id}/outbox", kind="reply")["items"]
    assert [r["openid"] for r in replies if f'"callback_id": {callback["id"]}' in r["payload"]] == [openid]


def test_safe_mode_callback_is_encrypted_and_an_encrypted_reply_is_read(sim, api, receiver):
    config = account_with_callback(sim, api, receiver, encrypt_mode="safe")
    crypto = CallbackCrypto(config["token"], config["encoding_aes_key"], api.app_id)

    def reply(query, body):
        plain = crypto.decrypt(body, msg_signature=query["msg_signature"], timestamp=query["timestamp"],
                               nonce=query["nonce"])
        sender = SafeET.fromstring(plain).findtext("FromUserName")
        answer = (f"<xml><ToUserName><![CDATA[{sender}]]></ToUserName><MsgType><![CDATA[text]]></MsgType>"
                  "<Content><![CDATA[欢迎关注]]></Content></xml>")
        return crypto.encrypt(answer, timestamp="1700000000", nonce="42")

    receiver.reply = reply
    result = sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", scene_str="branch:001")
    callback = result["callbacks"][0]
    assert callback["event"] == "subscribe" and callback["status"] == "delivered"
    request = receiver.requests[0]
    assert request["query"]["encrypt_type"] == "aes"
    assert "<Encrypt>" in request["body"] and "subscribe" not in request["body"]
    plain = crypto.decrypt(request["body"], msg_signature=request["query"]["msg_signature"],
                           timestamp=request["query"]["timestamp"], nonce=request["query"]["nonce"])
    assert SafeET.fromstring(plain).findtext("EventKey") == "qrscene_branch:001"
    assert "欢迎关注" in callback["reply_plain"]


def test_unencrypted_reply_in_safe_mode_is_flagged(sim, api, receiver):
    account_with_callback(sim, api, receiver, encrypt_mode="safe")
    receiver.reply = "<xml><Content>plain</Content></xml>"
    callback = sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe")["callbacks"][0]
    assert callback["reply_plain"] == "safe mode: the reply is not encrypted"
    assert sim.inspect(f"/accounts/{api.app_id}/outbox", kind="reply")["total"] == 0


def test_three_tries_with_the_same_msg_id_when_the_server_is_slow(sim, api, receiver):
    account_with_callback(sim, api, receiver, callback_timeout=0.2)
    openid = api.subscribe(1)[0]
    sim.drain()
    receiver.requests.clear()
    receiver.delay = 0.5
    callback = sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/message", content="在吗")["callback"]
    assert callback["status"] == "failed"
    assert [t["attempt"] for t in callback["tries"]] == [1, 2, 3]
    assert all(t["error"] == "no answer within 0.2 s" for t in callback["tries"])
    bodies = {r["body"] for r in receiver.wait_for(3)}
    assert len(bodies) == 1  # the same body, hence the same MsgId, on every try


def test_a_retry_after_a_failure_then_success(sim, api, receiver):
    account_with_callback(sim, api, receiver)
    openid = api.subscribe(1)[0]
    sim.drain()
    receiver.requests.clear()
    receiver.fail_first = 1
    callback = sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/message", content="hi")["callback"]
    assert callback["status"] == "delivered"
    assert [(t["attempt"], t["status_code"]) for t in callback["tries"]] == [(1, 500), (2, 200)]


def test_masssendjobfinish_and_publishjobfinish(sim, api, receiver):
    account_with_callback(sim, api, receiver)
    api.subscribe(3)
    sent = api.sendall(api.draft(), clientmsgid="cb")
    sim.advance(5)
    sim.drain()
    finish = sim.inspect("/callbacks", event="MASSSENDJOBFINISH")["callbacks"]
    assert len(finish) == 1
    root = SafeET.fromstring(finish[0]["xml"])
    assert root.findtext("MsgID") == str(sent["msg_id"])
    assert [root.findtext(n) for n in ("TotalCount", "FilterCount", "SentCount", "ErrorCount")] == ["3", "3", "3", "0"]
    submitted = api.post("/cgi-bin/freepublish/submit", {"media_id": api.draft(title="发布")})
    assert api.post("/cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})["publish_status"] == 1
    sim.advance(5)
    status = api.post("/cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})
    assert status["publish_status"] == 0 and status["article_detail"]["count"] == 1
    sim.drain()
    published = sim.inspect("/callbacks", event="PUBLISHJOBFINISH")["callbacks"]
    info = SafeET.fromstring(published[0]["xml"]).find("PublishEventInfo")
    assert info.findtext("publish_id") == submitted["publish_id"]
    assert info.findtext("article_id") == status["article_id"]
    assert published[0]["status"] == "delivered"


def test_callback_faults_drop_fail_duplicate(sim, api, receiver):
    account_with_callback(sim, api, receiver)
    openid = api.subscribe(1)[0]
    sim.drain()
    receiver.requests.clear()
    sim.fault(target="callback", mode="drop")
    url = f"/accounts/{api.app_id}/followers/{openid}/message"
    dropped = sim.control("POST", url, content="1")["callback"]
    assert dropped["status"] == "dropped" and dropped["tries"] == []
    sim.fault(target="callback", mode="fail", count=1)
    failed = sim.control("POST", url, content="2")["callback"]
    assert failed["status"] == "failed" and len(failed["tries"]) == 3
    assert receiver.requests == []
    sim.fault(target="callback", mode="duplicate")
    twice = sim.control("POST", url, content="3")["callback"]
    assert twice["status"] == "delivered" and len(twice["tries"]) == 2
    assert len(receiver.wait_for(2)) == 2


def test_url_verification_echoes(sim, api, receiver):
    account_with_callback(sim, api, receiver)
    assert sim.control("POST", f"/accounts/{api.app_id}/verify-callback")["ok"] is True
