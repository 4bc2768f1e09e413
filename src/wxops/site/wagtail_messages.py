"""Wagtail 8 messages that Wagtail's own zh_Hans catalogue does not translate yet, seen on the
screens wxops users work in (dashboard, snippet lists and forms with their side panels and
messages, the image library and its bulk uploader). ``tests/test_chinese_screens.py`` renders
those screens in zh-hans and fails on English, so a new Wagtail message shows up there.

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
    # side panels of the article form, the bulk uploader, the review panels of the dashboard
    gettext_noop("Anyone can edit this %(model_name)s"),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    gettext_noop("Choose who can view the live version of this page"),
    gettext_noop("Content metrics"),
    gettext_noop("Correct the validation errors to resume preview (saving will highlight errors)"),
    gettext_noop("Go-live:"),
    gettext_noop("How we calculate our metrics"),
    gettext_noop("Invalid schedule"),
    gettext_noop("Locking: "),
    gettext_noop("Once scheduled:"),
    gettext_noop("Please provide an image description to comply with best practices for accessibility."),
    gettext_noop("Privacy and access"),
    gettext_noop("Readability"),
    gettext_noop("Reading time"),
    gettext_noop("Refresh"),
    gettext_noop("Refreshing…"),
    gettext_noop("See our <a href=\"%(guide_link)s\" target=\"_blank\">content checks guide</a> for more information on how content metrics are calculated."),
    gettext_noop("Show issue"),
    gettext_noop("This data explained"),
    gettext_noop("To be created by %(user)s"),
    gettext_noop("Upload successful. However, your new image seems to be a duplicate of this existing image. You may delete it if it wasn't required."),
    gettext_noop("We calculate reading time from word count, using different reading speeds for different languages."),
    gettext_noop("We extract the main content from the page preview, remove all formatting, and calculate the number of words."),
    gettext_noop("We use a readability formula based on length of words and sentences. Long sentences and words result in a worse readability score."),
    gettext_noop("Words"),
    gettext_noop("%(model_name)s '%(object)s' created and published."),
    gettext_noop("%(model_name)s '%(object)s' created and scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' created and submitted for moderation."),
    gettext_noop("%(model_name)s '%(object)s' has been replaced with version from %(timestamp)s."),
    gettext_noop("%(model_name)s '%(object)s' has been scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' has been submitted for moderation."),
    gettext_noop("%(model_name)s '%(object)s' is live and this version has been scheduled for publishing."),
    gettext_noop("%(model_name)s '%(object)s' updated and published."),
    gettext_noop("%(model_name)s '%(title)s' is now unlocked."),
    gettext_noop("Request to create %(model_name)s was blocked by hook."),
    gettext_noop("Request to edit %(model_name)s was blocked by hook."),
    gettext_noop("Saving will overwrite a newer version."),
    gettext_noop("Show disabled"),
    gettext_noop("Sort item order"),
    gettext_noop("The %(model_name)s '%(title)s' is not currently awaiting moderation in task '%(task_name)s'."),
    gettext_noop("The %(model_name)s '%(title)s' is not currently awaiting moderation."),
    gettext_noop("The %(model_name)s could not be saved as it is locked"),
    gettext_noop("There are validation errors, click save to highlight them."),
    gettext_noop("Version from %(timestamp)s of %(model_name)s '%(object)s' has been published."),
    gettext_noop("Version from %(timestamp)s of %(model_name)s '%(object)s' has been scheduled for publishing."),
    gettext_noop("Workflow on %(model_name)s '%(object)s' has been cancelled."),
    gettext_noop("Workflow on %(model_name)s '%(object)s' has been restarted."),
    gettext_noop("You are viewing a previous version of this %(model_name)s from <b>%(created_at)s</b> by %(user)s"),
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
