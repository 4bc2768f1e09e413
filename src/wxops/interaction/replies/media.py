"""A keyword rule's picture in the account's WeChat material library: uploaded when the rule is
checked for saving — never on the callback's path, and never inside a database transaction.

An image reply needs the picture as a permanent image material (``media_id``); a news card
shows it by its material URL. Each rendition is uploaded once per account (publishing's
upload memory), so saving the rule again uploads nothing.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from wxops.accounts.actions import client_for
from wxops.publishing.actions.uploads import PictureProblem, image_material
from wxops.wechat import WeChatError

from ..models import KeywordRule, ReplyKind

logger = logging.getLogger("wxops.interaction.replies")


def prepare_media(rule: KeywordRule) -> None:
    """Set ``rule.reply_media_id`` and ``reply_pic_url`` from its picture (empty for a text rule or no picture).

    ``ValidationError`` on the picture field, in words, when the picture cannot be prepared or
    WeChat does not take it; the rule is then not saved.
    """
    if rule.reply_kind == ReplyKind.TEXT or rule.reply_picture_id is None:
        rule.reply_media_id, rule.reply_pic_url = "", ""
        return
    try:
        rule.reply_media_id, rule.reply_pic_url = image_material(client_for(rule.account), rule.account,
                                                                 rule.reply_picture)
    except PictureProblem as error:
        raise ValidationError({"reply_picture": str(error)}) from None
    except WeChatError as error:
        logger.warning("keyword rule %s: WeChat did not take the picture %s: %s", rule.pk, rule.reply_picture_id,
                       type(error).__name__)
        raise ValidationError({"reply_picture": _(
            "WeChat did not take the picture (%(error)s). Nothing was saved; try again in a moment.")
            % {"error": error}}) from None
