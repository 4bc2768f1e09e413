from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import views

register_snippet(views.SourceViewSet)


@hooks.register("register_admin_urls")
def register_sources_urls():
    return [
        path("sources/pool/", views.pool, name="sources_pool"),
        path("sources/submit/", views.submit, name="sources_admin_submit"),
        path("sources/stories/<int:story_id>/<str:action>/", views.story_action, name="sources_story_action"),
        path("sources/sources/<int:source_id>/<str:action>/", views.source_action, name="sources_source_action"),
    ]


@hooks.register("register_admin_menu_item")
def register_pool_menu_item():
    return MenuItem(_("Candidate pool"), reverse("sources_pool"), icon_name="list-ul", order=150)


@hooks.register("register_admin_menu_item")
def register_submission_menu_item():
    return MenuItem(_("Submit material"), reverse("sources_admin_submit"), icon_name="upload", order=160)


@hooks.register("register_snippet_listing_buttons")
def source_listing_buttons(snippet, user, next_url=None):
    from wagtail.admin.widgets import ListingButton

    from .models import Source, SourceStatus

    if not isinstance(snippet, Source) or not (user.is_superuser or user.has_perm("sources.change_source")):
        return []
    action = "resume" if snippet.status == SourceStatus.PAUSED else "pause"
    return [
        ListingButton(_("Poll now"), reverse("sources_source_action", args=[snippet.pk, "poll"]),
                      priority=10, attrs={"data-controller": "w-action", "data-action": "click->w-action#post", "data-w-action-url-value":
                                          reverse("sources_source_action", args=[snippet.pk, "poll"])}),
        ListingButton(_("Resume") if action == "resume" else _("Pause"),
                      reverse("sources_source_action", args=[snippet.pk, action]), priority=11,
                      attrs={"data-controller": "w-action", "data-action": "click->w-action#post", "data-w-action-url-value":
                             reverse("sources_source_action", args=[snippet.pk, action])}),
    ]
