"""Wagtail 8's API-token screens (Settings → API tokens), which Wagtail's own zh_Hans catalogue
does not translate yet.

Nothing imports this module. It lists the msgids exactly as Wagtail writes them, so that
``makemessages`` keeps them in core's catalogue; Django merges every app's catalogue, so the
Chinese shows on Wagtail's screens. Drop an entry once Wagtail's catalogue translates it.
"""

from django.utils.translation import gettext_noop

MESSAGES = (
    gettext_noop("API token"),
    gettext_noop("API tokens"),
    gettext_noop("API token created"),
    gettext_noop("API token '%(name)s' revoked."),
    gettext_noop("A human-readable label to identify this token."),
    gettext_noop("Are you sure you want to revoke this API token?"),
    gettext_noop("Back to API tokens"),
    gettext_noop("Copy token"),
    gettext_noop("Copying failed — please select and copy the token manually."),
    gettext_noop("Create API token"),
    gettext_noop("Revoke API token"),
    gettext_noop("API token revoked"),
    gettext_noop("Last used"),
    gettext_noop("Never"),
    gettext_noop("No, don't revoke"),
    gettext_noop("Revoke"),
    gettext_noop("Revoked"),
    gettext_noop("Token"),
    gettext_noop("Yes, revoke"),
    gettext_noop("created"),
    gettext_noop("last used at"),
    gettext_noop("revoked at"),
    gettext_noop('The token "%(name)s" has been created, copy it now, it will never be shown again.'),
)
