"""The content-rule gate in the admin: findings on the article's edit and review screen,
submit-for-review refused while something blocks, decisions on single findings."""

from __future__ import annotations

import copy
import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.action_menu import ActionMenuItem

from wxops.compliance import actions as compliance
from wxops.editorial import review_gate
from wxops.materials.models import Article


def edit_url(article) -> str:
    return reverse("wagtailsnippets_materials_article:edit", args=[article.pk])


class SubmitBlockedMenuItem(ActionMenuItem):
    """Stands where 'Submit for moderation' would be, disabled, saying why."""

    name = "wxops-submit-blocked"
    template_name = "compliance/submit_blocked_menu_item.html"

    def __init__(self, count: int, order: int = 60):
        super().__init__(order=order)
        self.count = count
        self.label = _("Submit blocked: %(count)d content-rule findings") % {"count": count}

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["reason"] = _("Fix or have an administrator override the blocking findings listed above.")
        return context


@hooks.register("construct_snippet_action_menu")
def hide_submit_while_blocked(menu_items, request, context):
    instance = context.get("instance")
    if not isinstance(instance, Article) or not instance.pk:
        return
    if not any(item.name in review_gate.GATED_MENU_ITEMS for item in menu_items):
        return
    report = review_gate.gate_for_submission(instance)
    if report is None:
        return
    menu_items[:] = [item for item in menu_items if item.name not in review_gate.GATED_MENU_ITEMS]
    menu_items.append(SubmitBlockedMenuItem(len(review_gate.blocking(report))))


def _submitted_article(request, instance):
    """The article as the POSTed form would make it (None when the form is invalid)."""
    edit_handler = Article.snippet_viewset.get_edit_handler()
    form_class = edit_handler.get_form_class()
    candidate = copy.copy(instance) if instance is not None else Article()
    form = form_class(request.POST, request.FILES, instance=candidate, for_user=request.user)
    if not form.is_valid():
        return None
    return form.save(commit=False)


def _refuse_blocked_submission(request, instance):
    approving = "action-workflow-action" in request.POST and request.POST.get("workflow-action-name") == "approve"
    if request.method != "POST" or not (approving or any(a in request.POST for a in review_gate.GATED_POST_ACTIONS)):
        return None
    candidate = _submitted_article(request, instance)
    if candidate is None:
        return None  # the view shows the form errors and does not submit
    report = review_gate.findings_for(candidate)
    if instance is not None and instance.pk:
        report = type(report)(parts=report.parts, decisions=compliance.decisions_for(instance))
    if report.verdict != review_gate.Verdict.BLOCK:
        return None
    found = review_gate.blocking(report)
    listed = "; ".join(f"{review_gate.field_label(field)} 「{f.text}」 ({f.clause})" for field, f in found[:5])
    messages.error(request, _("Saved as a draft but not submitted for review: %(count)d blocking content-rule "
                              "findings (附件一): %(list)s. Fix them, or ask an administrator to override.")
                   % {"count": len(found), "list": listed})
    # Save as a draft instead of submitting, so the editor keeps the changes: the view has
    # already chosen its action from the POST, so run it again on the POST without the submit.
    request.POST = request.POST.copy()
    for action in (*review_gate.GATED_POST_ACTIONS, "action-workflow-action", "workflow-action-name"):
        request.POST.pop(action, None)
    viewset = Article.snippet_viewset
    if instance is not None and instance.pk:
        return viewset.edit_view(request, pk=str(instance.pk))
    return viewset.add_view(request)


@hooks.register("before_edit_snippet")
def gate_submit_on_edit(request, instance):
    if isinstance(instance, Article):
        return _refuse_blocked_submission(request, instance)
    return None


@hooks.register("before_create_snippet")
def gate_submit_on_create(request, model):
    if model is Article:
        return _refuse_blocked_submission(request, None)
    return None


@login_required
def findings_panel(request, pk: int):
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=pk)
    report = review_gate.findings_for(article)
    highlights = review_gate.highlights(report)
    html = render_to_string("compliance/findings_panel.html", {
        "verdict": report.verdict.value, "highlights": highlights,
        "can_acknowledge": compliance.can_acknowledge(request.user),
        "can_override": compliance.can_override(request.user),
        "decide_url": reverse("editorial_article_findings_decide", args=[article.pk]),
    }, request=request)
    return HttpResponse(html)


@login_required
@require_POST
def decide_finding(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    field, fingerprint = request.POST.get("field", ""), request.POST.get("fingerprint", "")
    report = review_gate.findings_for(article)
    match = next((f for name, f, _d in report.findings() if name == field and f.fingerprint == fingerprint), None)
    if match is None:
        raise Http404(_("This finding is no longer in the article."))
    try:
        compliance.decide(request.user, article, field, match, request.POST.get("decision", ""),
                          request.POST.get("reason", ""))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, "; ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Decision recorded: 「%(text)s」 (%(clause)s).") % {
            "text": match.text, "clause": match.clause})
    target = request.POST.get("next") or edit_url(article)
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = edit_url(article)
    return redirect(target)


@hooks.register("register_admin_urls")
def review_gate_urls():
    return [
        path("editorial/article/<int:pk>/findings/", findings_panel, name="editorial_article_findings"),
        path("editorial/article/<int:pk>/findings/decide/", decide_finding, name="editorial_article_findings_decide"),
    ]


@hooks.register("insert_editor_js")
def findings_panel_script():
    base = reverse("editorial_article_findings", args=[0])[: -len("0/findings/")]
    edit_base = reverse("wagtailsnippets_materials_article:edit", args=[0])[: -len("0/")]
    return f"""<script>
(function () {{
  var editBase = {json.dumps(edit_base)}, base = {json.dumps(base)};
  if (location.pathname.indexOf(editBase) !== 0) return;
  var pk = location.pathname.slice(editBase.length).split("/")[0];
  if (!/^\\d+$/.test(pk)) return;
  fetch(base + pk + "/findings/", {{credentials: "same-origin"}}).then(function (r) {{
    return r.ok ? r.text() : "";
  }}).then(function (html) {{
    var form = document.querySelector("form[data-edit-form]");
    if (!html || !form) return;
    var box = document.createElement("div");
    box.innerHTML = html;
    form.parentNode.insertBefore(box, form);
  }});
}})();
</script>"""
