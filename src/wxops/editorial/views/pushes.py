"""One push in the admin: its articles, what must be fixed, its review, and its phone preview."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from wxops.accounts import times
from wxops.accounts.models import Category
from wxops.core import clock
from wxops.editorial import actions, preview, review_gate
from wxops.editorial.models import EDITABLE, FINISHED, Notice, Push, PushArticle, PushStatus
from wxops.materials.models import Article


def _require_view(user) -> None:
    if not user.has_perm("editorial.view_push"):
        raise PermissionDenied


def _push(pk: int) -> Push:
    return get_object_or_404(Push.objects.select_related("account", "category", "suggested_category",
                                                         "submitted_by", "approved_by"), pk=pk)


def push_detail(request, pk: int):
    """The push: articles in order with their problems and findings; add from the article list
    or the candidate pool; submit, withdraw, cancel; review (approve or ask for changes)."""
    _require_view(request.user)
    push = _push(pk)
    items = list(push.items.select_related("article__category", "article__cover", "approved_revision")
                 .order_by("position", "pk"))
    for item in items:
        edited = actions.as_edited(item.article)
        item.edited = edited
        item.problems = actions.article_problems(item.article)
        item.highlights = review_gate.highlights(review_gate.findings_for(edited))
    in_pushes = PushArticle.objects.exclude(push__status__in=[PushStatus.CANCELLED, PushStatus.FAILED])
    query = request.GET.get("q", "").strip()
    candidates = Article.objects.filter(account=push.account).exclude(pk__in=in_pushes.values("article"))
    if query:
        candidates = candidates.filter(Q(title__icontains=query) | Q(digest__icontains=query))
    Notice.objects.filter(user=request.user, push=push, read_at__isnull=True).update(read_at=clock.now())
    title = _("Push of %(slot)s · %(account)s") % {"slot": times.shown(push.slot_at, push), "account": push.account.name}
    return TemplateResponse(request, "editorial/push_detail.html", {
        "page_title": title, "header_title": title, "header_icon": "date",
        # ``account``: the site's base.html shows every time of the page in the account's zone.
        "push": push, "account": push.account, "items": items, "candidates": candidates.order_by("-updated_at")[:30], "query": query,
        "stories": _pool(push), "categories": Category.objects.filter(account=push.account, active=True),
        "editable": push.status in EDITABLE, "finished": push.status in FINISHED,
        "can_plan": actions.can_plan(request.user), "can_review": actions.can_review(request.user),
        "own_push": push.submitted_by_id == request.user.pk,
        "review_findings": actions.review_findings(push) if push.status == PushStatus.IN_REVIEW else [],
        "problems": actions.push_problems(push) if push.status in EDITABLE and items else [],
        "statuses": PushStatus, "next": request.get_full_path(),
    })


def _pool(push: Push):
    from wxops.sources.models import Story, StoryStatus

    return Story.objects.filter(account=push.account, status=StoryStatus.CANDIDATE).select_related(
        "category").order_by("-rank")[:10]


def _article(request, push: Push) -> Article:
    article = Article.objects.filter(pk=request.POST.get("article") or 0, account=push.account).first()
    if article is None:
        raise actions.PushError(_("Choose an article of this official account."))
    return article


def _from_pool(request, push: Push) -> Article:
    from wxops.sources import actions as sources
    from wxops.sources.models import Story

    story = get_object_or_404(Story, pk=request.POST.get("story") or 0, account=push.account)
    try:
        return sources.turn_into_article(story, request.user)
    except ValidationError as error:
        raise actions.PushError(" ".join(error.messages)) from None


def _added(request, added) -> None:
    title = added.item.article.title
    if added.problems:
        messages.error(request, _("「%(title)s」 added, but fix this before submitting: %(problems)s") % {
            "title": title, "problems": " ".join(added.problems)})
    else:
        messages.success(request, _("「%(title)s」 added.") % {"title": title})


@require_POST
def push_action(request, pk: int, action: str):
    """POST one action on the push; back to the push with what happened (or what to fix)."""
    push = _push(pk)
    user = request.user
    try:
        if action == "add":
            _added(request, actions.add_article(push, _article(request, push), user=user))
        elif action == "add-story":
            _added(request, actions.add_article(push, _from_pool(request, push), user=user))
        elif action == "remove":
            actions.remove_article(push, _article(request, push), user=user)
        elif action in ("up", "down"):
            order = list(push.items.order_by("position", "pk").values_list("article_id", flat=True))
            moved = _article(request, push).pk
            index = order.index(moved)
            other = index - 1 if action == "up" else index + 1
            if 0 <= other < len(order):
                order[index], order[other] = order[other], order[index]
                actions.reorder(push, order, user=user)
        elif action == "category":
            category = Category.objects.filter(pk=request.POST.get("category") or 0, account=push.account).first()
            actions.choose_category(push, category, user=user)
        elif action == "submit":
            actions.submit(push, user=user)
            messages.success(request, _("Submitted; the reviewer has been told."))
        elif action == "withdraw":
            actions.withdraw(push, user=user, reason=request.POST.get("reason", ""))
        elif action == "cancel":
            actions.cancel_slot(push, user=user, note=request.POST.get("reason", ""))
        elif action == "approve":
            actions.approve(push, user=user, comment=request.POST.get("comment", ""))
            messages.success(request, _("Approved; it goes out at %(slot)s.") % {"slot": times.shown(push.slot_at, push)})
        elif action == "request-changes":
            comments = {int(key.split("-", 1)[1]): value for key, value in request.POST.items()
                        if key.startswith("comment-") and key.split("-", 1)[1].isdigit()}
            actions.request_changes(push, user=user, comments=comments, summary=request.POST.get("summary", ""))
            messages.success(request, _("Sent back to the editor with your comments."))
        else:
            raise Http404
    except actions.PushError as error:
        if len(error.problems) > 1:
            messages.error(request, _("Not done. Fix these first:"))
            for problem in error.problems:
                messages.error(request, problem)
        else:
            messages.error(request, error.message)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not do this."))
    return redirect("editorial_push", push.pk)


def push_preview(request, pk: int):
    """The push on a phone, as followers will see it: the chat card, then each article."""
    _require_view(request.user)
    push = _push(pk)
    approved = push.status in (PushStatus.APPROVED, PushStatus.SENDING, PushStatus.SENT)
    articles = []
    for item in push.items.select_related("article", "approved_revision").order_by("position", "pk"):
        # An approved push shows exactly what will be (or was) sent; otherwise the latest edit.
        shown = item.approved_revision.as_object() if approved and item.approved_revision else \
            actions.as_edited(item.article)
        articles.append(preview.render(shown, push.account))
    return TemplateResponse(request, "editorial/push_preview.html", {"push": push, "articles": articles})


def add_to_push(request, article_pk: int):
    """From the article list: choose one of the account's coming pushes for this article."""
    _require_view(request.user)
    article = get_object_or_404(Article, pk=article_pk)
    if request.method == "POST":
        push = get_object_or_404(Push, pk=request.POST.get("push") or 0, account=article.account)
        try:
            _added(request, actions.add_article(push, article, user=request.user))
        except (actions.PushError, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("editorial_add_to_push", article.pk)
        return redirect("editorial_push", push.pk)
    actions.plan_upcoming(article.account)
    pushes = Push.objects.filter(account=article.account, slot_at__gt=clock.now(),
                                 status__in=EDITABLE).order_by("slot_at")[:20]
    return TemplateResponse(request, "editorial/add_to_push.html", {
        "article": article, "pushes": pushes, "page_title": _("Add to a push"), "header_title": _("Add to a push"),
        "header_icon": "date"})


def notices(request):
    """The signed-in person's notices, newest first; opening the page marks them read."""
    mine = list(Notice.objects.filter(user=request.user).select_related("push__account")[:100])
    Notice.objects.filter(user=request.user, read_at__isnull=True).update(read_at=clock.now())
    return TemplateResponse(request, "editorial/notices.html", {"notices": mine, "page_title": _("Notices"),
                                                               "header_title": _("Notices"), "header_icon": "mail",
                                                               "calendar_url": reverse("editorial_calendar")})
