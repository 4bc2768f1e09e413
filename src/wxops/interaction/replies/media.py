"""An automatic reply's picture in the account's WeChat material library: uploaded when the reply is
checked for saving — never on the callback's path, and never inside a database transaction.

An image reply needs the picture as a permanent image material (``media_id``); a news card
shows it by its material URL. Each rendition is uploaded once per account (publishing's
upload memory), so saving again uploads nothing.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wxops.accounts.actions import client_for
from wxops.publishing.actions.uploads import PictureProblem, image_material
from wxops.wechat import WeChatError

from ..models import ReplyKind, ReplySlot

logger = logging.getLogger("wxops.interaction.replies")


def prepare_media(instance, slot: ReplySlot, account) -> None:
    """Set the material fields of the reply in ``slot`` of ``instance`` from its picture (empty for a
    text reply or no picture).

    ``ValidationError`` on the picture field, in words, when the picture cannot be prepared or
    WeChat does not take it; the instance is then not saved (its saved row is unchanged).
    """
    picture_id = getattr(instance, f"{slot.picture}_id")
    if getattr(instance, slot.kind) == ReplyKind.TEXT or picture_id is None:
        setattr(instance, slot.media_id, "")
        setattr(instance, slot.pic_url, "")
        return
    try:
        media_id, pic_url = image_material(client_for(account), account, getattr(instance, slot.picture))
    except PictureProblem as error:
        raise ValidationError({slot.picture: str(error)}) from None
    except WeChatError as error:
        logger.warning("%s %s: WeChat did not take the picture %s: %s", type(instance).__name__, instance.pk,
                       picture_id, type(error).__name__)
        raise ValidationError({slot.picture: _(
            "WeChat did not take the picture (%(error)s). Nothing was saved; try again in a moment.")
            % {"error": error}}) from None
    setattr(instance, slot.media_id, media_id)
    setattr(instance, slot.pic_url, pic_url)
