"""The site's admin: registrations only (the dashboard's panels live in :mod:`wxops.site.dashboard`)."""

from wagtail import hooks

from wxops.site import dashboard

#: Wagtail's own home panels that still apply here: articles in the review workflow.
KEPT_WAGTAIL_PANELS = {"workflow_objects_to_moderate", "user_objects_in_workflow_moderation"}


@hooks.register("construct_homepage_panels")
def desk_panels(request, panels):
    kept = [panel for panel in panels if getattr(panel, "name", "") in KEPT_WAGTAIL_PANELS]
    panels[:] = [*dashboard.panels_for(request.user), *kept]
