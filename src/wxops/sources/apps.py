from django.apps import AppConfig


class SourcesConfig(AppConfig):
    name = "wxops.sources"
    label = "sources"
    verbose_name = "信息来源 Sources"
    default_auto_field = "django.db.models.BigAutoField"
