from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "wxops.site"
    label = "site"
    verbose_name = "wxops"

    def ready(self) -> None:
        from wxops.site import checks  # noqa: F401  (registers the start-up checks)
