"""Registers the sources admin: the source list, the pool, poll progress, submissions, their menu items.

Hooks only register; the views are in :mod:`wxops.sources.views` and
:mod:`wxops.sources.picture_views`.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import actions, picture_views, views

register_snippet(views.SourceViewSet)


@hooks.register("register_admin_urls")
def register_sources_urls():
    return [
        path("sources/pool/", views.pool, name="sources_pool"),
        path("sources/pool/link/", views.add_link, name="sources_add_link"),
        path("sources/submit/", views.submit, name="sources_admin_submit"),
        path("sources/pictures/from-url/", picture_views.picture_from_url, name="sources_picture_from_url"),
        path("sources/stories/<int:story_id>/pictures/", picture_views.story_pictures, name="sources_story_pictures"),
        path("sources/stories/<int:story_id>/<str:action>/", views.story_action, name="sources_story_action"),
        path("sources/sources/<int:source_id>/polls/<int:attempt_id>/", views.poll_progress,
             name="sources_poll_progress"),
        path("sources/sources/<int:source_id>/<str:action>/", views.source_action, name="sources_source_action"),
    ]


class _PermittedMenuItem(MenuItem):
    """A menu item shown only to whom the page behind it will not refuse."""

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def is_shown(self, request):
        return self.allowed(request.user)


@hooks.register("register_admin_menu_item")
def register_pool_menu_item():
    return _PermittedMenuItem(_("Candidate pool"), reverse("sources_pool"), icon_name="list-ul", order=150,
                              allowed=actions.can_view_pool)


@hooks.register("register_admin_menu_item")
def register_submission_menu_item():
    return _PermittedMenuItem(_("Submit material"), reverse("sources_admin_submit"), icon_name="upload", order=160,
                              allowed=actions.can_submit)


@hooks.register("register_admin_menu_item")
def register_picture_from_url_menu_item():
    from wxops.materials.actions import can_add_picture

    return _PermittedMenuItem(_("Picture from the web"), reverse("sources_picture_from_url"), icon_name="image",
                              order=310, allowed=can_add_picture)


@hooks.register("register_snippet_listing_buttons")
def source_listing_buttons(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from .models import Source, SourceKind, SourceStatus

    if not isinstance(snippet, Source) or not actions.can_manage_sources(user):
        return []
    buttons = []
    if snippet.kind != SourceKind.SUBMISSION:
        url = reverse("sources_source_action", args=[snippet.pk, "poll"])
        buttons.append(ListingButton(_("Poll now"), url, priority=10, attrs={
            "data-controller": "w-action", "data-action": "click->w-action#post", "data-w-action-url-value": url}))
    action = "resume" if snippet.status == SourceStatus.PAUSED else "pause"
    url = reverse("sources_source_action", args=[snippet.pk, action])
    buttons.append(ListingButton(_("Resume") if action == "resume" else _("Pause"), url, priority=11, attrs={
        "data-controller": "w-action", "data-action": "click->w-action#post", "data-w-action-url-value": url}))
    return buttons
