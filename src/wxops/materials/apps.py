from django.apps import AppConfig


class MaterialsConfig(AppConfig):
    name = "wxops.materials"
    label = "materials"
    verbose_name = "素材 Materials"
    default_auto_field = "django.db.models.BigAutoField"
