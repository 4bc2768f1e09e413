"""The feedback in the Wagtail admin (menu 反馈): comments with reply / feature / delete, feedback windows and
their core issues, the director's documents with their files, and who the director is.

Comments, windows, issues and documents come from WeChat and the worker: nobody adds or edits
them by hand (the read-only policy). The changes people make go through the actions in
:mod:`.comments`, which check the permission (*change comment*), call WeChat and audit.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import register_permission_policy

from wxops.interaction.inbox import InboxPermissionPolicy
from wxops.interaction.models.feedback import (
    Comment,
    CommentState,
    CoreIssue,
    DirectorDocument,
    DirectorSetting,
    FeedbackWindow,
)

from . import comments as actions

READ_ONLY = (Comment, FeedbackWindow, CoreIssue, DirectorDocument)


def register_policies() -> None:
    for model in READ_ONLY:
        register_permission_policy(model, InboxPermissionPolicy(model))


class CommentFilterSet(WagtailFilterSet):
    created_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Written"), widget=DateRangePickerWidget)

    class Meta:
        model = Comment
        fields = ["account", "state", "is_featured"]


class CommentIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.state != CommentState.VISIBLE or not actions.can_moderate(self.request.user):
            return buttons
        if not instance.reply_content:
            buttons.append(MenuItem(_("Reply"), reverse("feedback_comment", args=[instance.pk, "reply"]),
                                    icon_name="comment", priority=40))
        how = "unfeature" if instance.is_featured else "feature"
        buttons.append(MenuItem(_("Unfeature") if instance.is_featured else _("Feature (精选)"),
                                reverse("feedback_comment", args=[instance.pk, how]), icon_name="pick", priority=41))
        buttons.append(MenuItem(_("Delete in WeChat"), reverse("feedback_comment", args=[instance.pk, "delete"]),
                                icon_name="bin", priority=42))
        return buttons


class CommentViewSet(ModelViewSet):
    model = Comment
    icon = "comment"
    menu_label = gettext_lazy("Comments")
    name = "feedback_comments"
    index_view_class = CommentIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_display = ["created_at", "account", "push", "article", "content", "is_featured", "reply_content", "state"]
    filterset_class = CommentFilterSet
    search_fields = ["content", "reply_content"]
    inspect_view_fields = ["account", "push", "article", "index", "user_comment_id", "content", "created_at",
                           "is_featured", "reply_content", "replied_at", "state", "synced_at"]


class WindowViewSet(ModelViewSet):
    model = FeedbackWindow
    icon = "time"
    menu_label = gettext_lazy("Feedback windows")
    name = "feedback_windows"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_display = ["push", "account", "state", "opens_at", "closes_at", "reach", "last_synced_at", "sync_problem"]
    list_filter = ["account", "state"]
    inspect_view_fields = ["push", "account", "msg_data_id", "opens_at", "closes_at", "state", "closed_at", "reach",
                           "last_synced_at", "sync_problem"]


class IssueViewSet(ModelViewSet):
    model = CoreIssue
    icon = "list-ol"
    menu_label = gettext_lazy("Core issues")
    name = "feedback_issues"
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = []
    list_display = ["push", "rank", "title", "volume", "tone", "unanswered", "article"]
    list_filter = ["account"]
    search_fields = ["title", "keywords"]
    inspect_view_fields = ["push", "rank", "title", "keywords", "volume", "tone", "questions", "unanswered", "quotes",
                           "article", "suggested_action", "created_at"]


def _downloads(document: DirectorDocument):
    links = [(reverse("feedback_document_file", args=[document.pk, kind]), kind.upper())
             for kind in ("pdf", "docx", "xlsx") if getattr(document, kind)]
    return format_html_join(" · ", '<a href="{}">{}</a>', links) or "—"


def _mail_state(document: DirectorDocument) -> str:
    from .documents import mail_uncertain

    if document.emailed_at is not None:
        return _("Mail sent")
    if mail_uncertain(document):
        return _("Uncertain: the sending process stopped before the mail server's answer was recorded; "
                 "ask the recipient, and send the files by hand if they lack them")
    if document.mail_claimed_at is not None:
        return _("Mail being sent")
    return _("Not mailed") if document.recipient_email else "—"


class DocumentViewSet(ModelViewSet):
    model = DirectorDocument
    icon = "doc-full"
    menu_label = gettext_lazy("Director documents")
    name = "feedback_documents"
    copy_view_enabled = False
    form_fields = []
    list_display = ["title", "account", "kind", "recipient", "created_at", "emailed_at",
                    Column("mail", label=gettext_lazy("Mail"), accessor=_mail_state),
                    Column("files", label=gettext_lazy("Files"), accessor=_downloads)]
    list_filter = ["account", "kind"]
    search_fields = ["title"]


class DirectorViewSet(ModelViewSet):
    model = DirectorSetting
    icon = "user"
    menu_label = gettext_lazy("Feedback directors")
    name = "feedback_directors"
    copy_view_enabled = False
    form_fields = ["account", "director_name", "director_email", "director_user"]
    list_display = ["account", "director_name", "director_email", "director_user"]


class FeedbackGroup(ModelViewSetGroup):
    items = (CommentViewSet, WindowViewSet, IssueViewSet, DocumentViewSet, DirectorViewSet)
    menu_icon = "comment"
    menu_label = gettext_lazy("Feedback")
    menu_name = "feedback"
    menu_order = 301


COMMENT_CHANGES = {
    "reply": gettext_lazy("Reply"),
    "feature": gettext_lazy("Feature (精选)"),
    "unfeature": gettext_lazy("Unfeature"),
    "delete": gettext_lazy("Delete in WeChat"),
}


def comment_change(request: HttpRequest, pk: int, how: str) -> HttpResponse:
    """GET: the comment and a form (the reply) or a confirmation; POST: do it through the action."""
    if how not in COMMENT_CHANGES or not actions.can_moderate(request.user):
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=pk)
    back = reverse("feedback_comments:index")
    error = ""
    if request.method == "POST":
        try:
            if how == "reply":
                actions.reply_to_comment(comment, request.POST.get("content", ""), user=request.user)
            elif how == "delete":
                actions.delete_comment(comment, user=request.user)
            else:
                actions.set_featured(comment, how == "feature", user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, _("Done: %(what)s.") % {"what": COMMENT_CHANGES[how]})
            return redirect(back)
    return render(request, "interaction/feedback/comment_change.html", {
        "comment": comment, "how": how, "back": back, "error": error, "content": request.POST.get("content", ""),
        "page_title": COMMENT_CHANGES[how], "header_title": COMMENT_CHANGES[how], "header_icon": "comment",
    })


def can_read_document(user, document: DirectorDocument) -> bool:
    if not (user and user.is_active):
        return False
    if user.is_superuser or user.has_perm("interaction.view_directordocument"):
        return True
    return DirectorSetting.objects.filter(account_id=document.account_id, director_user=user).exists()


def document_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One file of a director document, for who may read it (the permission, or the account's director)."""
    document = get_object_or_404(DirectorDocument, pk=pk)
    if not can_read_document(request.user, document):
        raise PermissionDenied
    field = getattr(document, kind, None) if kind in ("pdf", "docx", "xlsx") else None
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=document.filename(kind))


def admin_urls():
    return [
        path("feedback/comments/<int:pk>/<str:how>/", comment_change, name="feedback_comment"),
        path("feedback/documents/<int:pk>/<str:kind>/", document_file, name="feedback_document_file"),
    ]


def director_panel_documents(user, limit: int = 5):
    """The latest documents of the accounts whose director this user is (for the dashboard)."""
    accounts = DirectorSetting.objects.filter(director_user=user).values_list("account_id", flat=True)
    return list(DirectorDocument.objects.filter(account_id__in=list(accounts)).order_by("-created_at")[:limit])


def document_links(document: DirectorDocument):
    return format_html("{} {}", document.title, _downloads(document))


class DirectorDocumentsPanel(Component):
    """On the director's dashboard: the latest «推送反馈核心问题» of their accounts, with the files."""

    name = "feedback_documents"
    order = 90
    template_name = "interaction/feedback/director_panel.html"

    def __init__(self, documents: list[DirectorDocument]) -> None:
        self.documents = documents

    def get_context_data(self, parent_context=None):
        return {"documents": [document_links(document) for document in self.documents]}
