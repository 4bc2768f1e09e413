"""The push review (六 审核方式): submit, approve, request changes, withdraw, back to review."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.core import clock
from wxops.editorial.actions.checks import push_problems
from wxops.editorial.actions.errors import PushError
from wxops.editorial.actions.pushes import _require_plan
from wxops.editorial.actions.status import transition
from wxops.editorial.models import Push, PushArticle, PushStatus
from wxops.materials.models import Article


def can_review(user) -> bool:
    return bool(user and user.is_active and user.has_perm("editorial.approve_push"))


def _require_review(user, push: Push) -> None:
    if not can_review(user):
        raise PermissionDenied(_("Only a reviewer (审核人) may approve a push or ask for changes."))
    if push.submitted_by_id is not None and push.submitted_by_id == user.pk:
        raise PermissionDenied(_("You submitted this push; another reviewer must review it."))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise PushError(_("Not yet: %(problems)s") % {"problems": " ".join(problems)}, tuple(problems))


def submit(push: Push, *, user) -> Push:
    """Send ``push`` to review: it needs 1–8 articles WeChat will take, a coming slot, an account
    with credentials and no ``block`` finding. Review findings are left for the reviewer."""
    _require_plan(user)
    push.refresh_from_db()
    _refuse(push_problems(push, when="submit"))
    with transaction.atomic():
        moment = clock.now()
        Push.objects.filter(pk=push.pk).update(submitted_by=user, submitted_at=moment)
        PushArticle.objects.filter(push=push).update(change_request="")
        push.submitted_by, push.submitted_at = user, moment
        transition(push, PushStatus.IN_REVIEW, user=user, reason=_("Submitted for review."))
    return push


def approve(push: Push, *, user, comment: str = "") -> Push:
    """Approve ``push`` as it stands: every article's latest revision becomes its
    ``approved_revision`` (the one that will be sent). Needs a reviewer who did not submit it,
    no blocking problem and every ``review`` finding acknowledged. A push held at its slot
    may be approved until the account's late-send time that day."""
    push.refresh_from_db()
    _require_review(user, push)
    if push.status == PushStatus.HELD and push.latest_send_at <= clock.now():
        raise PushError(_("The day's last send time has passed; move the articles to a coming slot."))
    _refuse(push_problems(push, when="approve"))
    with transaction.atomic():
        for item in PushArticle.objects.select_related("article").filter(push=push):
            article = Article.objects.select_for_update().get(pk=item.article_id)
            revision = article.latest_revision or article.save_revision(user=user, log_action=False)
            PushArticle.objects.filter(pk=item.pk).update(approved_revision=revision, change_request="")
        moment = clock.now()
        Push.objects.filter(pk=push.pk).update(approved_by=user, approved_at=moment)
        push.approved_by, push.approved_at = user, moment
        transition(push, PushStatus.APPROVED, user=user, reason=comment.strip() or _("Approved."))
    return push


def request_changes(push: Push, *, user, comments: dict[int, str], summary: str = "") -> Push:
    """Send ``push`` back to its editor with a comment per article (article id → comment)."""
    push.refresh_from_db()
    _require_review(user, push)
    comments = {int(pk): text.strip() for pk, text in comments.items() if text and text.strip()}
    if not comments and not summary.strip():
        raise PushError(_("Write what should change, on the article concerned."))
    with transaction.atomic():
        known = set(PushArticle.objects.filter(push=push).values_list("article_id", flat=True))
        unknown = set(comments) - known
        if unknown:
            raise PushError(_("A comment names an article that is not in this push; reload the page."))
        for article_id, text in comments.items():
            PushArticle.objects.filter(push=push, article_id=article_id).update(change_request=text)
        reason = summary.strip() or "; ".join(comments.values())
        transition(push, PushStatus.CHANGES_REQUESTED, user=user, reason=reason,
                   recipients=(push.submitted_by_id,) if push.submitted_by_id else ())
    return push


def withdraw(push: Push, *, user, reason: str = "") -> Push:
    """The editor takes ``push`` back to drafting (from review, changes requested, approved or held)."""
    _require_plan(user)
    with transaction.atomic():
        Push.objects.filter(pk=push.pk).update(approved_by=None, approved_at=None)
        push.approved_by, push.approved_at = None, None
        transition(push, PushStatus.DRAFTING, user=user, reason=reason.strip() or _("Withdrawn by the editor."))
    return push


def return_to_review(push: Push, *, reason: str, user=None) -> Push:
    """An approved push whose article changed goes back to review: the approval no longer stands.

    Publishing calls this when :func:`gate_for_send` finds a change after approval.
    """
    with transaction.atomic():
        Push.objects.filter(pk=push.pk).update(approved_by=None, approved_at=None)
        push.approved_by, push.approved_at = None, None
        transition(push, PushStatus.IN_REVIEW, user=user, reason=reason)
    return push


def article_changed(article, *, user=None) -> list[Push]:
    """After ``article`` was edited: every approved push holding it whose approved revision is
    no longer the latest goes back to review. Returns those pushes."""
    from wxops.editorial.actions.sending import changed_since_approval

    returned = []
    for push in Push.objects.filter(status=PushStatus.APPROVED, items__article=article).distinct():
        changed = changed_since_approval(push)
        if changed:
            titles = "、".join(f"「{item.article.title}」" for item in changed)
            returned.append(return_to_review(push, user=user, reason=_(
                "Changed after approval: %(titles)s; it needs another review.") % {"titles": titles}))
    return returned
