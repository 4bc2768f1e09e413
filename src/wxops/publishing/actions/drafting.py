"""From approved revisions to a WeChat draft: render, upload the pictures, ``draft/add``.

Used for the send itself and for the reviewer's WeChat preview, so both carry the same HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wagtail.models import Revision

from wxops.accounts.models import Account
from wxops.materials.models import Picture
from wxops.publishing.actions.uploads import PictureProblem, body_image_url, cover_media_id
from wxops.publishing.wechat_html import wechat_html
from wxops.wechat import DraftArticle, NoCommentPermission, WeChatClient


@dataclass(frozen=True)
class PreparedArticle:
    """One article ready for ``draft/add``, with where it came from."""

    index: int
    article_id: int
    revision_id: int | None
    draft: DraftArticle


def render_body(article, *, image_url, category: str = "") -> str:
    """The article's body as WeChat HTML, its pictures at ``image_url(picture)``."""
    pictures = {}

    def url_of(picture_id: int) -> str:
        if picture_id not in pictures:
            pictures[picture_id] = Picture.objects.filter(pk=picture_id).first()
        picture = pictures[picture_id]
        if picture is None:
            raise PictureProblem(f"picture #{picture_id} of 「{article.title}」 no longer exists")
        return image_url(picture)

    return wechat_html(article.body or "", image_url=url_of, category=category)


def category_name(article, push=None) -> str:
    category = getattr(article, "category", None) or (push.effective_category if push is not None else None)
    return category.name if category is not None else ""


def prepare_articles(client: WeChatClient, account: Account, revisions: list[Revision], push=None
                     ) -> list[PreparedArticle]:
    """Render and upload each approved revision; nothing is sent to followers.

    Raises :class:`PictureProblem` (a picture that cannot go) or a WeChat error of an upload.
    """
    return prepare_edited(client, account, [(revision.as_object(), revision.pk) for revision in revisions], push)


def prepare_edited(client: WeChatClient, account: Account, articles: list[tuple[object, int | None]], push=None
                   ) -> list[PreparedArticle]:
    """:func:`prepare_articles` for articles as objects with the revision they come from (or None)."""
    prepared = []
    for index, (article, revision_id) in enumerate(articles):
        html = render_body(article, image_url=lambda picture: body_image_url(client, account, picture),
                           category=category_name(article, push))
        if article.cover_id is None:
            raise PictureProblem(f"「{article.title}」 has no cover picture")
        thumb = cover_media_id(client, account, article.cover)
        draft = DraftArticle(title=article.title.strip(), content=html, thumb_media_id=thumb,
                             author=article.author or "", digest=article.digest or "",
                             content_source_url=article.source_url or "",
                             need_open_comment=bool(article.open_comments))
        prepared.append(PreparedArticle(index, article.pk, revision_id, draft))
    return prepared


def make_draft(client: WeChatClient, prepared: list[PreparedArticle]) -> tuple[str, list[PreparedArticle]]:
    """``draft/add`` of the prepared articles: the draft's media_id and the articles as drafted —
    without comments when the account may not open them (WeChat refuses the draft otherwise)."""
    try:
        return client.drafts.add([p.draft for p in prepared]), prepared
    except NoCommentPermission:
        prepared = [replace(p, draft=replace(p.draft, need_open_comment=False, only_fans_can_comment=False))
                    for p in prepared]
        return client.drafts.add([p.draft for p in prepared]), prepared
