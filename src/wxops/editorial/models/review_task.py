"""The review task of the plan (六 审核方式) on single articles: content rules first."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


class ContentRulesApprovalTask(AbstractGroupApprovalTask):
    """A reviewers' approval that cannot approve an article with ``block`` findings.

    The edit view already hides "approve" for such an article; this task also takes it out
    of the dashboard's and the workflow history's action lists, and refuses it if posted.
    """

    class Meta:
        verbose_name = _("reviewer approval with content rules")
        verbose_name_plural = _("reviewer approvals with content rules")

    @staticmethod
    def _blocked(obj) -> bool:
        from wxops.editorial.review_gate import gate_for_submission

        current = obj.get_latest_revision_as_object() if hasattr(obj, "get_latest_revision_as_object") else obj
        return gate_for_submission(current) is not None

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if any(name == "approve" for name, *_rest in actions) and self._blocked(obj):
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and self._blocked(task_state.workflow_state.content_object):
            raise PermissionDenied(_("This article breaks the content rules; it cannot be approved."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve; an article with blocking content-rule findings "
                 "cannot be approved")
