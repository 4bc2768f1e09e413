from wagtail import hooks

from wxops.core import audit


@hooks.register("register_log_actions")
def register_audit_actions(actions):
    for action, (label, message) in audit.declared_actions().items():
        actions.register_action(action, label, message)
