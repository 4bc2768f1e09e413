"""The inbox in the Wagtail admin: read-only listing and detail of what followers sent, the auto-reply
settings, and the one change staff make by hand — mark a message kept or ignored."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy

from . import actions
from .inbox_conversations import MESSAGE_KINDS, describe
from .inbox_views import ConversationsViewSet
from .models import AutoReply, HandledStatus, InboundMessage
from .replies.admin import (
    AutoReplyCreateView,
    AutoReplyEditView,
    AutoReplyForm,
    KeywordRuleViewSet,
    KnowledgeEntryViewSet,
)

#: Statuses staff may set by hand (``answered`` is set when a reply goes out).
MANUAL_STATUSES = {"keep": HandledStatus.KEPT, "ignore": HandledStatus.IGNORED}


class InboxPermissionPolicy(ModelPermissionPolicy):
    """Messages come only from WeChat: nobody adds, edits or deletes them in the admin, not even a superuser."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


def can_mark(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("interaction.change_inboundmessage"))


class InboxFilterSet(WagtailFilterSet):
    received_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Received"),
                                                       widget=DateRangePickerWidget)

    class Meta:
        model = InboundMessage
        fields = ["account", "kind", "status"]


def follower_of(message: InboundMessage) -> str:
    """Who wrote, as a person reads it: the name or stable short label, and the branch when known."""
    if not message.from_openid:
        return ""
    note = describe(message.account_id, [message.from_openid])[message.from_openid]
    return f"{note.name} · {note.branch}" if note.branch else note.name


class InboxIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.from_openid and instance.kind in MESSAGE_KINDS:
            buttons.append(MenuItem(_("Conversation"), reverse("conversations:thread", args=[
                instance.account_id, instance.from_openid]), icon_name="comment", priority=39))
        if instance.status == HandledStatus.NEW and can_mark(self.request.user):
            buttons.append(MenuItem(_("Keep"), reverse("interaction_mark", args=[instance.pk, "keep"]),
                                    icon_name="tick", priority=40))
            buttons.append(MenuItem(_("Ignore"), reverse("interaction_mark", args=[instance.pk, "ignore"]),
                                    icon_name="cross", priority=41))
        return buttons


class InboxInspectView(InspectView):
    """The message's detail; who wrote comes first, as the list names them (the openid stays below)."""

    def get_field_label(self, field_name, field):
        return _("Follower") if field_name == "follower" else super().get_field_label(field_name, field)

    template_name = "interaction/inbox_inspect.html"
    #: What WeChat sent, for whoever debugs a callback: folded away below what an operator needs.
    technical_fields = ["msg_type", "event", "from_openid", "dedupe_key", "reply_source", "xml"]

    def get_follower_display_value(self):
        return follower_of(self.object) or "—"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["technical"] = [self.get_context_for_field(name) for name in self.technical_fields]
        return context


class InboxViewSet(ModelViewSet):
    model = InboundMessage
    icon = "mail"
    menu_label = gettext_lazy("Inbox")
    name = "inbox"
    index_view_class = InboxIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []  # never edited: the policy refuses add, change and delete
    list_display = ["received_at", "account", "kind",
                    Column("follower", label=gettext_lazy("Follower"), accessor=follower_of),
                    "content", "scene_key", "status"]
    filterset_class = InboxFilterSet
    search_fields = ["content", "from_openid", "scene_key"]
    inspect_view_class = InboxInspectView
    inspect_view_fields = ["account", "follower", "kind", "content", "scene_key", "sent_at", "received_at", "status",
                           "reply"]
    ordering = ["-received_at", "-id"]


def _reply_panels(slot, heading) -> MultiFieldPanel:
    return MultiFieldPanel([FieldPanel(name) for name in (slot.kind, slot.text, slot.picture, slot.news_title,
                                                          slot.news_url)], heading=heading)


class AutoReplyViewSet(ModelViewSet):
    model = AutoReply
    icon = "comment"
    menu_label = gettext_lazy("Auto-replies")
    name = "auto_replies"
    # Each reply (text, image or news card) passes the content rules, and its picture goes to WeChat's
    # material library, before anything is saved (AutoReplyForm; saved by replies.actions, audited).
    edit_handler = ObjectList([
        FieldPanel("account"),
        _reply_panels(AutoReply.WELCOME, gettext_lazy("Reply on follow")),
        _reply_panels(AutoReply.DEFAULT, gettext_lazy("Reply to messages (when nothing else answers)")),
        FieldPanel("knowledge_threshold"),
    ], base_form_class=AutoReplyForm)
    list_display = ["account", "subscribe_kind", "subscribe_text", "message_kind", "message_text",
                    "knowledge_threshold"]
    copy_view_enabled = False
    add_view_class = AutoReplyCreateView
    edit_view_class = AutoReplyEditView


class InteractionGroup(ModelViewSetGroup):
    items = (ConversationsViewSet, InboxViewSet, AutoReplyViewSet, KeywordRuleViewSet, KnowledgeEntryViewSet)
    menu_icon = "mail"
    menu_label = gettext_lazy("Interaction")
    menu_name = "interaction"
    menu_order = 300


def mark(request: HttpRequest, pk: int, how: str) -> HttpResponse:
    """GET: ask to confirm; POST: mark the message kept or ignored (through the transition table)."""
    if not can_mark(request.user):
        raise PermissionDenied
    inbound = get_object_or_404(InboundMessage, pk=pk)
    status = MANUAL_STATUSES.get(how)
    if status is None:
        raise PermissionDenied
    back = reverse("inbox:index")
    if request.method != "POST":
        return render(request, "interaction/mark.html", {
            "inbound": inbound, "status": status, "back": back,
            "page_title": status.label, "header_title": status.label, "header_icon": "mail",
        })
    try:
        actions.set_status(inbound, status, user=request.user)
        messages.success(request, _("Message marked “%(status)s”.") % {"status": status.label})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)
