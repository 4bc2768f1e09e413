"""The article's action menu while content rules block it: submit and approve give way to a
disabled item that says why (registered in ``wagtail_hooks.py``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.snippets.action_menu import ActionMenuItem

from wxops.editorial import review_gate
from wxops.materials.models import Article


class SubmitBlockedMenuItem(ActionMenuItem):
    """Stands where 'Submit for moderation' would be, disabled, saying why."""

    name = "wxops-submit-blocked"
    template_name = "editorial/submit_blocked_menu_item.html"

    def __init__(self, count: int, order: int = 60, *, reading: bool = False):
        super().__init__(order=order)
        self.count, self.reading = count, reading
        if reading:
            self.label = _("Submit waits: the text in a picture is being read")
        else:
            self.label = _("Submit blocked: %(count)d content-rule findings") % {"count": count}

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["reason"] = (_("The content rules panel above refreshes itself when the reading is done.")
                             if self.reading else
                             _("Fix or have an administrator override the blocking findings listed above."))
        return context


def hide_submit_while_blocked(menu_items, request, context) -> None:
    """``construct_snippet_action_menu``: swap submit/publish/approve for the disabled item."""
    instance = context.get("instance")
    if not isinstance(instance, Article) or not instance.pk:
        return
    if not any(item.name in review_gate.GATED_MENU_ITEMS for item in menu_items):
        return
    # The page answers at once: a picture whose text the worker has not read yet (a cover chosen
    # a moment ago) is queued, never read here, and holds the submit until it is read (review_gate).
    report = review_gate.findings_on_screen(request, instance)  # the panel above shows the same report
    if report.verdict != review_gate.Verdict.BLOCK:
        return
    menu_items[:] = [item for item in menu_items if item.name not in review_gate.GATED_MENU_ITEMS]
    found = review_gate.blocking(report)
    menu_items.append(SubmitBlockedMenuItem(len(found), reading=len(report.pending) == len(found)))
