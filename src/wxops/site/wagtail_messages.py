"""Wagtail 8 messages that Wagtail's own zh_Hans catalogue does not translate yet, seen on the
screens wxops users work in (dashboard, snippet lists and forms, the image library).

Nothing imports this module. It lists the msgids, exactly as Wagtail writes them, so that
``makemessages`` keeps them in the site app's catalogue; Django merges every app's catalogue,
so the Chinese shows wherever Wagtail asks for these messages. Drop an entry once Wagtail's
own catalogue translates it.
"""

from django.utils.translation import gettext_noop, ngettext

MESSAGES = (
    gettext_noop("New: %(model_name)s"),
    gettext_noop('There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'),
    gettext_noop("Search all pages…"),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Actions (footer)"),
    gettext_noop("Toggle checks"),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop("Grid layout"),
    gettext_noop("List layout"),
    gettext_noop("Oldest"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Usage count: (high to low)"),
)


def _plural_messages(count: int) -> tuple[str, ...]:
    """Never called: makemessages reads the singular and plural forms from these calls."""
    return (
        ngettext("1 snippet type", "%(counter)s snippet types", count),
        ngettext('%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
                 '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>', count),
        ngettext('%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
                 '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>', count),
        ngettext('%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
                 '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>', count),
    )
