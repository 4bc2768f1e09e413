"""The site's admin: registrations only (the dashboard's panels live in :mod:`wxops.site.dashboard`,
the menu rules in :mod:`wxops.site.menus`, avatars in :mod:`wxops.site.avatars`, times on detail
screens in :mod:`wxops.site.local_times`)."""

from django.db import models
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.fields import register_display_class

from wxops.site import avatars, dashboard, menus
from wxops.site.local_times import LocalDateTimeDisplay

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

register_display_class(models.DateTimeField, display_class=LocalDateTimeDisplay)


@hooks.register("insert_global_admin_js")
def date_inputs_script():
    """Every date and time field of the admin in YYYY-MM-DD and 24 h with Wagtail's picker (see the script)."""
    return format_html('<script src="{}"></script><script src="{}" data-date-placeholder="{}" '
                       'data-time-placeholder="{}"></script>',
                       versioned_static("wagtailadmin/js/date-time-chooser.js"), static("site/js/date-inputs.js"),
                       _("YYYY-MM-DD"), _("HH:MM"))
