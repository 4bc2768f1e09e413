from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs):
    # post_migrate is sent once per installed app: refresh the roles once, after the last one, when
    # every app's permissions exist (it ran ~25 times per migrate, most of a second run's migrate time).
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is not last:
        return
    from wxops.accounts.roles import ensure_roles

    ensure_roles()


class AccountsConfig(AppConfig):
    name = "wxops.accounts"
    label = "accounts"
    verbose_name = "公众号 Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Groups and permissions are set-up data, refreshed after every migrate so that
        # permissions of models added later reach the roles.
        post_migrate.connect(_ensure_roles, dispatch_uid="wxops.accounts.ensure_roles")
