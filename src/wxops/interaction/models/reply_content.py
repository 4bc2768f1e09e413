"""The content of one automatic reply — text, an image or a news card — as fields any model can hold.

A keyword rule holds one reply, the account's ``AutoReply`` two (the welcome and the
default reply), a branch (``promotion.Branch``) one (its welcome). Each declares its reply's
fields with the factories below and names them in a :class:`ReplySlot`; the check, the
picture's upload and the passive reply are then one code for all of them
(:mod:`wxops.interaction.replies.content`).

    class AutoReply(models.Model):
        subscribe_kind = reply_kind_field()
        subscribe_text = models.TextField(...)          # the text, or the news card's description
        subscribe_picture = reply_picture_field()
        subscribe_news_title = news_title_field()
        subscribe_news_url = news_url_field()
        subscribe_media_id = media_id_field()
        subscribe_pic_url = pic_url_field()

        WELCOME = ReplySlot.named("subscribe")
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from django.db import models
from django.utils.translation import gettext_lazy as _

#: WeChat shows a passive text reply up to 2048 bytes; 600 characters of Chinese stay under it.
REPLY_MAX_LENGTH = 600


class ReplyKind(models.TextChoices):
    """What an automatic reply answers with: WeChat's passive replies."""

    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    NEWS = "news", _("News card (图文)")


def reply_kind_field() -> models.CharField:
    return models.CharField(_("reply with"), max_length=8, choices=ReplyKind.choices, default=ReplyKind.TEXT)


def reply_picture_field() -> models.ForeignKey:
    return models.ForeignKey("materials.Picture", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("picture"),
                             help_text=_("The image sent, or the news card's picture. Uploaded to WeChat's "
                                         "material library when saved."))


def news_title_field() -> models.CharField:
    return models.CharField(_("news card title"), max_length=64, blank=True)


def news_url_field() -> models.URLField:
    return models.URLField(_("news card link"), max_length=500, blank=True,
                           help_text=_("Where the card leads, e.g. a published article's link."))


def media_id_field() -> models.CharField:
    """Set when saved: the picture as the account's permanent image material (an image reply's MediaId)."""
    return models.CharField(max_length=128, blank=True, editable=False)


def pic_url_field() -> models.URLField:
    """Set when saved: the picture's material URL (a news card's PicUrl)."""
    return models.URLField(max_length=500, blank=True, editable=False)


@dataclass(frozen=True)
class ReplyValues:
    """One reply's values, read from its model (or a row of values): what the callback answers with."""

    kind: str = ReplyKind.TEXT
    text: str = ""
    picture_id: int | None = None
    news_title: str = ""
    news_url: str = ""
    media_id: str = ""
    pic_url: str = ""


@dataclass(frozen=True)
class ReplySlot:
    """Where one reply lives on its model: the names of its fields, in :class:`ReplyValues`' order."""

    kind: str
    text: str
    picture: str
    news_title: str
    news_url: str
    media_id: str
    pic_url: str

    @classmethod
    def named(cls, prefix: str) -> ReplySlot:
        """The slot whose fields are ``<prefix>_kind``, ``<prefix>_text``, ``<prefix>_picture``, …"""
        return cls(*(f"{prefix}_{field.name}" for field in fields(cls)))

    def columns(self) -> list[str]:
        """The fields to read (e.g. with ``values_list``), the picture by its id, in :class:`ReplyValues`' order."""
        return [self.kind, self.text, f"{self.picture}_id", self.news_title, self.news_url, self.media_id,
                self.pic_url]

    def values(self, instance) -> ReplyValues:
        return self.from_row([getattr(instance, name) for name in self.columns()])

    @staticmethod
    def from_row(row) -> ReplyValues:
        """``row`` holds :meth:`columns`' values (None for a missing row's, e.g. SQL ``MAX`` over no row)."""
        kind, text, picture_id, news_title, news_url, media_id, pic_url = row
        return ReplyValues(kind or ReplyKind.TEXT, text or "", picture_id, news_title or "", news_url or "",
                           media_id or "", pic_url or "")
