from django.apps import apps
from wagtail import hooks

from wxops.core import audit


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, (label, message) in audit.declared_actions().items():
        actions.register_action(action, label, message)


@hooks.register("register_admin_viewset")
def register_api_tokens():
    """Settings → API tokens: Wagtail's own list (create, shown once; revoke), which Wagtail
    shows only with its content API (``wagtail.api.v3``) installed — wxops's APIs use it without."""
    if apps.is_installed("wagtail.api.v3"):
        return []
    from wagtail.users.views.api_tokens import APITokenViewSet

    return APITokenViewSet("wagtailusers_api_tokens", url_prefix="api-tokens")
