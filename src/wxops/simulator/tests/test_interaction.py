"""Comments, free publishing, users, QR codes and customer-service messages."""

from wxops.simulator.tests.conftest import errcode


def sent_article(sim, api, **article):
    api.subscribe(2)
    sent = api.sendall(api.draft(**article), clientmsgid="article")
    sim.advance(5)
    return sent["msg_data_id"]


def test_comment_lifecycle(sim, api):
    msg_data_id = sent_article(sim, api, need_open_comment=1)
    openid = sim.inspect(f"/accounts/{api.app_id}/followers")["followers"][0]["openid"]
    sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/comment",
                msg_data_id=msg_data_id, index=0, content="请问基数怎么算？")
    listing = api.post("/cgi-bin/comment/list", {"msg_data_id": msg_data_id, "index": 0, "begin": 0, "count": 10,
                                                 "type": 0})
    assert listing["total"] == 1
    comment = listing["comment"][0]
    assert (comment["openid"], comment["content"], comment["comment_type"]) == (openid, "请问基数怎么算？", 0)
    key = {"msg_data_id": msg_data_id, "index": 0, "user_comment_id": comment["user_comment_id"]}
    assert errcode(api.post("/cgi-bin/comment/reply/add", {**key, "content": "按上年平均工资"})) == 0
    assert errcode(api.post("/cgi-bin/comment/reply/add", {**key, "content": "再答"})) == 88005
    assert errcode(api.post("/cgi-bin/comment/markelect", key)) == 0
    elected = api.post("/cgi-bin/comment/list", {"msg_data_id": msg_data_id, "index": 0, "begin": 0, "count": 10,
                                                 "type": 2})
    assert elected["comment"][0]["reply"]["content"] == "按上年平均工资"
    assert elected["comment"][0]["comment_type"] == 1
    assert errcode(api.post("/cgi-bin/comment/delete", key)) == 0
    assert api.post("/cgi-bin/comment/list", {"msg_data_id": msg_data_id, "index": 0, "begin": 0,
                                              "count": 10, "type": 0})["total"] == 0
    assert errcode(api.post("/cgi-bin/comment/list", {"msg_data_id": msg_data_id, "index": 0, "begin": 0,
                                                      "count": 50, "type": 0})) == 88010
    assert errcode(api.post("/cgi-bin/comment/list", {"msg_data_id": 1, "index": 0, "begin": 0, "count": 5,
                                                      "type": 0})) == 88001
    assert errcode(api.post("/cgi-bin/comment/close", {"msg_data_id": msg_data_id, "index": 0})) == 0
    closed = sim.http.post(f"/sim/accounts/{api.app_id}/followers/{openid}/comment",
                           json={"msg_data_id": msg_data_id, "index": 0, "content": "还能评论吗"})
    assert closed.status_code == 400
    sim.control("POST", f"/accounts/{api.app_id}", comment_privilege=False)
    assert errcode(api.post("/cgi-bin/comment/open", {"msg_data_id": msg_data_id, "index": 0})) == 88000


def test_freepublish_does_not_reach_followers(sim, api):
    api.subscribe(2)
    media_id = api.draft(title="只发布")
    submitted = api.post("/cgi-bin/freepublish/submit", {"media_id": media_id})
    assert submitted["errcode"] == 0 and submitted["publish_id"]
    assert errcode(api.post("/cgi-bin/draft/get", {"media_id": media_id})) == 40007
    sim.advance(5)
    status = api.post("/cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})
    article = api.post("/cgi-bin/freepublish/getarticle", {"article_id": status["article_id"]})
    assert article["news_item"][0]["title"] == "只发布"
    listing = api.post("/cgi-bin/freepublish/batchget", {"offset": 0, "count": 10, "no_content": 1})
    assert listing["total_count"] == 1 and listing["item"][0]["article_id"] == status["article_id"]
    assert sim.inspect(f"/accounts/{api.app_id}/outbox", kind="mass")["total"] == 0
    assert errcode(api.post("/cgi-bin/freepublish/delete", {"article_id": status["article_id"]})) == 0
    assert api.post("/cgi-bin/freepublish/get", {"publish_id": submitted["publish_id"]})["publish_status"] == 5
    another = api.draft()
    sim.control("POST", f"/accounts/{api.app_id}", verified=False)
    assert errcode(api.post("/cgi-bin/freepublish/submit", {"media_id": another})) == 48001


def test_qrcode_scenes_and_subscribe_scan_events(sim, api):
    permanent = api.post("/cgi-bin/qrcode/create", {"action_name": "QR_LIMIT_STR_SCENE",
                                                    "action_info": {"scene": {"scene_str": "branch:007"}}})
    assert set(permanent) == {"ticket", "url"}
    again = api.post("/cgi-bin/qrcode/create", {"action_name": "QR_LIMIT_STR_SCENE",
                                                "action_info": {"scene": {"scene_str": "branch:007"}}})
    assert again["ticket"] == permanent["ticket"]
    temporary = api.post("/cgi-bin/qrcode/create", {"action_name": "QR_STR_SCENE", "expire_seconds": 9999999,
                                                    "action_info": {"scene": {"scene_str": "event"}}})
    assert temporary["expire_seconds"] == 2592000
    picture = sim.http.get("/cgi-bin/showqrcode", params={"ticket": permanent["ticket"]})
    assert picture.headers["content-type"] == "image/png" and picture.content.startswith(b"\x89PNG")
    assert sim.http.get("/cgi-bin/showqrcode", params={"ticket": "nope"}).status_code == 404
    assert errcode(api.post("/cgi-bin/qrcode/create", {"action_name": "QR_LIMIT_SCENE",
                                                       "action_info": {"scene": {"scene_id": 100001}}})) == 40035
    joined = sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", ticket=permanent["ticket"])
    openid = joined["openid"]
    assert "<EventKey><![CDATA[qrscene_branch:007]]></EventKey>" in joined["callbacks"][0]["xml"]
    assert f"<Ticket><![CDATA[{permanent['ticket']}]]></Ticket>" in joined["callbacks"][0]["xml"]
    scanned = sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", openid=openid,
                          ticket=permanent["ticket"])
    assert "<Event><![CDATA[SCAN]]></Event>" in scanned["callbacks"][0]["xml"]
    info = api.get("/cgi-bin/user/info", openid=openid)
    assert (info["subscribe"], info["subscribe_scene"], info["qr_scene_str"]) == (1, "ADD_SCENE_QR_CODE",
                                                                                  "branch:007")
    sim.advance(2592000)
    assert sim.http.get("/cgi-bin/showqrcode", params={"ticket": temporary["ticket"]}).status_code == 404


def test_user_get_pages_and_unsubscribe(sim, api):
    openids = api.subscribe(3)
    listing = api.get("/cgi-bin/user/get")
    assert listing == {"total": 3, "count": 3, "data": {"openid": openids}, "next_openid": openids[-1]}
    assert api.get("/cgi-bin/user/get", next_openid=openids[-1]) == {"total": 3, "count": 0, "next_openid": ""}
    sim.control("POST", f"/accounts/{api.app_id}/followers/{openids[0]}/unsubscribe")
    assert api.get("/cgi-bin/user/info", openid=openids[0]) == {"subscribe": 0, "openid": openids[0]}
    assert api.get("/cgi-bin/user/get")["total"] == 2
    assert errcode(api.get("/cgi-bin/user/info", openid="o" + "z" * 27)) == 40003


def test_custom_messages_need_the_48_hour_window(sim, api):
    openid = api.subscribe(1)[0]
    text = {"touser": openid, "msgtype": "text", "text": {"content": "您好"}}
    sim.advance(61)
    assert errcode(api.post("/cgi-bin/message/custom/send", text)) == 45015  # subscribe window: 1 minute
    sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/message", content="请问在吗", wait=False)
    for _ in range(5):
        assert errcode(api.post("/cgi-bin/message/custom/send", text)) == 0
    assert errcode(api.post("/cgi-bin/message/custom/send", text)) == 45047
    sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/message", content="还有问题", wait=False)
    sim.advance(48 * 3600 + 1)
    assert errcode(api.post("/cgi-bin/message/custom/send", text)) == 45015
    assert errcode(api.post("/cgi-bin/message/custom/send", {**text, "msgtype": "fax"})) == 40008
    assert sim.inspect(f"/accounts/{api.app_id}/outbox", kind="custom")["total"] == 5


def test_clear_quota(sim, api):
    for _ in range(10):
        assert errcode(api.post("/cgi-bin/clear_quota", {"appid": api.app_id})) == 0
    assert errcode(api.post("/cgi-bin/clear_quota", {"appid": api.app_id})) == 48006


def test_menu_click_is_an_event_that_opens_a_short_window(sim, api):
    openid = api.subscribe(1)[0]
    sim.advance(120)
    clicked = sim.control("POST", f"/accounts/{api.app_id}/followers/{openid}/message", msg_type="event",
                          key="FEEDBACK", wait=False)["callback"]
    assert clicked["event"] == "CLICK" and "<EventKey><![CDATA[FEEDBACK]]></EventKey>" in clicked["xml"]
    assert "<MsgId>" not in clicked["xml"]
    text = {"touser": openid, "msgtype": "text", "text": {"content": "请留言"}}
    assert errcode(api.post("/cgi-bin/message/custom/send", text)) == 0
    sim.advance(61)
    assert errcode(api.post("/cgi-bin/message/custom/send", text)) == 45015


def _scan(png: bytes) -> str:
    """What a phone reads from a QR picture (OpenCV's detector, an implementation independent of ours)."""
    import cv2
    import numpy

    image = cv2.imdecode(numpy.frombuffer(png, numpy.uint8), cv2.IMREAD_GRAYSCALE)
    text, _points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    return text


def test_showqrcode_is_a_scannable_code_of_the_url_and_a_scan_subscribes(sim, api):
    code = api.post("/cgi-bin/qrcode/create", {"action_name": "QR_LIMIT_STR_SCENE",
                                               "action_info": {"scene": {"scene_str": "b:sz:e:0042"}}})
    picture = sim.http.get("/cgi-bin/showqrcode", params={"ticket": code["ticket"]})
    assert _scan(picture.content) == code["url"]
    joined = sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", url=_scan(picture.content))
    assert "<EventKey><![CDATA[qrscene_b:sz:e:0042]]></EventKey>" in joined["callbacks"][0]["xml"]
    assert f"<Ticket><![CDATA[{code['ticket']}]]></Ticket>" in joined["callbacks"][0]["xml"]
    refused = sim.http.post(f"/sim/accounts/{api.app_id}/followers/subscribe", json={"url": "http://weixin.qq.com/q/x"})
    assert refused.status_code == 400 and "no live QR code" in refused.json()["error"]


def test_scene_inspection_counts_first_touch_scans_and_losses(sim, api):
    sim.control("POST", f"/accounts/{api.app_id}", callback_url="")
    first = sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", scene_str="b:001", wait=False)["openid"]
    sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", scene_str="b:001", wait=False)
    sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", wait=False)  # by search
    sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", openid=first, scene_str="b:002", wait=False)
    sim.advance(3600)
    sim.control("POST", f"/accounts/{api.app_id}/followers/{first}/unsubscribe", wait=False)
    sim.control("POST", f"/accounts/{api.app_id}/followers/subscribe", openid=first, scene_str="b:002", wait=False)
    scenes = sim.inspect(f"/accounts/{api.app_id}/scenes")["scenes"]
    assert scenes["b:001"] == {"subscribe": 2, "resubscribe": 1, "unsubscribe": 1, "scan": 0, "following": 2}
    assert scenes["b:002"] == {"subscribe": 0, "resubscribe": 0, "unsubscribe": 0, "scan": 1, "following": 0}
    assert scenes[""]["subscribe"] == 1
    later = sim.inspect(f"/accounts/{api.app_id}/scenes", since=sim.control("GET", "/clock")["now"])["scenes"]
    assert later["b:001"] == {"subscribe": 0, "resubscribe": 1, "unsubscribe": 1, "scan": 0, "following": 2}
    assert sim.http.get(f"/sim/inspect/accounts/{api.app_id}/scenes", params={"since": "soon"}).status_code == 400
