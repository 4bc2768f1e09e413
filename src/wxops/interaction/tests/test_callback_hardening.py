"""The defects found when the callback was tried as an attacker would: each test failed before its fix."""

from __future__ import annotations

import io
import time
from urllib.parse import urlencode

import pytest
from django.test.client import ClientHandler

from wxops.interaction import views
from wxops.interaction.models import InboundKind, InboundMessage
from wxops.wechat import signature

from .conftest import Signed, event_xml, post, sign, text_xml

MAX_MSG_ID = 2**64 - 1


def test_a_non_ascii_signature_is_403_not_503(client, account):
    response = client.get(f"/wechat/callback/{account.app_id}/?signature=%C3%A9&timestamp=1&nonce=1&echostr=x")
    assert response.status_code == 403


@pytest.mark.parametrize("field", ["signature", "msg_signature"])
def test_a_non_ascii_signature_on_a_message_is_403(client, db, field):
    from .conftest import make_account

    account = make_account("compatible")
    signed = sign(account, text_xml(account), encrypted=True)
    signed.query[field] = "é" * 40
    assert post(client, account, signed).status_code == 403
    assert InboundMessage.objects.count() == 0


def test_the_largest_msgid_is_stored(client, account):
    response = post(client, account, sign(account, text_xml(account, "你好", msg_id=MAX_MSG_ID)))
    assert (response.status_code, response.content) == (200, b"success")
    stored = InboundMessage.objects.get()
    assert (stored.msg_id, stored.dedupe_key) == (str(MAX_MSG_ID), f"msg:{MAX_MSG_ID}")


def test_a_mass_send_result_with_the_largest_msgid_is_stored(client, account):
    xml = event_xml(account, "MASSSENDJOBFINISH", extra=f"<MsgID>{MAX_MSG_ID}</MsgID><Status>send success</Status>")
    assert post(client, account, sign(account, xml)).status_code == 200
    assert InboundMessage.objects.get().msg_id == str(MAX_MSG_ID)


def test_a_create_time_beyond_the_calendar_is_stored_without_a_send_time(client, account):
    response = post(client, account, sign(account, text_xml(account, msg_id=5, create_time=99999999999999)))
    assert response.status_code == 200
    stored = InboundMessage.objects.get()
    assert (stored.sent_at, stored.msg_id) == (None, "5")
    assert "<CreateTime>99999999999999</CreateTime>" in stored.xml


def publish_result(account, publish_id: str) -> str:
    return event_xml(account, "PUBLISHJOBFINISH", openid="oMpHelper", extra=(
        f"<PublishEventInfo><publish_id>{publish_id}</publish_id><publish_status>0</publish_status>"
        f"<article_id>ar_{publish_id}</article_id></PublishEventInfo>"))


def test_two_publish_results_in_the_same_second_are_both_kept(client, account):
    for publish_id in ("2247483648", "2247483649", "2247483648"):  # the third is a retry of the first
        assert post(client, account, sign(account, publish_result(account, publish_id))).status_code == 200
    assert InboundMessage.objects.filter(kind=InboundKind.PUBLISH_FINISHED).count() == 2
    keys = sorted(InboundMessage.objects.values_list("dedupe_key", flat=True))
    assert [key.split(":")[4] for key in keys] == ["2247483648", "2247483649"]


def test_two_scans_of_different_codes_in_the_same_second_are_both_kept(client, account):
    for scene in ("branch:sz-01", "branch:gz-02", "branch:sz-01"):
        xml = event_xml(account, "SCAN", key=scene, extra=f"<Ticket>ticket-{scene}</Ticket>")
        post(client, account, sign(account, xml))
    assert sorted(InboundMessage.objects.values_list("scene_key", flat=True)) == ["branch:gz-02", "branch:sz-01"]


# -- the timestamp window and the nonce cache -----------------------------------------------------

def signed_at(account, xml: str, timestamp: int, nonce: str = "1234567") -> Signed:
    query = {"signature": signature(account.callback_token, str(timestamp), nonce), "timestamp": str(timestamp),
             "nonce": nonce}
    return Signed(query, xml.encode())


@pytest.mark.parametrize("offset", [-301, 301, -86400 * 365])
def test_a_request_outside_the_time_window_is_refused(client, plain_account, settings, offset):
    settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW = 300
    signed = signed_at(plain_account, text_xml(plain_account), int(time.time()) + offset)
    response = post(client, plain_account, signed)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


def test_a_request_inside_the_time_window_is_accepted(client, plain_account, settings):
    settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW = 300
    signed = signed_at(plain_account, text_xml(plain_account), int(time.time()) - 290)
    assert post(client, plain_account, signed).status_code == 200
    assert InboundMessage.objects.count() == 1


def test_a_window_of_zero_accepts_any_time(client, plain_account, settings):
    settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW = 0
    signed = signed_at(plain_account, text_xml(plain_account), 1)
    assert post(client, plain_account, signed).status_code == 200


def test_a_copied_signature_cannot_inject_another_message(client, plain_account, settings):
    """Plain mode: the signature covers token/timestamp/nonce only, not the body."""
    settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW = 300
    now = int(time.time())
    genuine = signed_at(plain_account, text_xml(plain_account, "真的", msg_id=1), now)
    assert post(client, plain_account, genuine).status_code == 200
    forged = Signed(genuine.query, text_xml(plain_account, "假的：点此领奖", msg_id=2).encode())
    assert post(client, plain_account, forged).status_code == 403
    assert list(InboundMessage.objects.values_list("content", flat=True)) == ["真的"]


def test_a_retry_with_the_same_nonce_is_answered_as_before(client, plain_account, settings):
    settings.WXOPS_CALLBACK_TIMESTAMP_WINDOW = 300
    genuine = signed_at(plain_account, text_xml(plain_account, "真的", msg_id=1), int(time.time()))
    answers = [post(client, plain_account, genuine).status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    assert InboundMessage.objects.count() == 1


# -- a chunked body, as gunicorn hands it over ----------------------------------------------------

def chunked_environ(account, signed: Signed) -> dict:
    """The WSGI environ gunicorn builds for ``Transfer-Encoding: chunked``: no CONTENT_LENGTH,
    ``wsgi.input`` yields the de-chunked body up to EOF, ``wsgi.input_terminated`` is true."""
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": f"/wechat/callback/{account.app_id}/",
        "QUERY_STRING": urlencode(signed.query), "CONTENT_TYPE": "text/xml", "HTTP_TRANSFER_ENCODING": "chunked",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(signed.body), "wsgi.input_terminated": True, "wsgi.errors": io.StringIO(),
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }


def call_wsgi(environ: dict) -> tuple[int, bytes]:
    """Run the environ through Django's request handling as the test client does (its handler keeps the
    test's database connection open), so the body is read from ``wsgi.input`` exactly as in production."""
    response = ClientHandler()(environ)
    return response.status_code, response.content


def test_a_chunked_post_without_content_length_is_read(db, account):
    status, body = call_wsgi(chunked_environ(account, sign(account, text_xml(account, "分块发送", msg_id=8))))
    assert (status, body) == (200, b"success")
    assert InboundMessage.objects.get().content == "分块发送"


def test_a_chunked_post_over_the_limit_is_413(db, plain_account):
    signed = sign(plain_account, text_xml(plain_account, "长" * (views.MAX_BODY // 3 + 10)))
    status, _body = call_wsgi(chunked_environ(plain_account, signed))
    assert status == 413
    assert InboundMessage.objects.count() == 0


# -- the events a real account receives are typed and stored with a kind of their own -------------

@pytest.mark.parametrize(("event", "extra", "kind"), [
    ("LOCATION", "<Latitude>23.1</Latitude><Longitude>113.3</Longitude><Precision>65</Precision>",
     InboundKind.LOCATION_REPORT),
    ("scancode_push", "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>1</ScanResult></ScanCodeInfo>",
     InboundKind.MENU_SCAN_PUSH),
    ("scancode_waitmsg", "<ScanCodeInfo><ScanType>qrcode</ScanType><ScanResult>1</ScanResult></ScanCodeInfo>",
     InboundKind.MENU_SCAN_WAIT),
    ("pic_sysphoto", "<SendPicsInfo><Count>1</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item></PicList>"
                     "</SendPicsInfo>", InboundKind.MENU_CAMERA),
    ("pic_photo_or_album", "<SendPicsInfo><Count>0</Count></SendPicsInfo>", InboundKind.MENU_PHOTO_OR_ALBUM),
    ("pic_weixin", "<SendPicsInfo><Count>0</Count></SendPicsInfo>", InboundKind.MENU_WECHAT_ALBUM),
    ("location_select", "<SendLocationInfo><Location_X>23</Location_X><Location_Y>113</Location_Y>"
                        "</SendLocationInfo>", InboundKind.MENU_LOCATION),
    ("view_miniprogram", "<MenuId>1</MenuId>", InboundKind.MENU_MINI_PROGRAM),
    ("subscribe_msg_popup_event", "<SubscribeMsgPopupEvent><List><TemplateId>T</TemplateId>"
                                  "<SubscribeStatusString>accept</SubscribeStatusString></List>"
                                  "</SubscribeMsgPopupEvent>", InboundKind.SUBSCRIPTION_POPUP),
    ("subscribe_msg_change_event", "<SubscribeMsgChangeEvent><List><TemplateId>T</TemplateId>"
                                   "</List></SubscribeMsgChangeEvent>", InboundKind.SUBSCRIPTION_CHANGE),
    ("subscribe_msg_sent_event", "<SubscribeMsgSentEvent><List><TemplateId>T</TemplateId><MsgID>1</MsgID>"
                                 "</List></SubscribeMsgSentEvent>", InboundKind.SUBSCRIPTION_SENT),
    ("kf_create_session", "<KfAccount>a@b</KfAccount>", InboundKind.AGENT_SESSION_OPENED),
    ("kf_close_session", "<KfAccount>a@b</KfAccount>", InboundKind.AGENT_SESSION_CLOSED),
    ("kf_switch_session", "<FromKfAccount>a@b</FromKfAccount><ToKfAccount>c@b</ToKfAccount>",
     InboundKind.AGENT_SESSION_SWITCHED),
])
def test_real_account_events_are_stored_with_their_kind(client, account, event, extra, kind):
    response = post(client, account, sign(account, event_xml(account, event, extra=extra)))
    assert (response.status_code, response.content) == (200, b"success")
    stored = InboundMessage.objects.get()
    assert (stored.kind, stored.event) == (kind, event.upper())


def test_a_location_report_is_not_mistaken_for_a_location_message(client, account):
    post(client, account, sign(account, event_xml(account, "LOCATION", extra="<Latitude>1</Latitude>")))
    xml = text_xml(account, msg_id=77).replace("<![CDATA[text]]>", "<![CDATA[location]]>")
    post(client, account, sign(account, xml))
    assert sorted(InboundMessage.objects.values_list("kind", flat=True)) == [InboundKind.LOCATION,
                                                                              InboundKind.LOCATION_REPORT]


# -- fast enough for a burst: one commit per message, nothing queued beside it --------------------

def test_storing_a_message_queues_no_reference_index_task(client, account):
    """Wagtail indexes references on every save unless a model opts out: for the inbox, a second write per callback."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    post(client, account, sign(account, text_xml(account, msg_id=31)))
    assert InboundMessage.objects.count() == 1
    assert not ReferenceIndex.objects.filter(content_type=ContentType.objects.get_for_model(InboundMessage)).exists()


@pytest.mark.django_db(transaction=True)
def test_a_new_message_costs_one_write_with_its_reply_and_a_retry_none(client, monkeypatch):
    """The reply handlers of a text only read: they decide first, and one INSERT (committed on its own,
    no BEGIN/COMMIT pair around it) stores the message with its reply. A retry stores nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wxops.interaction.models import AutoReply

    from .conftest import make_account

    account = make_account("safe")
    AutoReply.objects.create(account=account, message_text="已收到。")
    commits = []
    real_commit = connection.commit

    def counting_commit():
        commits.append(1)
        return real_commit()

    def writes(queries):
        return [q["sql"] for q in queries.captured_queries
                if q["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}]

    monkeypatch.setattr(connection, "commit", counting_commit)
    signed = sign(account, text_xml(account, msg_id=99))
    with CaptureQueriesContext(connection) as queries:
        first = post(client, account, signed)
    assert first.status_code == 200 and commits == []
    assert [sql.split("(", 1)[0] for sql in writes(queries)] == ['INSERT INTO "interaction_inboundmessage" ']
    assert InboundMessage.objects.get().reply == "已收到。"  # written by that one INSERT
    touched = " ".join(query["sql"] for query in queries.captured_queries)
    assert "django_session" not in touched and "auth_user" not in touched
    assert "SAVEPOINT" not in touched
    retry = post(client, account, signed)  # its INSERT is refused by the unique key; it finds the first
    assert retry.status_code == 200 and commits == [] and InboundMessage.objects.count() == 1


def test_a_changed_token_is_used_at_once_although_the_account_is_cached(client, plain_account):
    post(client, plain_account, sign(plain_account, text_xml(plain_account, msg_id=1)))  # cached now
    plain_account.callback_token = "the-new-token-0002"
    plain_account.save()
    assert post(client, plain_account, sign(plain_account, text_xml(plain_account, msg_id=2))).status_code == 200
    forged = sign(plain_account, text_xml(plain_account, msg_id=3), token="the-old-one-0001")
    assert post(client, plain_account, forged).status_code == 403
    assert sorted(InboundMessage.objects.values_list("msg_id", flat=True)) == ["1", "2"]


@pytest.mark.django_db(transaction=True)  # the foreign key is checked when the callback commits
def test_a_deleted_account_is_404_although_it_was_cached(client):
    from wxops.accounts.models import Account

    from .conftest import make_account

    plain_account = make_account("plain")
    post(client, plain_account, sign(plain_account, text_xml(plain_account, msg_id=1)))
    signed = sign(plain_account, text_xml(plain_account, msg_id=2))
    Account.objects.filter(pk=plain_account.pk).delete()
    assert post(client, plain_account, signed).status_code == 404
    assert InboundMessage.objects.count() == 0
