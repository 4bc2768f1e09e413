"""Pre-flight: what would stop a push at 11:30 that editorial's own checks cannot see.

Editorial checks WeChat's field limits, the cover, picture licences, the content rules and
the credentials at submit and approval. Publishing adds what only the sender knows — a
picture that cannot be made to fit WeChat (unreadable, or too big even after resizing), a
picture embedded but deleted, and the body over WeChat's 20,000 characters *as rendered*
(inline styles count) — registered into editorial's checks, so they show at submit and
approval. :func:`recheck_upcoming` runs them again every hour on approved pushes of the
next days (a picture or credential may change after approval) and sends a push that would
fail back to review with the reasons, days or hours before its slot instead of at it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from wxops.accounts.times import shown
from wxops.core import clock
from wxops.editorial import actions as editorial
from wxops.editorial.actions import TransitionError
from wxops.editorial.actions.checks import CONTENT_MAX
from wxops.editorial.models import Push, PushStatus
from wxops.materials.models import Picture
from wxops.materials.pictures.library import pictures_of, wechat_rendition
from wxops.publishing.actions.drafting import category_name, render_body
from wxops.publishing.actions.uploads import PictureProblem

#: As long as a real uploadimg URL, so the rendered length is the length WeChat will count.
PLACEHOLDER_URL = "https://mmbiz.qpic.cn/mmbiz_jpg/" + "0" * 64 + "/0?wx_fmt=jpeg"
#: How far ahead approved pushes are checked again.
AHEAD = timedelta(days=3)


def _picture_problem(article, picture: Picture, kind: str) -> str | None:
    try:
        wechat_rendition(picture, kind)
    except (OSError, ValueError) as error:  # NotAnImage, RenditionError, the file is gone
        return _("「%(title)s」: the picture “%(picture)s” cannot be prepared for WeChat (%(error)s); replace it.") % {
            "title": article.title, "picture": picture.title, "error": error}
    return None


def article_send_problems(article, push: Push | None = None) -> list[str]:
    """What stops ``article`` (as it would be sent) at send time, beyond editorial's checks."""
    problems = []
    for picture in pictures_of(article):
        kinds = ["cover"] if picture.pk == article.cover_id else []
        if picture.pk != article.cover_id or f'id="{picture.pk}"' in (article.body or ""):
            kinds.append("inline")
        for kind in kinds:
            problem = _picture_problem(article, picture, kind)
            if problem:
                problems.append(problem)
    try:
        html = render_body(article, image_url=lambda picture: PLACEHOLDER_URL, category=category_name(article, push))
    except PictureProblem as problem:
        return [*problems, _("「%(title)s」: %(problem)s.") % {"title": article.title, "problem": problem}]
    if len(html) >= CONTENT_MAX:
        problems.append(_("「%(title)s」 is %(count)d characters as WeChat receives it (with its formatting); WeChat "
                          "takes less than %(max)d. Shorten it or split it in two.") % {
            "title": article.title, "count": len(html), "max": CONTENT_MAX})
    return problems


def push_send_problems(push: Push) -> list[str]:
    """Registered into editorial's ``push_problems``: each article as last edited."""
    problems = []
    for item in push.items.select_related("article").order_by("position", "pk"):
        problems.extend(article_send_problems(editorial.as_edited(item.article), push))
    return problems


def recheck_upcoming(now: datetime | None = None) -> list[int]:
    """Approved pushes of the next days that would not go out now are sent back to review, with why.

    Returns their ids. A push checked clean is left alone, so running this often is harmless.
    """
    now = now or clock.now()
    returned = []
    for push in Push.objects.filter(status=PushStatus.APPROVED, slot_at__gt=now, slot_at__lte=now + AHEAD) \
            .select_related("account").order_by("slot_at"):
        problems = editorial.push_problems(push)
        if not problems:
            continue
        reason = _("The pre-flight check found what would stop it at %(slot)s: %(problems)s") % {
            "slot": shown(push.slot_at, push), "problems": " ".join(problems)}
        try:
            editorial.return_to_review(push, reason=reason)
        except TransitionError:
            continue
        returned.append(push.pk)
    return returned
