"""Editorial in the Wagtail admin: registrations only (views live in ``views/``, menus in
``viewsets.py`` and ``action_menu.py``), as Wagtail's ``contrib/redirects/wagtail_hooks.py``."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from wxops.editorial import action_menu, actions, viewsets
from wxops.editorial.models import Notice
from wxops.editorial.views import articles, calendar, people, pushes
from wxops.materials.models import Article
from wxops.materials.views import ABOVE_ARTICLE_FORM


@hooks.register("register_admin_viewset")
def register_viewsets():
    return viewsets.EditorialGroup()


hooks.register("construct_snippet_action_menu", action_menu.hide_submit_while_blocked)


@hooks.register("before_edit_snippet")
def gate_submit_on_edit(request, instance):
    return articles.refuse_blocked_submission(request, instance) if isinstance(instance, Article) else None


@hooks.register("before_create_snippet")
def gate_submit_on_create(request, model):
    return articles.refuse_blocked_submission(request, None) if model is Article else None


@hooks.register("after_edit_snippet")
def return_changed_pushes_to_review(request, instance):
    if isinstance(instance, Article):
        actions.article_changed(instance, user=request.user)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("editorial/article/<int:pk>/findings/", articles.findings_panel, name="editorial_article_findings"),
        path("editorial/article/<int:pk>/findings/decide/", articles.decide_finding,
             name="editorial_article_findings_decide"),
        path("editorial/article/<int:article_pk>/add-to-push/", pushes.add_to_push, name="editorial_add_to_push"),
        path("editorial/calendar/", calendar.calendar_view, name="editorial_calendar"),
        path("editorial/calendar/add-slot/", calendar.add_slot_view, name="editorial_add_slot"),
        path("editorial/push/<int:pk>/", pushes.push_detail, name="editorial_push"),
        path("editorial/push/<int:pk>/preview/", pushes.push_preview, name="editorial_push_preview"),
        path("editorial/push/<int:pk>/<slug:action>/", pushes.push_action, name="editorial_push_action"),
        path("editorial/notices/", pushes.notices, name="editorial_notices"),
        path("editorial/preview-contact/", people.preview_contact, name="editorial_preview_contact"),
    ]


class NoticesMenuItem(MenuItem):
    """"Notices (3)": the unread count in the menu, so a reviewer sees a push waiting at once."""

    def get_context(self, request):
        context = super().get_context(request)
        unread = Notice.objects.filter(user=request.user, read_at__isnull=True).count()
        if unread:
            context["label"] = f"{self.label} ({unread})"
        return context

    def render_component(self, request):
        component = super().render_component(request)
        unread = Notice.objects.filter(user=request.user, read_at__isnull=True).count()
        if unread:
            component.label = f"{self.label} ({unread})"
        return component


class CalendarMenuItem(MenuItem):
    """Shown only to whom the calendar opens for (it refuses anyone without view_push)."""

    def is_shown(self, request):
        return request.user.has_perm("editorial.view_push")


@hooks.register("register_admin_menu_item")
def register_calendar_menu_item():
    return CalendarMenuItem(_("Push calendar"), reverse("editorial_calendar"), icon_name="date", order=190)


@hooks.register("register_admin_menu_item")
def register_notices_menu_item():
    return NoticesMenuItem(_("Notices"), reverse("editorial_notices"), icon_name="mail", order=195)


@hooks.register("register_account_menu_item")
def register_preview_contact_item(request):
    return {"url": reverse("editorial_preview_contact"), "label": _("WeChat for previews"),
            "help_text": _("Where WeChat previews of pushes to review reach you.")}


@hooks.register("register_snippet_listing_buttons")
def add_to_push_button(snippet, user, next_url=None):
    if isinstance(snippet, Article) and actions.can_plan(user):
        return [ListingButton(_("Add to a push"), reverse("editorial_add_to_push", args=[snippet.pk]), priority=30)]
    return []


hooks.register(ABOVE_ARTICLE_FORM, articles.findings_above_the_form)  # the findings panel arrives with the edit page
