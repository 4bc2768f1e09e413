"""The client and the callback protocol end to end against the project's simulator, over real HTTP.

Our own ``CallbackEndpoint`` serves the account's callback URL (safe mode), so what the
simulator pushes is decrypted, parsed and answered by the code under test.
"""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest

from wxops.wechat import (
    NO_REPLY,
    CallbackEndpoint,
    CryptoError,
    DraftArticle,
    MassSendJobFinishEvent,
    MessageParseError,
    SubscribeEvent,
    TextMessage,
    WeChatClient,
    text_reply,
)

testing = pytest.importorskip("wxops.simulator.testing")
Image = pytest.importorskip("PIL.Image")


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, fmt)
    return buf.getvalue()


class CallbackServer:
    """An account's callback URL, served by wxops.wechat.CallbackEndpoint."""

    def __init__(self, endpoint: CallbackEndpoint):
        self.endpoint = endpoint
        self.received = []
        self.refused = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, text: str) -> None:
                data = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "text/plain; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                params = dict(parse_qsl(urlsplit(self.path).query))
                try:
                    self._answer(200, outer.endpoint.verify_url(params))
                except CryptoError as exc:
                    self._answer(403, str(exc))

            def do_POST(self):
                params = dict(parse_qsl(urlsplit(self.path).query))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    inbound = outer.endpoint.parse_request(params, body)
                except (CryptoError, MessageParseError) as exc:
                    outer.refused.append(str(exc))
                    self._answer(403, "refused")
                    return
                outer.received.append(inbound.message)
                reply = None
                if isinstance(inbound.message, TextMessage):
                    reply = text_reply(inbound.message, "已收到：" + inbound.message.content)
                self._answer(200, outer.endpoint.render_reply(reply, inbound))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/wechat/callback"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def world():
    with testing.running_simulator() as sim:
        account = sim.register_account(encrypt_mode="safe")
        endpoint = CallbackEndpoint(token=account["token"], app_id=account["app_id"],
                                    encoding_aes_key=account["encoding_aes_key"], mode="safe")
        callback = CallbackServer(endpoint)
        sim.control("POST", f"/accounts/{account['app_id']}", callback_url=callback.url)
        client = WeChatClient(account["app_id"], account["app_secret"], base_url=sim.url)
        yield sim, account, callback, client
        client.close()
        callback.close()


@pytest.mark.slow
def test_qr_subscribe_and_a_message_reach_our_endpoint_and_our_encrypted_reply_reaches_the_follower(world):
    sim, account, callback, client = world
    app_id = account["app_id"]
    code = client.qrcodes.create_permanent("branch:sz-01")
    subscribed = sim.control("POST", f"/accounts/{app_id}/followers/subscribe", ticket=code.ticket)
    openid = subscribed["openid"]
    sim.control("POST", f"/accounts/{app_id}/followers/{openid}/message", content="社保基数什么时候调整？")
    assert callback.refused == []
    subscribe, text = callback.received
    assert isinstance(subscribe, SubscribeEvent) and subscribe.scene_key == "branch:sz-01" and subscribe.from_user == openid
    assert isinstance(text, TextMessage) and text.content == "社保基数什么时候调整？"
    log = sim.inspect("/callbacks", app_id=app_id, event="text")["callbacks"]
    assert [c["status"] for c in log] == ["delivered"]
    assert "已收到：社保基数什么时候调整？" in log[0]["reply_plain"]  # the simulator decrypted our reply
    assert client.users.info(openid).qr_scene_str == "branch:sz-01"


@pytest.mark.slow
def test_a_push_from_upload_to_mass_send_reaches_each_follower_once(world):
    sim, account, callback, client = world
    app_id = account["app_id"]
    openids = [sim.control("POST", f"/accounts/{app_id}/followers/subscribe")["openid"] for _ in range(3)]
    image = client.media.upload_image(_image("PNG"), "chart.png")
    thumb = client.media.add_material(_image("JPEG"), "cover.jpg", kind="thumb")
    article = DraftArticle(title="社保基数调整通知", content=f'<p>正文</p><img src="{image.url}">',
                           thumb_media_id=thumb.media_id, need_open_comment=True)
    media_id = client.drafts.add([article])
    assert client.drafts.get(media_id).articles[0].title == "社保基数调整通知"
    client.mass.preview(media_id, touser=openids[0])
    sent = client.mass.send_mpnews(media_id, clientmsgid=f"{app_id}|2026-03-02T11:30|1")
    sim.advance(seconds=120)
    sim.drain()
    assert client.mass.get(sent.msg_id).status == "SEND_SUCCESS"
    reach = sim.inspect(f"/accounts/{app_id}/reach", msg_id=sent.msg_id)
    assert reach["exactly_once"] and reach["reached"] == 3
    finished = [m for m in callback.received if isinstance(m, MassSendJobFinishEvent)]
    assert [m.msg_id for m in finished] == [sent.msg_id]
    comment_id = sim.control("POST", f"/accounts/{app_id}/followers/{openids[1]}/comment",
                             msg_data_id=sent.msg_data_id, index=0, content="写得好")["user_comment_id"]
    page = client.comments.list(sent.msg_data_id, 0)
    assert [(c.user_comment_id, c.content, c.openid) for c in page.comments] == [(comment_id, "写得好", openids[1])]
    client.comments.reply(sent.msg_data_id, 0, comment_id, "谢谢支持")
    assert client.comments.list(sent.msg_data_id, 0).comments[0].reply.content == "谢谢支持"


@pytest.mark.slow
def test_unknown_callbacks_are_refused_when_the_signature_is_wrong(world):
    sim, account, callback, client = world
    callback.endpoint = CallbackEndpoint(token="not-the-token", app_id=account["app_id"],
                                         encoding_aes_key=account["encoding_aes_key"], mode="safe")
    sim.control("POST", f"/accounts/{account['app_id']}/followers/subscribe")
    assert callback.received == [] and callback.refused and "signature" in callback.refused[0]
    assert NO_REPLY == "success"
