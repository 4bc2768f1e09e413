from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "wxops.materials"
    label = "materials"
    verbose_name = "素材 Materials"
    default_auto_field = "django.db.models.BigAutoField"
    # The names are the constants of wxops.materials.actions.
    audit_actions = {
        "wxops.materials.picture_added": (_("Add picture"), _("Picture added to the library with its provenance")),
    }
