"""One automatic reply's content — text, an image or a news card — checked, and answered with; the
same code for a keyword rule, the account's welcome and default reply, and a branch's welcome.

Each of those models names its reply's fields in a :class:`~wxops.interaction.models.ReplySlot`
(``KeywordRule.REPLY``, ``AutoReply.WELCOME`` / ``AutoReply.DEFAULT``, ``Branch.WELCOME``)::

    from wxops.interaction.replies import content
    content.check(branch, Branch.WELCOME, text_label=_("welcome message"))
    # ValidationError keyed by field (nothing saved), else the picture is now WeChat material
    content.reply(Branch.WELCOME.values(branch), source="branch welcome")  # → inbound.Reply | None
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wxops.compliance import actions as compliance
from wxops.compliance.findings import Severity, summary_line
from wxops.core import inbound
from wxops.wechat import NewsItem

from ..models import ReplyKind, ReplySlot, ReplyValues
from . import media


def refuse_blocked(text: str, account, *, label: str) -> None:
    """``ValidationError`` naming the block findings of the content rules in ``text``; nothing when none.

    Review and advisory findings do not stop an automatic reply's save (the text is the
    account's own, checked once here, and a person wrote it).
    """
    if not (text or "").strip():
        return
    report = compliance.check_text(text, account=account)
    blocked = [(label, f) for f in report.findings if f.severity == Severity.BLOCK]
    if blocked:
        raise ValidationError(_("The content rules refuse this text: %(findings)s. Change it and save again.")
                              % {"findings": summary_line(blocked, limit=5)})


def problems(instance, slot: ReplySlot, *, account_id: int, text_label: str,
             text_required: bool) -> dict[str, list[str]]:
    """What is wrong with the reply in ``slot`` of ``instance``, keyed by field: a text or a title the
    content rules refuse, what its kind of reply lacks. ``text_required``: a text reply must have text
    (a keyword rule's); else empty text means "no reply" (the welcome, the default reply)."""
    errors: dict[str, list[str]] = {}
    for field, label in ((slot.text, text_label), (slot.news_title, _("news card title"))):
        try:
            refuse_blocked(getattr(instance, field), account_id, label=label)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    kind = getattr(instance, slot.kind)
    if kind == ReplyKind.TEXT and text_required and not getattr(instance, slot.text).strip():
        errors.setdefault(slot.text, []).append(_("Write the reply text."))
    if kind == ReplyKind.IMAGE and getattr(instance, f"{slot.picture}_id") is None:
        errors.setdefault(slot.picture, []).append(_("Choose the picture to send."))
    if kind == ReplyKind.NEWS:
        if not getattr(instance, slot.news_title).strip():
            errors.setdefault(slot.news_title, []).append(_("Give the news card a title."))
        if not getattr(instance, slot.news_url).startswith(("https://", "http://")):
            errors.setdefault(slot.news_url, []).append(_("Give the link the card leads to (https://…)."))
    return errors


def check(instance, slot: ReplySlot, *, text_label: str, text_required: bool = False) -> None:
    """:func:`problems` as a ``ValidationError``; when there is none, the picture is uploaded to WeChat's
    material library (:func:`media.prepare_media`) — an HTTP call: call it outside a database transaction.
    ``instance`` (a keyword rule, the auto-reply, a branch) belongs to an account (``instance.account``)."""
    check_all(instance, ((slot, text_label),), text_required=text_required)


def check_all(instance, slots, *, text_required: bool = False, errors: dict[str, list[str]] | None = None) -> None:
    """:func:`check` for each reply in ``slots`` — ``(slot, text label)`` pairs — of ``instance``: the
    problems of all and ``errors`` (the owner's own, keyed by field) in one ``ValidationError``;
    only when there are none are their pictures uploaded."""
    errors = {field: list(messages) for field, messages in (errors or {}).items()}
    for slot, text_label in slots:
        for field, messages in problems(instance, slot, account_id=instance.account_id, text_label=text_label,
                                        text_required=text_required).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    for slot, _text_label in slots:
        media.prepare_media(instance, slot, instance.account)


def reply(values: ReplyValues, *, source: str) -> inbound.Reply | None:
    """The passive reply of ``values``, or None when it answers nothing: empty text, an image never
    uploaded, a news card without a title. ``text`` is what the inbox shows of an image or a card."""
    if values.kind == ReplyKind.IMAGE:
        if not values.media_id:
            return None
        return inbound.Reply(f"[{ReplyKind.IMAGE.label}] {values.picture_id or ''}", source=source,
                             media_id=values.media_id)
    if values.kind == ReplyKind.NEWS:
        if not values.news_title:
            return None
        card = NewsItem(title=values.news_title, url=values.news_url, description=values.text,
                        pic_url=values.pic_url)
        return inbound.Reply(f"[{ReplyKind.NEWS.label}] {values.news_title}", source=source, news=(card,))
    return inbound.Reply(values.text, source=source) if values.text.strip() else None
