from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "wxops.compliance"
    label = "compliance"
    verbose_name = "内容规范 Compliance"
    default_auto_field = "django.db.models.BigAutoField"
    audit_actions = {
        "wxops.compliance.acknowledge": (_("Acknowledge finding"), _("Content-rule finding acknowledged")),
        "wxops.compliance.override": (_("Override finding"), _("Content-rule finding overridden")),
        "wxops.compliance.revoke": (_("Revoke finding decision"), _("Content-rule finding decision revoked")),
        "wxops.compliance.import": (_("Import terms"), _("Lexicon terms imported")),
    }
