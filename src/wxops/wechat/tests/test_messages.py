from pathlib import Path

import pytest

from wxops.wechat.messages import (
    ClickEvent,
    ImageMessage,
    LinkMessage,
    LocationMessage,
    MassSendJobFinishEvent,
    MessageParseError,
    PublishJobFinishEvent,
    ScanEvent,
    ShortVideoMessage,
    SubscribeEvent,
    TemplateSendJobFinishEvent,
    TextMessage,
    UnknownMessage,
    UnsubscribeEvent,
    VideoMessage,
    ViewEvent,
    VoiceMessage,
    parse_message,
)
from wxops.wechat.publish import PublishedArticle

SHARED = Path(__file__).resolve().parents[5] / "shared" / "data" / "wechat" / "callback_xml"
if not SHARED.is_dir():  # the work tree may live elsewhere; shared/ sits beside the repository
    SHARED = Path("/work/shared/data/wechat/callback_xml")


def _xml(msg_type: str, body: str, *, event: str | None = None) -> str:
    ev = f"<Event><![CDATA[{event}]]></Event>" if event else ""
    return (
        "<xml><ToUserName><![CDATA[gh_test]]></ToUserName><FromUserName><![CDATA[o_follower]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{ev}{body}</xml>"
    )


def test_text():
    m = parse_message(_xml("text", "<Content><![CDATA[ 社保基数什么时候调整？ ]]></Content><MsgId>123456789012345678</MsgId>"))
    assert m == TextMessage(
        to_user="gh_test", from_user="o_follower", create_time=1700000000, msg_type="text",
        content=" 社保基数什么时候调整？ ", msg_id=123456789012345678,
    )
    assert m.dedupe_key == "msg:123456789012345678"


def test_image_voice_video_shortvideo_location_link():
    assert parse_message(_xml("image", "<PicUrl>http://p/1</PicUrl><MediaId>m1</MediaId><MsgId>1</MsgId>")) == ImageMessage(
        to_user="gh_test", from_user="o_follower", create_time=1700000000, msg_type="image", pic_url="http://p/1", media_id="m1", msg_id=1
    )
    voice = parse_message(_xml("voice", "<MediaId>v</MediaId><Format>amr</Format><Recognition>你好</Recognition><MsgId>2</MsgId>"))
    assert isinstance(voice, VoiceMessage) and (voice.format, voice.recognition, voice.msg_id) == ("amr", "你好", 2)
    video = parse_message(_xml("video", "<MediaId>v</MediaId><ThumbMediaId>t</ThumbMediaId>"))
    assert type(video) is VideoMessage and video.thumb_media_id == "t" and video.msg_id is None
    short = parse_message(_xml("shortvideo", "<MediaId>s</MediaId><ThumbMediaId>t</ThumbMediaId><MsgId>3</MsgId>"))
    assert type(short) is ShortVideoMessage and short.media_id == "s"
    loc = parse_message(_xml("location", "<Location_X>22.5</Location_X><Location_Y>114.05</Location_Y><Scale>15</Scale><Label>深圳</Label><MsgId>4</MsgId>"))
    assert isinstance(loc, LocationMessage) and (loc.latitude, loc.longitude, loc.scale, loc.label) == (22.5, 114.05, 15, "深圳")
    link = parse_message(_xml("link", "<Title>t</Title><Description>d</Description><Url>https://x</Url><MsgId>5</MsgId>"))
    assert isinstance(link, LinkMessage) and (link.title, link.description, link.url) == ("t", "d", "https://x")


def test_subscribe_with_qrscene_gives_the_scene_key():
    m = parse_message(_xml("event", "<EventKey>qrscene_branch:sz-01</EventKey><Ticket>TK</Ticket>", event="subscribe"))
    assert isinstance(m, SubscribeEvent)
    assert (m.event, m.scene_key, m.ticket) == ("SUBSCRIBE", "branch:sz-01", "TK")
    assert m.dedupe_key == "event:o_follower:1700000000"


def test_plain_subscribe_has_no_scene_key():
    m = parse_message(_xml("event", "<EventKey></EventKey>", event="subscribe"))
    assert isinstance(m, SubscribeEvent) and m.scene_key is None


@pytest.mark.parametrize("name", ["SCAN", "scan", "Scan"])
def test_scan_is_case_insensitive_and_has_no_prefix(name):
    m = parse_message(_xml("event", "<EventKey>branch:sz-01</EventKey><Ticket>TK</Ticket>", event=name))
    assert isinstance(m, ScanEvent) and m.scene_key == "branch:sz-01" and m.event == "SCAN"


def test_unsubscribe_click_view():
    assert isinstance(parse_message(_xml("event", "", event="unsubscribe")), UnsubscribeEvent)
    click = parse_message(_xml("event", "<EventKey>FEEDBACK</EventKey>", event="CLICK"))
    assert isinstance(click, ClickEvent) and click.key == "FEEDBACK"
    view = parse_message(_xml("event", "<EventKey>https://example.org/a</EventKey><MenuId>7</MenuId>", event="VIEW"))
    assert isinstance(view, ViewEvent) and (view.url, view.menu_id) == ("https://example.org/a", "7")


def test_masssendjobfinish_with_article_urls():
    body = (
        "<MsgID>1000001625</MsgID><Status><![CDATA[send success]]></Status><TotalCount>3000</TotalCount>"
        "<FilterCount>2990</FilterCount><SentCount>2985</SentCount><ErrorCount>5</ErrorCount>"
        "<ArticleUrlResult><Count>2</Count><ResultList>"
        "<item><ArticleIdx>1</ArticleIdx><ArticleUrl><![CDATA[https://mp/1]]></ArticleUrl></item>"
        "<item><ArticleIdx>2</ArticleIdx><ArticleUrl><![CDATA[https://mp/2]]></ArticleUrl></item>"
        "</ResultList></ArticleUrlResult>"
    )
    m = parse_message(_xml("event", body, event="MASSSENDJOBFINISH"))
    assert isinstance(m, MassSendJobFinishEvent)
    assert (m.msg_id, m.status, m.total_count, m.filter_count, m.sent_count, m.error_count) == (
        1000001625, "send success", 3000, 2990, 2985, 5
    )
    assert m.article_urls == (PublishedArticle(1, "https://mp/1"), PublishedArticle(2, "https://mp/2"))


def test_publishjobfinish_success_and_failure():
    ok = parse_message(_xml("event", (
        "<PublishEventInfo><publish_id>2247503051</publish_id><publish_status>0</publish_status>"
        "<article_id><![CDATA[AID]]></article_id><article_detail><count>1</count>"
        "<item><idx>1</idx><article_url><![CDATA[https://mp/a]]></article_url></item></article_detail>"
        "</PublishEventInfo>"
    ), event="PUBLISHJOBFINISH"))
    assert isinstance(ok, PublishJobFinishEvent)
    assert (ok.publish_id, ok.publish_status, ok.article_id, ok.articles, ok.fail_idx) == (
        "2247503051", 0, "AID", (PublishedArticle(1, "https://mp/a"),), ()
    )
    failed = parse_message(_xml("event", (
        "<PublishEventInfo><publish_id>9</publish_id><publish_status>2</publish_status>"
        "<fail_idx>1</fail_idx><fail_idx>3</fail_idx></PublishEventInfo>"
    ), event="publishjobfinish"))
    assert isinstance(failed, PublishJobFinishEvent) and failed.fail_idx == (1, 3) and failed.publish_status == 2


def test_templatesendjobfinish():
    m = parse_message(_xml("event", "<MsgID>200163836</MsgID><Status><![CDATA[success]]></Status>", event="TEMPLATESENDJOBFINISH"))
    assert isinstance(m, TemplateSendJobFinishEvent) and (m.msg_id, m.status) == (200163836, "success")


def test_unknown_event_and_type_are_kept_with_every_field():
    ev = parse_message(_xml("event", "<Latitude>23.1</Latitude><Nested><a>1</a><a>2</a></Nested>",
                            event="user_enter_tempsession"))
    assert isinstance(ev, UnknownMessage) and ev.event == "USER_ENTER_TEMPSESSION"
    assert ev.raw["Latitude"] == "23.1" and ev.raw["Nested"] == {"a": ["1", "2"]}
    odd = parse_message(_xml("miniprogrampage", "<Title>t</Title><AppId>wxa</AppId>"))
    assert isinstance(odd, UnknownMessage) and odd.msg_type == "miniprogrampage" and odd.raw["AppId"] == "wxa"


@pytest.mark.parametrize("body", [b"", b"not xml", b"<xml><a></xml>", b"<root><a>1</a></root>"])
def test_malformed_bodies_raise_a_parse_error(body):
    with pytest.raises(MessageParseError):
        parse_message(body)


def test_entities_and_external_references_are_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>'
        b"<xml><Content>&lol2;</Content></xml>"
    )
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>'
    for body in (laughs, xxe):
        with pytest.raises(MessageParseError, match="not allowed"):
            parse_message(body)


def _shared_files():
    return sorted(SHARED.glob("*.xml")) if SHARED.is_dir() else []


@pytest.mark.skipif(not _shared_files(), reason="shared/data/wechat/callback_xml is not present")
@pytest.mark.parametrize("path", _shared_files(), ids=lambda p: p.name)
def test_every_real_payload_parses_without_losing_fields(path):
    m = parse_message(path.read_bytes())
    assert m.to_user and m.from_user and m.create_time > 0
    assert set(m.raw) >= {"ToUserName", "FromUserName", "CreateTime", "MsgType"}
    if m.msg_type == "event":
        assert m.event == m.raw["Event"].upper()


OWN_FIXTURES = [
    _xml("text", "<Content><![CDATA[社保基数什么时候调整？]]></Content><MsgId>1</MsgId>"),
    _xml("image", "<PicUrl>http://p/1</PicUrl><MediaId>m1</MediaId><MsgId>2</MsgId>"),
    _xml("voice", "<MediaId>v</MediaId><Format>amr</Format><Recognition>你好</Recognition><MsgId>3</MsgId>"),
    _xml("location", "<Location_X>22.5</Location_X><Location_Y>114.05</Location_Y><Scale>15</Scale><Label>深圳</Label><MsgId>4</MsgId>"),
    _xml("link", "<Title>t</Title><Description>d</Description><Url>https://x</Url><MsgId>5</MsgId>"),
    _xml("event", "<EventKey>qrscene_branch:sz-01</EventKey><Ticket>TK</Ticket>", event="subscribe"),
    _xml("event", "<EventKey>branch:sz-01</EventKey><Ticket>TK</Ticket>", event="SCAN"),
    _xml("event", "<EventKey>FEEDBACK</EventKey>", event="CLICK"),
    _xml("event", "<EventKey>https://example.org/a</EventKey>", event="VIEW"),
    _xml("event", "<MsgID>77</MsgID><Status>send success</Status><TotalCount>3</TotalCount><FilterCount>3</FilterCount>"
         "<SentCount>2</SentCount><ErrorCount>1</ErrorCount>", event="MASSSENDJOBFINISH"),
]


def _cross_check(xml):
    """Compare our parse with wechatpy's, field by field, for the types both know."""
    wechatpy = pytest.importorskip("wechatpy")
    ours, theirs = parse_message(xml), wechatpy.parse_message(xml)
    if theirs.type == "unknown":
        return
    assert (ours.from_user, ours.to_user, ours.create_time) == (theirs.source, theirs.target, int(theirs.create_time.timestamp()))
    if isinstance(ours, TextMessage):
        assert ours.content == theirs.content and ours.msg_id == theirs.id
    elif isinstance(ours, ImageMessage):
        assert (ours.pic_url, ours.media_id) == (theirs.image, theirs.media_id or "")
    elif isinstance(ours, VoiceMessage):
        assert (ours.media_id, ours.format, ours.recognition) == (theirs.media_id, theirs.format, theirs.recognition or "")
    elif isinstance(ours, VideoMessage):
        assert (ours.media_id, ours.thumb_media_id) == (theirs.media_id, theirs.thumb_media_id)
    elif isinstance(ours, LocationMessage):
        assert (ours.latitude, ours.longitude, ours.scale, ours.label) == (*map(float, theirs.location), int(theirs.scale), theirs.label)
    elif isinstance(ours, LinkMessage):
        assert (ours.title, ours.description, ours.url) == (theirs.title, theirs.description, theirs.url)
    elif isinstance(ours, SubscribeEvent):
        assert ours.scene_key == (getattr(theirs, "scene_id", None) or None)
    elif isinstance(ours, ScanEvent):
        assert ours.scene_key == theirs.scene_id
    elif isinstance(ours, ClickEvent):
        assert ours.key == theirs.key
    elif isinstance(ours, ViewEvent):
        assert ours.url == theirs.url
    elif isinstance(ours, MassSendJobFinishEvent):
        assert (ours.msg_id, ours.status, ours.total_count, ours.sent_count, ours.error_count) == (
            theirs.id, theirs.status, theirs.total_count, theirs.sent_count, theirs.error_count
        )
    if ours.msg_type == "event":
        # wechatpy names a subscribe through a QR code "subscribe_scan"
        assert ours.event.lower() == theirs.event.lower().removesuffix("_scan") or isinstance(ours, UnknownMessage)


@pytest.mark.parametrize("xml", OWN_FIXTURES)
def test_own_fixtures_agree_with_wechatpy(xml):
    _cross_check(xml)


@pytest.mark.skipif(not _shared_files(), reason="shared/data/wechat/callback_xml is not present")
@pytest.mark.parametrize("path", _shared_files(), ids=lambda p: p.name)
def test_real_payloads_agree_with_wechatpy(path):
    _cross_check(path.read_text("utf-8"))


# -- WeChat's flat shape read without a parser gives what the parser gives --------------------------

from hypothesis import example, given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from wxops.wechat.messages import _flat_fields, parse_xml, xml_to_dict  # noqa: E402

_parts = st.sampled_from(["<xml>", "</xml>", "<Content>", "</Content>", "<MsgId>", "</MsgId>", "<item>", "</item>",
                          "<![CDATA[", "]]>", "]", "]]", " ", "\n", "\r\n", "\t", "你好", "12", "&amp;", "&", "<",
                          ">", "<Content/>", "<?xml version='1.0'?>", "<!DOCTYPE x>", "\x01", "\u3000", "\ufffe"])


def _parsed(body):
    try:
        return xml_to_dict(parse_xml(body))
    except MessageParseError:
        return MessageParseError


@given(st.lists(_parts, max_size=16).map("".join))
@example("<xml><ToUserName><![CDATA[gh]]></ToUserName><CreateTime>1</CreateTime><Content><![CDATA[a]]]></Content></xml>")
@example("<xml><Content><![CDATA[x]]>y]]></Content></xml>")  # CDATA ends at the first ]]>: not well-formed
@example("<xml><Content><![CDATA[a\r\nb]]></Content></xml>")  # the parser makes \r\n a \n
@example("<xml><Content>a</Content><Content>b</Content></xml>")  # repeated: a list
@example("<xml><item><![CDATA[a]]></item></xml>")  # always a list
@example("<xml>\n<Content><![CDATA[]]></Content>\n<MsgId></MsgId>\n</xml>\n")
def test_the_flat_shape_without_a_parser_agrees_with_the_parser(body):
    fast = _flat_fields(body)
    if fast is not None:  # None: the parser decides, as before
        assert fast == _parsed(body)
    assert _flat_fields("<xml><A><![CDATA[1]]></A><B>2</B></xml>") == {"A": "1", "B": "2"}  # the shape WeChat sends
