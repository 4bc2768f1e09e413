"""Inbound callback messages and events, parsed from WeChat's XML into frozen dataclasses.

:func:`parse_message` never drops a payload: a type it does not know becomes
:class:`UnknownMessage` with every field kept in ``raw``. Event names are matched
case-insensitively (real payloads carry ``scan`` as well as ``SCAN``). The XML parser
refuses DTDs and entities (no XXE, no billion laughs).

Every message has ``to_user`` (the account's gh_ id), ``from_user`` (the follower's
openid), ``create_time`` (epoch seconds), ``msg_type``, ``raw`` (all fields, nested
elements as dicts, repeated ones as lists) and ``dedupe_key`` (MsgId for messages,
from_user + create_time for events — WeChat retries a callback up to 3 times).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element  # noqa: S405 - only the type; parsing goes through defusedxml

import defusedxml.ElementTree as SafeET

from .publish import PublishedArticle

__all__ = [
    "ClickEvent",
    "CustomerServiceSessionEvent",
    "Event",
    "ImageMessage",
    "LinkMessage",
    "LocationMessage",
    "LocationReportEvent",
    "MassSendJobFinishEvent",
    "MenuLocationEvent",
    "MenuPicturesEvent",
    "MenuScanEvent",
    "Message",
    "MessageParseError",
    "PublishJobFinishEvent",
    "ScanEvent",
    "ShortVideoMessage",
    "SubscribeEvent",
    "SubscriptionChoice",
    "SubscriptionMessageEvent",
    "TemplateSendJobFinishEvent",
    "TextMessage",
    "UnknownMessage",
    "UnsubscribeEvent",
    "VideoMessage",
    "ViewEvent",
    "ViewMiniProgramEvent",
    "VoiceMessage",
    "parse_message",
    "xml_to_dict",
]

QRSCENE_PREFIX = "qrscene_"


class MessageParseError(ValueError):
    """The body is not a WeChat message: not XML, forbidden XML constructs, or no <xml> root."""


@dataclass(frozen=True, kw_only=True)
class Message:
    to_user: str
    from_user: str
    create_time: int
    msg_type: str
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def dedupe_key(self) -> str:
        msg_id = self.raw.get("MsgId") or self.raw.get("MsgID")
        if msg_id and self.msg_type != "event":
            return f"msg:{msg_id}"
        return f"event:{self.from_user}:{self.create_time}"


@dataclass(frozen=True, kw_only=True)
class TextMessage(Message):
    content: str
    msg_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ImageMessage(Message):
    pic_url: str
    media_id: str
    msg_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class VoiceMessage(Message):
    media_id: str
    format: str = ""
    recognition: str = ""  # speech-to-text, when the account has it switched on
    msg_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class VideoMessage(Message):
    media_id: str
    thumb_media_id: str = ""
    msg_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ShortVideoMessage(VideoMessage):
    pass


@dataclass(frozen=True, kw_only=True)
class LocationMessage(Message):
    latitude: float  # Location_X
    longitude: float  # Location_Y
    scale: int = 0
    label: str = ""
    msg_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class LinkMessage(Message):
    title: str
    description: str = ""
    url: str = ""
    msg_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class Event(Message):
    """Base of events; ``event`` is the upper-cased event name."""

    event: str


@dataclass(frozen=True, kw_only=True)
class SubscribeEvent(Event):
    """A new follower. ``scene_key`` is the QR code's scene without ``qrscene_`` (None if not via QR)."""

    scene_key: str | None = None
    ticket: str = ""


@dataclass(frozen=True, kw_only=True)
class UnsubscribeEvent(Event):
    pass


@dataclass(frozen=True, kw_only=True)
class ScanEvent(Event):
    """An existing follower scanned a parametric QR code; ``scene_key`` has no prefix."""

    scene_key: str
    ticket: str = ""


@dataclass(frozen=True, kw_only=True)
class ClickEvent(Event):
    key: str


@dataclass(frozen=True, kw_only=True)
class ViewEvent(Event):
    url: str
    menu_id: str = ""


@dataclass(frozen=True, kw_only=True)
class MassSendJobFinishEvent(Event):
    """A mass send finished (sent "when the task is about to finish": counts may move a little)."""

    msg_id: int
    status: str
    total_count: int = 0
    filter_count: int = 0
    sent_count: int = 0
    error_count: int = 0
    article_urls: tuple[PublishedArticle, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PublishJobFinishEvent(Event):
    """A freepublish job finished; ``fail_idx`` are 1-based article indexes."""

    publish_id: str
    publish_status: int
    article_id: str = ""
    articles: tuple[PublishedArticle, ...] = ()
    fail_idx: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TemplateSendJobFinishEvent(Event):
    msg_id: int
    status: str


@dataclass(frozen=True, kw_only=True)
class LocationReportEvent(Event):
    """LOCATION: the follower's position, reported on entering the chat when the account asks for it."""

    latitude: float
    longitude: float
    precision: float = 0.0


@dataclass(frozen=True, kw_only=True)
class MenuScanEvent(Event):
    """scancode_push / scancode_waitmsg: a menu button opened the scanner; ``result`` is what it read."""

    key: str
    scan_type: str = ""
    result: str = ""


@dataclass(frozen=True, kw_only=True)
class MenuPicturesEvent(Event):
    """pic_sysphoto / pic_photo_or_album / pic_weixin: a menu button sent pictures (their MD5 sums)."""

    key: str
    count: int = 0
    md5_sums: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class MenuLocationEvent(Event):
    """location_select: a menu button sent a place picked on the map."""

    key: str
    latitude: float = 0.0
    longitude: float = 0.0
    scale: int = 0
    label: str = ""
    poi_name: str = ""


@dataclass(frozen=True, kw_only=True)
class ViewMiniProgramEvent(Event):
    """view_miniprogram: a menu button opened a mini program page (``page_path``)."""

    page_path: str
    menu_id: str = ""


@dataclass(frozen=True)
class SubscriptionChoice:
    """One template in a subscribe_msg_* event: the follower's choice, or the result of a sent message."""

    template_id: str
    status: str = ""  # accept / reject (popup, change); success / failed (sent)
    popup_scene: str = ""
    msg_id: str = ""
    error_code: str = ""


@dataclass(frozen=True, kw_only=True)
class SubscriptionMessageEvent(Event):
    """subscribe_msg_popup_event / subscribe_msg_change_event / subscribe_msg_sent_event (订阅通知)."""

    choices: tuple[SubscriptionChoice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CustomerServiceSessionEvent(Event):
    """kf_create_session / kf_close_session / kf_switch_session: a customer-service agent took, closed or
    passed on the conversation."""

    kf_account: str = ""
    from_kf_account: str = ""
    to_kf_account: str = ""


@dataclass(frozen=True, kw_only=True)
class UnknownMessage(Message):
    """A message or event this module has no class for; everything is in ``raw``."""

    event: str = ""


#: Tags that WeChat repeats for each entry of a list: always a list, even with one entry.
LIST_TAGS = frozenset({"item", "List"})


def xml_to_dict(element: Element) -> dict[str, Any]:
    """Children of ``element`` as a dict: leaf text, nested dicts, lists for repeated tags.

    ``<item>`` (and the subscription events' ``<List>``) is always a list, so one entry parses
    like several: ``{"item": [{…}]}``.
    """
    result: dict[str, Any] = {}
    for child in element:
        value: Any = xml_to_dict(child) if len(child) else (child.text or "")
        if child.tag in result:
            existing = result[child.tag]
            result[child.tag] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[child.tag] = [value] if child.tag in LIST_TAGS else value
    return result


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _opt_int(value: Any) -> int | None:
    return _int(value) if value not in (None, "") else None


def _float(value: Any) -> float:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        return 0.0


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return value if isinstance(value, list) else [value]


def _articles(items: Any, idx_key: str, url_key: str) -> tuple[PublishedArticle, ...]:
    return tuple(
        PublishedArticle(_int(i.get(idx_key)), _str(i.get(url_key))) for i in _as_list(items) if isinstance(i, Mapping)
    )


def _parse_event(base: dict[str, Any], raw: dict[str, Any]) -> Message:
    name = _str(raw.get("Event")).strip()
    event = name.upper()
    base["event"] = event
    key = _str(raw.get("EventKey"))
    if event == "SUBSCRIBE":
        scene = key[len(QRSCENE_PREFIX) :] if key.startswith(QRSCENE_PREFIX) else None
        return SubscribeEvent(**base, scene_key=scene, ticket=_str(raw.get("Ticket")))
    if event == "UNSUBSCRIBE":
        return UnsubscribeEvent(**base)
    if event == "SCAN":
        return ScanEvent(**base, scene_key=key, ticket=_str(raw.get("Ticket")))
    if event == "CLICK":
        return ClickEvent(**base, key=key)
    if event == "VIEW":
        return ViewEvent(**base, url=key, menu_id=_str(raw.get("MenuId")))
    if event == "MASSSENDJOBFINISH":
        url_result = raw.get("ArticleUrlResult")
        items = url_result.get("ResultList") if isinstance(url_result, Mapping) else None
        if isinstance(items, Mapping) and "item" in items:
            items = items["item"]
        return MassSendJobFinishEvent(
            **base,
            msg_id=_int(raw.get("MsgID", raw.get("MsgId"))),
            status=_str(raw.get("Status")),
            total_count=_int(raw.get("TotalCount")),
            filter_count=_int(raw.get("FilterCount")),
            sent_count=_int(raw.get("SentCount")),
            error_count=_int(raw.get("ErrorCount")),
            article_urls=_articles(items, "ArticleIdx", "ArticleUrl"),
        )
    if event == "PUBLISHJOBFINISH":
        info = raw.get("PublishEventInfo") if isinstance(raw.get("PublishEventInfo"), Mapping) else {}
        detail = info.get("article_detail") if isinstance(info.get("article_detail"), Mapping) else {}
        return PublishJobFinishEvent(
            **base,
            publish_id=_str(info.get("publish_id")),
            publish_status=_int(info.get("publish_status"), -1),
            article_id=_str(info.get("article_id")),
            articles=_articles(detail.get("item"), "idx", "article_url"),
            fail_idx=tuple(_int(x) for x in _as_list(info.get("fail_idx"))),
        )
    if event == "TEMPLATESENDJOBFINISH":
        return TemplateSendJobFinishEvent(**base, msg_id=_int(raw.get("MsgID", raw.get("MsgId"))), status=_str(raw.get("Status")))
    return _parse_other_event(event, base, raw, key)


def _parse_other_event(event: str, base: dict[str, Any], raw: dict[str, Any], key: str) -> Message:
    if event == "LOCATION":
        return LocationReportEvent(**base, latitude=_float(raw.get("Latitude")), longitude=_float(raw.get("Longitude")),
                                   precision=_float(raw.get("Precision")))
    if event in ("SCANCODE_PUSH", "SCANCODE_WAITMSG"):
        info = _mapping(raw.get("ScanCodeInfo"))
        return MenuScanEvent(**base, key=key, scan_type=_str(info.get("ScanType")), result=_str(info.get("ScanResult")))
    if event in ("PIC_SYSPHOTO", "PIC_PHOTO_OR_ALBUM", "PIC_WEIXIN"):
        info = _mapping(raw.get("SendPicsInfo"))
        pictures = [_mapping(item) for item in _as_list(_mapping(info.get("PicList")).get("item"))]
        return MenuPicturesEvent(**base, key=key, count=_int(info.get("Count")),
                                 md5_sums=tuple(_str(picture.get("PicMd5Sum")) for picture in pictures))
    if event == "LOCATION_SELECT":
        info = _mapping(raw.get("SendLocationInfo"))
        return MenuLocationEvent(**base, key=key, latitude=_float(info.get("Location_X")),
                                 longitude=_float(info.get("Location_Y")), scale=_int(info.get("Scale")),
                                 label=_str(info.get("Label")), poi_name=_str(info.get("Poiname")))
    if event == "VIEW_MINIPROGRAM":
        return ViewMiniProgramEvent(**base, page_path=key, menu_id=_str(raw.get("MenuId")))
    if event in _SUBSCRIPTION_EVENTS:
        holder = _mapping(raw.get(_SUBSCRIPTION_EVENTS[event]))
        return SubscriptionMessageEvent(**base, choices=tuple(
            SubscriptionChoice(template_id=_str(entry.get("TemplateId")),
                               status=_str(entry.get("SubscribeStatusString") or entry.get("ErrorStatus")),
                               popup_scene=_str(entry.get("PopupScene")), msg_id=_str(entry.get("MsgID")),
                               error_code=_str(entry.get("ErrorCode")))
            for entry in map(_mapping, _as_list(holder.get("List")))))
    if event in ("KF_CREATE_SESSION", "KF_CLOSE_SESSION", "KF_SWITCH_SESSION"):
        return CustomerServiceSessionEvent(**base, kf_account=_str(raw.get("KfAccount")),
                                           from_kf_account=_str(raw.get("FromKfAccount")),
                                           to_kf_account=_str(raw.get("ToKfAccount")))
    return UnknownMessage(**base)


_SUBSCRIPTION_EVENTS = {
    "SUBSCRIBE_MSG_POPUP_EVENT": "SubscribeMsgPopupEvent",
    "SUBSCRIBE_MSG_CHANGE_EVENT": "SubscribeMsgChangeEvent",
    "SUBSCRIBE_MSG_SENT_EVENT": "SubscribeMsgSentEvent",
}


def _parse_plain(base: dict[str, Any], raw: dict[str, Any]) -> Message:
    kind = base["msg_type"]
    msg_id = _opt_int(raw.get("MsgId"))
    if kind == "text":
        return TextMessage(**base, content=_str(raw.get("Content")), msg_id=msg_id)
    if kind == "image":
        return ImageMessage(**base, pic_url=_str(raw.get("PicUrl")), media_id=_str(raw.get("MediaId")), msg_id=msg_id)
    if kind == "voice":
        return VoiceMessage(
            **base,
            media_id=_str(raw.get("MediaId")),
            format=_str(raw.get("Format")),
            recognition=_str(raw.get("Recognition")),
            msg_id=msg_id,
        )
    if kind in ("video", "shortvideo"):
        cls = VideoMessage if kind == "video" else ShortVideoMessage
        return cls(**base, media_id=_str(raw.get("MediaId")), thumb_media_id=_str(raw.get("ThumbMediaId")), msg_id=msg_id)
    if kind == "location":
        return LocationMessage(
            **base,
            latitude=_float(raw.get("Location_X")),
            longitude=_float(raw.get("Location_Y")),
            scale=_int(raw.get("Scale")),
            label=_str(raw.get("Label")),
            msg_id=msg_id,
        )
    if kind == "link":
        return LinkMessage(
            **base,
            title=_str(raw.get("Title")),
            description=_str(raw.get("Description")),
            url=_str(raw.get("Url")),
            msg_id=msg_id,
        )
    return UnknownMessage(**base)


def parse_xml(xml: str | bytes) -> Element:
    """Parse untrusted XML safely; raise :class:`MessageParseError` with a one-line reason."""
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    try:
        return SafeET.fromstring(xml.strip(), forbid_dtd=True)
    except SafeET.ParseError as exc:
        raise MessageParseError(f"not well-formed XML: {exc}") from None
    except Exception as exc:  # DTDForbidden, EntitiesForbidden, ...
        raise MessageParseError(f"XML rejected ({type(exc).__name__}): DTDs and entities are not allowed") from None


#: WeChat's own shape of a message: ``<xml>`` holding leaf elements, each one CDATA section or plain
#: text. Read without a parser (a third of the protocol's time per message went to defusedxml);
#: anything else — nesting, repeated or list tags, entities, a declaration, a carriage return (a
#: parser normalises line ends), a character XML forbids — goes to the parser, which decides.
_ONE_FIELD = r"<(?P<tag>[A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[(?P<cdata>(?:[^\]]|\](?!\]>))*)\]\]>|(?P<plain>[^<&\]]*))</(?P=tag)>"
_FIELD = re.compile(_ONE_FIELD)
_FLAT = re.compile(r"[ \t\n]*<xml>(?:[ \t\n]*" + _ONE_FIELD + r")*[ \t\n]*</xml>[ \t\n]*")
_NOT_PLAIN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]")


def _flat_fields(xml: str | bytes) -> dict[str, str] | None:
    """The fields of a message in WeChat's flat shape, as :func:`xml_to_dict` gives them; None: parse it."""
    if isinstance(xml, bytes):
        try:
            xml = xml.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if _NOT_PLAIN.search(xml) or _FLAT.fullmatch(xml) is None:
        return None
    fields: dict[str, str] = {}
    for match in _FIELD.finditer(xml, xml.index("<xml>") + 5):
        tag = match["tag"]
        if tag in fields or tag in LIST_TAGS:
            return None
        fields[tag] = match["cdata"] if match["cdata"] is not None else match["plain"]
    return fields


def parse_message(xml: str | bytes) -> Message:
    """Parse one plaintext callback body (already decrypted) into a typed message.

    Raises :class:`MessageParseError` when the body is not a ``<xml>`` document.
    """
    raw = _flat_fields(xml)
    if raw is None:
        root = parse_xml(xml)
        if root.tag != "xml":
            raise MessageParseError(f"root element is <{root.tag}>, expected <xml>")
        raw = xml_to_dict(root)
    base: dict[str, Any] = {
        "to_user": _str(raw.get("ToUserName")).strip(),
        "from_user": _str(raw.get("FromUserName")).strip(),
        "create_time": _int(raw.get("CreateTime")),
        "msg_type": _str(raw.get("MsgType")).strip().lower(),
        "raw": raw,
    }
    if base["msg_type"] == "event":
        return _parse_event(base, raw)
    return _parse_plain(base, raw)
