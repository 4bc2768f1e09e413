"""The conversations in the admin (互动 → 会话): the list per follower and one follower's thread, where
staff reply (customer-service message), assign, tag, resolve and save a reply to the knowledge base.

The views parse input and call :mod:`wxops.interaction.inbox_actions`; refusals come back as
messages in words. Times are shown in the account's time zone.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from wxops.accounts.models import Account

from . import inbox_actions as actions
from . import inbox_conversations as conversations
from .models.conversations import Conversation, ConversationStatus, CustomerServiceReply

PAGE_SIZE = 50


def can_read(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm("interaction.view_inboundmessage")))


def _require_read(request: HttpRequest) -> None:
    if not can_read(request.user):
        raise PermissionDenied


def _render(request, template: str, title: str, **context) -> HttpResponse:
    return render(request, template, {"page_title": title, "header_title": title, "header_icon": "mail",
                                      **context})


def _account(request: HttpRequest, account_id: int | str | None = None) -> Account | None:
    wanted = account_id or request.GET.get("account")
    if wanted:
        try:
            return Account.objects.get(pk=int(wanted))
        except (ValueError, Account.DoesNotExist):
            raise Http404(_("No such account.")) from None
    return Account.objects.order_by("name").first()


def conversation_list(request: HttpRequest) -> HttpResponse:
    """Conversations of one account, newest message first; filters: status, mine, tag, unanswered, search."""
    _require_read(request)
    account = _account(request)
    title = _("Conversations")
    if account is None:
        return _render(request, "interaction/conversations/index.html", title, account=None, page=None)
    status = request.GET.get("status", "open")
    status = status if status in ("open", "resolved", "all") else "open"
    rows = conversations.summaries(
        account, status="" if status == "all" else status,
        assigned_to=request.user if request.GET.get("mine") else None, tag=request.GET.get("tag", "").strip(),
        unanswered_only=bool(request.GET.get("unanswered")), search=request.GET.get("q", "").strip()[:100])
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    shown = [(row, conversations.local(row.last_at, account)) for row in page.object_list]
    return _render(request, "interaction/conversations/index.html", title, account=account, page=page, shown=shown,
                   accounts=Account.objects.order_by("name"), status=status, tags=conversations.tags_in_use(account),
                   filters=request.GET, statuses=[("open", ConversationStatus.OPEN.label),
                                                  ("resolved", ConversationStatus.RESOLVED.label),
                                                  ("all", _("All"))])


def _handlers():
    """Users who may answer followers (for the assign list)."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    return [user for user in users if actions.can_handle(user)]


def conversation_thread(request: HttpRequest, account_id: int, openid: str) -> HttpResponse:
    """One follower's thread with the reply, assign, tag and resolve forms."""
    _require_read(request)
    account = _account(request, account_id)
    if openid not in conversations.known_openids(account, [openid]):
        raise Http404(_("This follower has not written to the account."))
    note = conversations.describe(account.pk, [openid])[openid]
    conversation = Conversation.objects.filter(account=account, openid=openid).select_related("assigned_to").first()
    last = conversations.last_message(account, openid)
    closes = conversations.window_closes_at(account, openid)
    entries = [(entry, conversations.local(entry.at, account)) for entry in conversations.thread(account, openid)]
    return _render(
        request, "interaction/conversations/thread.html", note.name,
        account=account, openid=openid, note=note, conversation=conversation, entries=entries,
        is_open=conversations.is_open(conversation, last.received_at) if last else True,
        window_open=conversations.window_open(account, openid), window_closes=conversations.local(closes, account),
        can_handle=actions.can_handle(request.user), handlers=_handlers(), request_key=secrets.token_urlsafe(24),
        back=reverse("conversations:index") + f"?account={account.pk}")


@require_POST
def conversation_act(request: HttpRequest, account_id: int, openid: str, what: str) -> HttpResponse:
    """POST reply / assign / tags / resolve / reopen, then back to the thread with the outcome in words."""
    if not actions.can_handle(request.user):
        raise PermissionDenied
    account = _account(request, account_id)
    user = request.user
    try:
        if what == "reply":
            sent = actions.send_reply(account, openid, request.POST.get("text", ""), user=user,
                                      request_key=request.POST.get("request_key", ""))
            if sent.status == "sent":
                messages.success(request, _("Reply sent to %(name)s.") % {"name": _name(account, openid)})
            else:
                messages.error(request, _("The reply was not delivered: %(error)s") % {"error": sent.error})
        elif what == "assign":
            chosen = request.POST.get("assignee", "")
            assignee = get_object_or_404(get_user_model(), pk=int(chosen)) if chosen.isdigit() else None
            actions.assign(account, openid, assignee, user=user)
            messages.success(request, _("Conversation assigned."))
        elif what == "tags":
            actions.set_tags(account, openid, request.POST.get("tags", ""), user=user)
            messages.success(request, _("Tags saved."))
        elif what == "resolve":
            actions.resolve(account, openid, user=user)
            messages.success(request, _("Conversation resolved."))
        elif what == "reopen":
            actions.reopen(account, openid, user=user)
            messages.success(request, _("Conversation reopened."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("conversations:thread", account_id=account.pk, openid=openid)


@require_POST
def reply_to_knowledge(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: save a sent reply (and the question it answered) to the knowledge base."""
    reply = get_object_or_404(CustomerServiceReply.objects.select_related("in_reply_to", "account"), pk=pk)
    try:
        entry = actions.save_to_knowledge(reply, user=request.user, question=request.POST.get("question", ""))
        messages.success(request, _("Saved to the knowledge base."), buttons=[
            messages.button(reverse("knowledge_base:edit", args=[entry.pk]), _("Edit entry"))])
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("conversations:thread", account_id=reply.account_id, openid=reply.openid)


def _name(account: Account, openid: str) -> str:
    return conversations.describe(account.pk, [openid])[openid].name


class ConversationsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read(request.user)


class ConversationsViewSet(ViewSet):
    """互动 → 会话: registered in the interaction menu group."""

    name = "conversations"
    icon = "comment"
    menu_label = gettext_lazy("Conversations")
    url_prefix = "interaction/conversations"

    @property
    def menu_item_class(self):
        return ConversationsMenuItem

    def get_urlpatterns(self):
        return [
            path("", conversation_list, name="index"),
            path("<int:account_id>/<str:openid>/", conversation_thread, name="thread"),
            path("<int:account_id>/<str:openid>/<str:what>/", conversation_act, name="act"),
            path("replies/<int:pk>/knowledge/", reply_to_knowledge, name="to_knowledge"),
        ]
