from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "wxops.sources"
    label = "sources"
    verbose_name = "信息来源 Sources"
    default_auto_field = "django.db.models.BigAutoField"
    # The names are the constants of wxops.sources.actions.audit_log.
    audit_actions = {
        "wxops.sources.turn_into_article": (_("Turn story into article"), _("Article draft created from a pool story")),
        "wxops.sources.choose_category": (_("Choose category"), _("Story category chosen")),
        "wxops.sources.story_status": (_("Change story status"), _("Story status changed")),
        "wxops.sources.source_status": (_("Pause or resume source"), _("Source paused or resumed")),
        "wxops.sources.reprint_status": (_("Set reprint status"), _("Reprint status set")),
        "wxops.sources.poll_requested": (_("Poll source now"), _("Poll of a source requested")),
    }
