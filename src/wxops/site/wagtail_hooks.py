"""The site's admin: registrations only (the dashboard's panels live in :mod:`wxops.site.dashboard`,
the menu rules in :mod:`wxops.site.menus`, avatars in :mod:`wxops.site.avatars`)."""

from wagtail import hooks

from wxops.site import avatars, dashboard, menus

#: Wagtail's own home panels that still apply here: articles in the review workflow.
KEPT_WAGTAIL_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}


@hooks.register("construct_homepage_panels")
def desk_panels(request, panels):
    kept = [panel for panel in panels if getattr(panel, "name", "") in KEPT_WAGTAIL_PANELS]
    panels[:] = [*dashboard.panels_for(request.user), *kept]


hooks.register("construct_main_menu", menus.trim_main_menu)
hooks.register("construct_settings_menu", menus.trim_settings_menu)
hooks.register("construct_reports_menu", menus.trim_reports_menu)
hooks.register("construct_help_menu", menus.trim_help_menu)
hooks.register("get_avatar_url", avatars.avatar_url)
