"""The client over real HTTP against a small local WeChat stand-in (see fakewechat.py)."""

import datetime as dt
import logging
import ssl

import httpx
import pytest

from wxops.wechat import (
    AppCredentialError,
    ClientUsageError,
    CredentialError,
    DateRangeError,
    DraftArticle,
    DuplicateClientMsgId,
    IPNotWhitelisted,
    MassSendResult,
    MemoryTokenStore,
    MissingClientMsgId,
    NoCommentPermission,
    OutcomeUnknown,
    PublishedArticle,
    PublishState,
    SystemBusy,
    TransportError,
    WeChatClient,
)
from wxops.wechat.tls import tls_context


def _article(**kw):
    base = {"title": "社保基数调整通知", "content": "<p>正文</p>", "thumb_media_id": "THUMB"}
    return DraftArticle(**{**base, **kw})


# -- tokens ---------------------------------------------------------------------------------


def test_token_comes_from_stable_token_once_and_is_reused(client, fake):
    client.drafts.count()
    client.drafts.count()
    assert fake.token_fetches == 1
    (fetch,) = fake.calls("/cgi-bin/stable_token")
    assert fetch.method == "POST"
    assert fetch.json == {"grant_type": "client_credential", "appid": fake.app_id, "secret": fake.app_secret, "force_refresh": False}
    assert not fake.calls("/cgi-bin/token")
    assert [r.query["access_token"] for r in fake.calls("/cgi-bin/draft/count")] == [fake.token, fake.token]


def test_invalid_token_is_refreshed_and_the_call_retried_once(client, fake):
    client.drafts.count()
    fake.rotate()  # another party forced a refresh: our stored token is dead
    fake.routes["/cgi-bin/draft/count"] = lambda rec: {"total_count": 3}
    assert client.drafts.count() == 3
    assert fake.token_fetches == 2 and fake.forced_refreshes == 0
    assert len(fake.calls("/cgi-bin/draft/count")) == 3


@pytest.mark.parametrize("code", [40001, 40014, 42001])
def test_each_token_errcode_triggers_one_refresh(client, fake, code):
    fake.fail_next("/cgi-bin/draft/count", code)
    fake.routes["/cgi-bin/draft/count"] = lambda rec: {"total_count": 1}
    assert client.drafts.count() == 1


def test_when_stable_token_returns_the_failed_token_a_forced_refresh_follows(client, fake):
    client.drafts.count()
    fake.fail_next("/cgi-bin/draft/count", 40001)  # rejected although WeChat still hands it out
    client.drafts.count()
    assert fake.forced_refreshes == 1
    calls = fake.calls("/cgi-bin/stable_token")
    assert [c.json["force_refresh"] for c in calls] == [False, False, True]


def test_a_second_token_failure_is_raised_not_looped(client, fake):
    fake.fail_next("/cgi-bin/draft/count", 40001, 40001, 40001)
    with pytest.raises(CredentialError):
        client.drafts.count()
    assert len(fake.calls("/cgi-bin/draft/count")) == 2


def test_refresh_skips_the_fetch_when_another_process_already_replaced_the_token(fake):
    store = MemoryTokenStore()
    a = WeChatClient(fake.app_id, fake.app_secret, base_url=fake.base_url, token_store=store)
    b = WeChatClient(fake.app_id, fake.app_secret, base_url=fake.base_url, token_store=store)
    a.drafts.count()
    dead = store.get(fake.app_id).value
    fake.rotate()
    b._replace_failed_token(dead)  # b noticed first and refreshed
    fetches = fake.token_fetches
    a._replace_failed_token(dead)  # a's compare sees the new token: no second fetch
    assert fake.token_fetches == fetches
    assert store.get(fake.app_id).value == fake.token
    a.close()
    b.close()


def test_wrong_secret_and_ip_whitelist_are_clear_errors(fake):
    bad = WeChatClient(fake.app_id, "not-the-secret", base_url=fake.base_url)
    with pytest.raises(AppCredentialError) as info:
        bad.drafts.count()
    assert "not-the-secret" not in str(info.value)
    good = WeChatClient(fake.app_id, fake.app_secret, base_url=fake.base_url)
    fake.fail_next("/cgi-bin/stable_token", {"errcode": 40164, "errmsg": "invalid ip 1.2.3.4, not in whitelist"})
    with pytest.raises(IPNotWhitelisted):
        good.drafts.count()
    assert not fake.calls("/cgi-bin/draft/count")


# -- retries --------------------------------------------------------------------------------


def test_busy_is_retried_for_idempotent_calls(client, fake, sleeps):
    fake.fail_next("/cgi-bin/draft/count", -1, -1)
    fake.routes["/cgi-bin/draft/count"] = lambda rec: {"total_count": 5}
    assert client.drafts.count() == 5
    assert sleeps == [0.5, 1.0]


def test_busy_stable_token_is_retried_like_any_read(client, fake, sleeps):
    fake.fail_next("/cgi-bin/stable_token", -1, -1)
    fake.routes["/cgi-bin/draft/count"] = lambda rec: {"total_count": 5}
    assert client.drafts.count() == 5
    assert len(fake.calls("/cgi-bin/stable_token")) == 3 and sleeps == [0.5, 1.0]


def test_a_forced_stable_token_refresh_is_not_retried(client, fake, sleeps):
    fake.fail_next("/cgi-bin/stable_token", -1)
    with pytest.raises(SystemBusy):
        client.fetch_stable_token(force_refresh=True)
    assert len(fake.calls("/cgi-bin/stable_token")) == 1 and sleeps == []


def test_busy_is_not_retried_for_a_mass_send(client, fake, sleeps):
    fake.fail_next("/cgi-bin/message/mass/sendall", -1)
    with pytest.raises(SystemBusy):
        client.mass.send_mpnews("MEDIA", clientmsgid="acct1|2026-06-05T11:30|42")
    assert len(fake.calls("/cgi-bin/message/mass/sendall")) == 1 and sleeps == []


def test_timeout_on_a_mass_send_is_outcome_unknown_and_sent_once(fake):
    c = WeChatClient(fake.app_id, fake.app_secret, base_url=fake.base_url, timeout=httpx.Timeout(0.3))
    c.drafts.count()  # token first
    fake.delays["/cgi-bin/message/mass/sendall"] = 1.0
    with pytest.raises(OutcomeUnknown) as info:
        c.mass.send_mpnews("MEDIA", clientmsgid="k1")
    assert not info.value.retryable
    assert len(fake.calls("/cgi-bin/message/mass/sendall")) == 1
    assert fake.token not in str(info.value)
    c.close()


def test_connection_refused_is_a_transport_error():
    c = WeChatClient("wx1", "s" * 32, base_url="http://127.0.0.1:9", retries=0)
    with pytest.raises(TransportError, match="could not connect"):
        c.drafts.count()


def test_injected_transport_replaces_the_network():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        if request.url.path == "/cgi-bin/stable_token":
            return httpx.Response(200, json={"access_token": "TOK", "expires_in": 7200})
        return httpx.Response(200, json={"total_count": 9})

    c = WeChatClient("wx1", "secret", transport=httpx.MockTransport(handler))
    assert c.drafts.count() == 9
    assert seen == ["/cgi-bin/stable_token", "/cgi-bin/draft/count"]


def test_clients_share_one_verifying_tls_context():
    """httpx would read the CA bundle for every client (≈ 50 ms of CPU): all take the process's one context."""
    first, second = WeChatClient("wx1", "s" * 32), WeChatClient("wx2", "t" * 32)
    contexts = {id(client._http._transport._pool._ssl_context) for client in (first, second)}
    assert contexts == {id(tls_context())}
    assert tls_context().verify_mode == ssl.CERT_REQUIRED and tls_context().check_hostname


def test_non_json_answer_is_a_transport_error():
    def handler(request):
        return httpx.Response(200, text="<html>gateway</html>")

    c = WeChatClient("wx1", "secret", transport=httpx.MockTransport(handler), retries=0)
    with pytest.raises(TransportError, match="not JSON"):
        c.drafts.count()


# -- mass send ------------------------------------------------------------------------------


def test_mass_send_without_clientmsgid_is_refused_and_nothing_is_sent(client, fake):
    for bad in ("", None):
        with pytest.raises(MissingClientMsgId):
            client.mass.send_mpnews("MEDIA", clientmsgid=bad)
    with pytest.raises(ClientUsageError, match="64 bytes"):
        client.mass.send_mpnews("MEDIA", clientmsgid="长" * 22)
    assert fake.requests == []


def test_mass_send_to_all_and_to_a_tag(client, fake):
    fake.routes["/cgi-bin/message/mass/sendall"] = lambda rec: {"errcode": 0, "errmsg": "send job submission success", "msg_id": 34182, "msg_data_id": 206227730}
    assert client.mass.send_mpnews("MEDIA", clientmsgid="k-all") == MassSendResult(34182, 206227730)
    client.mass.send_mpnews("MEDIA", clientmsgid="k-tag", tag_id=2, send_ignore_reprint=True)
    first, second = (r.json for r in fake.calls("/cgi-bin/message/mass/sendall"))
    assert first == {"filter": {"is_to_all": True}, "mpnews": {"media_id": "MEDIA"}, "msgtype": "mpnews", "send_ignore_reprint": 0, "clientmsgid": "k-all"}
    assert second["filter"] == {"is_to_all": False, "tag_id": 2} and second["send_ignore_reprint"] == 1


def test_duplicate_clientmsgid_returns_the_existing_msg_id(client, fake):
    fake.fail_next("/cgi-bin/message/mass/sendall", {"errcode": 45065, "errmsg": "clientmsgid exist", "msg_id": 1000001625})
    with pytest.raises(DuplicateClientMsgId) as info:
        client.mass.send_mpnews("MEDIA", clientmsgid="k1")
    assert info.value.msg_id == 1000001625


def test_preview_and_get(client, fake):
    client.mass.preview("MEDIA", touser="o_editor")
    client.mass.preview("MEDIA", towxname="editor-wxid")
    bodies = [r.json for r in fake.calls("/cgi-bin/message/mass/preview")]
    assert bodies == [
        {"mpnews": {"media_id": "MEDIA"}, "msgtype": "mpnews", "touser": "o_editor"},
        {"mpnews": {"media_id": "MEDIA"}, "msgtype": "mpnews", "towxname": "editor-wxid"},
    ]
    with pytest.raises(ClientUsageError):
        client.mass.preview("MEDIA")
    fake.routes["/cgi-bin/message/mass/get"] = lambda rec: {"msg_id": 201053012, "msg_status": "SEND_SUCCESS"}
    status = client.mass.get(201053012)
    assert status.status == "SEND_SUCCESS" and status.is_final


# -- media, drafts, publish -----------------------------------------------------------------


def test_uploadimg_and_add_material_send_multipart(client, fake):
    fake.routes["/cgi-bin/media/uploadimg"] = lambda rec: {"url": "http://mmbiz.qpic.cn/x/0"}
    fake.routes["/cgi-bin/material/add_material"] = lambda rec: {"media_id": "THUMB1", "url": "http://mmbiz/t"}
    assert client.media.upload_image(b"\x89PNG....", "a.png").url == "http://mmbiz.qpic.cn/x/0"
    material = client.media.add_material(b"\xff\xd8jpeg", "cover.jpg", kind="thumb")
    assert material.media_id == "THUMB1"
    (upload,) = fake.calls("/cgi-bin/media/uploadimg")
    assert upload.headers["content-type"].startswith("multipart/form-data") and b'name="media"; filename="a.png"' in upload.body
    (add,) = fake.calls("/cgi-bin/material/add_material")
    assert add.query["type"] == "thumb"


def test_media_limits_are_checked_before_sending(client, fake):
    with pytest.raises(ClientUsageError, match="1 MB"):
        client.media.upload_image(b"x" * (1024 * 1024 + 1), "big.jpg")
    with pytest.raises(ClientUsageError, match="jpg or png"):
        client.media.upload_image(b"x", "a.gif")
    with pytest.raises(ClientUsageError, match="64 KB"):
        client.media.add_material(b"x" * (64 * 1024 + 1), "t.jpg", kind="thumb")
    assert fake.requests == []


def test_draft_add_sends_utf8_not_escapes(client, fake):
    fake.routes["/cgi-bin/draft/add"] = lambda rec: {"media_id": "DRAFT1"}
    assert client.drafts.add([_article(need_open_comment=True)]) == "DRAFT1"
    (call,) = fake.calls("/cgi-bin/draft/add")
    assert "社保基数调整通知".encode() in call.body and b"\\u" not in call.body
    assert call.json["articles"][0] == {
        "article_type": "news", "title": "社保基数调整通知", "author": "", "digest": "", "content": "<p>正文</p>",
        "content_source_url": "", "thumb_media_id": "THUMB", "need_open_comment": 1, "only_fans_can_comment": 0,
    }


@pytest.mark.parametrize(
    ("article", "message"),
    [
        (_article(title="标" * 33), "title is 33 characters"),
        (_article(author="作" * 17), "author"),
        (_article(digest="摘" * 129), "digest"),
        (_article(thumb_media_id=""), "thumb_media_id"),
    ],
)
def test_draft_limits_are_checked_before_sending(client, fake, article, message):
    with pytest.raises(ClientUsageError, match=message):
        client.drafts.add([article])
    assert fake.requests == []


def test_draft_get_update_delete(client, fake):
    fake.routes["/cgi-bin/draft/get"] = lambda rec: {"news_item": [{**_article().to_json(), "url": "http://mp/x", "need_open_comment": 1}]}
    draft = client.drafts.get("DRAFT1")
    assert draft.articles == (_article(need_open_comment=True, url="http://mp/x"),)
    client.drafts.update("DRAFT1", 0, _article(title="新标题"))
    assert fake.calls("/cgi-bin/draft/update")[0].json["articles"]["title"] == "新标题"
    client.drafts.delete("DRAFT1")
    assert fake.calls("/cgi-bin/draft/delete")[0].json == {"media_id": "DRAFT1"}


def test_freepublish_submit_and_get(client, fake):
    fake.routes["/cgi-bin/freepublish/submit"] = lambda rec: {"errcode": 0, "errmsg": "ok", "publish_id": "100000001", "msg_data_id": 2247483}
    fake.routes["/cgi-bin/freepublish/get"] = lambda rec: {
        "publish_id": "100000001", "publish_status": 0, "article_id": "AID",
        "article_detail": {"count": 1, "item": [{"idx": 1, "article_url": "https://mp/a"}]}, "fail_idx": [],
    }
    submission = client.publish.submit("DRAFT1")
    assert submission.publish_id == "100000001" and submission.msg_data_id == "2247483"
    status = client.publish.get("100000001")
    assert status.state is PublishState.SUCCESS and status.articles == (PublishedArticle(1, "https://mp/a"),)
    fake.routes["/cgi-bin/freepublish/get"] = lambda rec: {"publish_id": "100000001", "publish_status": 2, "fail_idx": [1, 2]}
    assert client.publish.get("100000001").fail_idx == (1, 2)


# -- comments, datacube, qrcodes, users, custom ---------------------------------------------


def test_comments(client, fake):
    fake.routes["/cgi-bin/comment/list"] = lambda rec: {
        "errcode": 0, "total": 1,
        "comment": [{"user_comment_id": 1, "openid": "o1", "create_time": 1700000000, "content": "好文", "comment_type": 1,
                     "reply": {"content": "谢谢", "create_time": 1700000100}}],
    }
    page = client.comments.list(206227730, 0, begin=0, count=49)
    assert page.total == 1 and page.comments[0].is_featured and page.comments[0].reply.content == "谢谢"
    client.comments.open(206227730, 0)
    client.comments.reply(206227730, 0, 1, "感谢留言")
    client.comments.mark_featured(206227730, 0, 1)
    client.comments.delete(206227730, 0, 1)
    assert fake.calls("/cgi-bin/comment/reply/add")[0].json == {"msg_data_id": 206227730, "index": 0, "user_comment_id": 1, "content": "感谢留言"}
    assert len(fake.calls("/cgi-bin/comment/markelect")) == 1 and len(fake.calls("/cgi-bin/comment/delete")) == 1
    with pytest.raises(ClientUsageError):
        client.comments.list(1, 0, count=50)
    fake.fail_next("/cgi-bin/comment/open", 88000)
    with pytest.raises(NoCommentPermission):
        client.comments.open(1, 0)


def test_datacube_old_and_new(client, fake):
    fake.routes["/datacube/getusersummary"] = lambda rec: {"list": [{"ref_date": "2026-06-01", "user_source": 30, "new_user": 15, "cancel_user": 2}]}
    fake.routes["/datacube/getarticletotal"] = lambda rec: {"list": [{"ref_date": "2026-06-01", "msgid": "206227730_1", "title": "t", "details": [{"stat_date": "2026-06-01", "target_user": 3000, "int_page_read_user": 240}]}]}
    fake.routes["/datacube/getbizsummary"] = lambda rec: {"list": [{"ref_date": "2026-06-01", "read_user": 240, "share_user": 30, "new_metric": 1}], "is_delay": True}
    rows = client.datacube.user_summary(dt.date(2026, 6, 1), "2026-06-01").rows
    assert (rows[0].user_source, rows[0].new_user, rows[0].cancel_user) == (30, 15, 2)
    assert fake.calls("/datacube/getusersummary")[0].json == {"begin_date": "2026-06-01", "end_date": "2026-06-01"}
    total = client.datacube.article_total("2026-06-01", "2026-06-01").rows[0]
    assert total.msgid == "206227730_1" and total.details[0].target_user == 3000 and total.details[0].int_page_read_user == 240
    biz = client.datacube.biz_summary("2026-06-01", "2026-06-01")
    assert biz.is_delay and biz.rows[0].read_user == 240 and biz.rows[0].raw["new_metric"] == 1
    fake.fail_next("/datacube/getuserread", 61501)
    with pytest.raises(DateRangeError):
        client.datacube.user_read("2026-05-01", "2026-06-01")
    with pytest.raises(ClientUsageError):
        client.datacube.user_cumulate("2026-06-02", "2026-06-01")


def test_qrcodes(client, fake):
    fake.routes["/cgi-bin/qrcode/create"] = lambda rec: {"ticket": "gQH47j+/=", "expire_seconds": 1800, "url": "http://weixin.qq.com/q/x"}
    permanent = client.qrcodes.create_permanent("branch:sz-01")
    assert permanent.expire_seconds is None
    assert permanent.image_url == f"{fake.base_url}/cgi-bin/showqrcode?ticket=gQH47j%2B%2F%3D"
    temporary = client.qrcodes.create_temporary("campaign:618", expire_seconds=1800)
    assert temporary.expire_seconds == 1800
    first, second = (r.json for r in fake.calls("/cgi-bin/qrcode/create"))
    assert first == {"action_name": "QR_LIMIT_STR_SCENE", "action_info": {"scene": {"scene_str": "branch:sz-01"}}}
    assert second == {"expire_seconds": 1800, "action_name": "QR_STR_SCENE", "action_info": {"scene": {"scene_str": "campaign:618"}}}
    with pytest.raises(ClientUsageError):
        client.qrcodes.create_permanent("x" * 65)
    real = WeChatClient("wx1", "secret")
    assert real.qrcode_base_url == "https://mp.weixin.qq.com"


def test_users_info_and_paging(client, fake):
    fake.routes["/cgi-bin/user/info"] = lambda rec: {"subscribe": 1, "openid": rec.query["openid"], "subscribe_time": 1382694957, "subscribe_scene": "ADD_SCENE_QR_CODE", "qr_scene_str": "branch:sz-01", "tagid_list": [2]}
    pages = {"": {"total": 3, "count": 2, "data": {"openid": ["o1", "o2"]}, "next_openid": "o2"},
             "o2": {"total": 3, "count": 1, "data": {"openid": ["o3"]}, "next_openid": "o3"},
             "o3": {"total": 3, "count": 0, "next_openid": ""}}
    fake.routes["/cgi-bin/user/get"] = lambda rec: pages[rec.query.get("next_openid", "")]
    info = client.users.info("o1")
    assert info.subscribed and info.qr_scene_str == "branch:sz-01" and info.tagid_list == (2,)
    assert fake.calls("/cgi-bin/user/info")[0].query["lang"] == "zh_CN"
    assert list(client.users.iter_openids()) == ["o1", "o2", "o3"]


def test_custom_send_is_not_retried(client, fake, sleeps):
    client.custom.send_text("o1", "您好")
    assert fake.calls("/cgi-bin/message/custom/send")[0].json == {"touser": "o1", "msgtype": "text", "text": {"content": "您好"}}
    fake.fail_next("/cgi-bin/message/custom/send", -1)
    with pytest.raises(SystemBusy):
        client.custom.send_text("o1", "again")
    assert len(fake.calls("/cgi-bin/message/custom/send")) == 2 and sleeps == []


# -- secrets --------------------------------------------------------------------------------


def test_secrets_never_reach_reprs_errors_or_logs(client, fake, caplog):
    caplog.set_level(logging.DEBUG)
    client.drafts.count()
    fake.fail_next("/cgi-bin/draft/count", 40001, 40001)
    with pytest.raises(CredentialError) as info:
        client.drafts.count()
    token = client.token_store.get(fake.app_id).value
    assert fake.app_secret not in repr(client)
    assert token not in repr(client.token_store.get(fake.app_id))
    assert token not in str(info.value) and fake.app_secret not in str(info.value)
    assert "access_token=***" in caplog.text
    assert token not in caplog.text and fake.app_secret not in caplog.text


def test_clear_quota_posts_the_app_id(client, fake):
    client.clear_quota()
    assert fake.calls("/cgi-bin/clear_quota")[0].json == {"appid": fake.app_id}


def test_a_timed_out_read_is_asked_again(fake, sleeps):
    c = WeChatClient(fake.app_id, fake.app_secret, base_url=fake.base_url, timeout=httpx.Timeout(0.3), sleep=sleeps.append)
    c.drafts.count()
    fake.delays["/cgi-bin/draft/count"] = 1.0
    with pytest.raises(OutcomeUnknown):
        c.drafts.count()
    assert len(fake.calls("/cgi-bin/draft/count")) == 1 + 3 and sleeps == [0.5, 1.0]
    c.close()
