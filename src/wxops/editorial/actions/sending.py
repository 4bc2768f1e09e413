"""What publishing asks editorial at the moment of sending.

    from wxops.editorial import actions
    reason = actions.gate_for_send(push)          # None, or why it must not go out, in words
    if reason is None:
        revisions = actions.sendable_revisions(push)   # the exact approved revisions, headline first
        articles = [revision.as_object() for revision in revisions]
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.models import Revision

from wxops.compliance.findings import Verdict
from wxops.editorial import review_gate
from wxops.editorial.actions.errors import PushError
from wxops.editorial.models import MAX_ARTICLES, Push, PushArticle, PushStatus
from wxops.materials.models import Article
from wxops.materials.pictures.library import unpublishable_pictures_of

#: Statuses in which an approval still stands.
APPROVAL_STANDS = (PushStatus.APPROVED, PushStatus.SENDING)


def _items(push: Push) -> list[PushArticle]:
    return list(PushArticle.objects.filter(push=push).select_related("approved_revision", "article")
                .order_by("position", "pk"))


def sendable_revisions(push: Push) -> list[Revision]:
    """The revisions the reviewer approved, in the push's order (the headline first).

    Raises :class:`PushError` when an article has no approved revision (the push was never
    approved as it stands). Render and send these, never the articles' current state.
    """
    items = _items(push)
    missing = [item.article.title for item in items if item.approved_revision_id is None]
    if missing:
        raise PushError(_("Not approved as it stands: %(titles)s.") % {"titles": "、".join(missing)})
    return [item.approved_revision for item in items]


def changed_since_approval(push: Push) -> list[PushArticle]:
    """The items whose article has a newer revision than the one approved."""
    items = _items(push)
    latest = dict(Article.objects.filter(pk__in=[i.article_id for i in items]).values_list("pk", "latest_revision_id"))
    return [item for item in items if item.approved_revision_id is not None
            and latest.get(item.article_id) != item.approved_revision_id]


def gate_for_send(push: Push) -> str | None:
    """None when ``push`` may be sent now; else the reason in words.

    Checks, on the stored state: the push is approved (or already sending) by someone; it
    holds 1–8 articles; each article's latest revision is the approved one; the content
    rules (附件一) pass on each approved revision, acknowledged review findings aside; every
    picture of each approved revision (cover and body) has a publishable licence.
    """
    push = Push.objects.filter(pk=push.pk).first()
    if push is None:
        return _("This push no longer exists.")
    if push.status not in APPROVAL_STANDS or push.approved_by_id is None:
        return _("The push is %(status)s, not approved.") % {"status": PushStatus(push.status).label}
    items = _items(push)
    if not items:
        return _("The push has no article.")
    if len(items) > MAX_ARTICLES:
        return _("The push has %(count)d articles; WeChat takes at most %(max)d.") % {
            "count": len(items), "max": MAX_ARTICLES}
    for item in items:
        if item.approved_revision_id is None:
            return _("「%(title)s」 was added after the approval.") % {"title": item.article.title}
    changed = changed_since_approval(push)
    if changed:
        return _("Changed after approval, so it needs another review: %(titles)s.") % {
            "titles": "、".join(f"「{item.article.title}」" for item in changed)}
    for item in items:
        article = item.approved_revision.as_object()
        if review_gate.gate_for_send(article) != Verdict.PASS:
            return review_gate.hold_reason(article)
        pictures = unpublishable_pictures_of(article)
        if pictures:
            return " ".join(reason for _picture, reason in pictures)
    return None


def record_delivery(push: Push, *, total: int, sent: int, errors: int) -> None:
    """Publishing reports WeChat's counts for a finished send (MASSSENDJOBFINISH); the
    calendar shows them. Idempotent: a repeated report overwrites with the same numbers."""
    Push.objects.filter(pk=push.pk).update(delivery_total=total, delivery_sent=sent, delivery_errors=errors)
    push.delivery_total, push.delivery_sent, push.delivery_errors = total, sent, errors
