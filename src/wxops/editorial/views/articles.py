"""The content-rule gate on an article's edit screen: its findings panel, decisions on single
findings, and a submit posted while something blocks saved as a draft instead."""

from __future__ import annotations

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from wxops.compliance import actions as compliance
from wxops.compliance.findings import summary_line
from wxops.editorial import review_gate
from wxops.materials.models import Article


def edit_url(article) -> str:
    return reverse("wagtailsnippets_materials_article:edit", args=[article.pk])


def _submitted_article(request, instance):
    """The article as the POSTed form would make it (None when the form is invalid)."""
    edit_handler = Article.snippet_viewset.get_edit_handler()
    form_class = edit_handler.get_form_class()
    candidate = copy.copy(instance) if instance is not None else Article()
    form = form_class(request.POST, request.FILES, instance=candidate, for_user=request.user)
    if not form.is_valid():
        return None
    return form.save(commit=False)


def refuse_blocked_submission(request, instance):
    """``before_edit_snippet`` / ``before_create_snippet``: None to let the view go on, or the
    response of saving the POSTed article as a draft when it would submit blocked content."""
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
    if len(report.pending) == len(found):
        messages.warning(request, _("Saved as a draft, not submitted yet: the text in %(pictures)s is still being "
                                    "read. The content rules panel refreshes itself; submit again when it is done.")
                         % {"pictures": "、".join(review_gate.field_label(f) for f in report.pending)})
    else:
        listed = summary_line(((review_gate.field_label(field), f) for field, f in found), limit=5)
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


def _panel_html(request, article, report, *, was_reading: bool = False, next_url: str = "") -> str:
    return render_to_string("editorial/findings_panel.html", {
        "verdict": report.verdict.value, "highlights": review_gate.highlights(report),
        "reading": report.pending, "was_reading": was_reading,
        "can_acknowledge": compliance.can_acknowledge(request.user),
        "can_override": compliance.can_override(request.user),
        "decide_url": reverse("editorial_article_findings_decide", args=[article.pk]),
        "findings_url": reverse("editorial_article_findings", args=[article.pk]),
        "next": next_url,
    }, request=request)


def findings_above_the_form(request, article) -> str:
    """The findings panel inside the article's edit page (registered with materials'
    ``ABOVE_ARTICLE_FORM`` hook): it arrives with the page instead of being fetched after it, and
    shares the report the action menu reads for the same request."""
    if article is None or not article.pk:
        return ""
    return _panel_html(request, article, review_gate.findings_on_screen(request, article))


@login_required
def findings_panel(request, pk: int):
    """The article's findings in context, with acknowledge/override forms (HTML fragment): the
    panel's refresh while a picture's text is being read."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    article = get_object_or_404(Article, pk=pk)
    report = review_gate.findings_for(article)  # a picture not read yet is queued, never read here
    return HttpResponse(_panel_html(request, article, report, was_reading=request.GET.get("was_reading") == "1",
                                    next_url=request.GET.get("next", "")))


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return fallback
    return target


@login_required
@require_POST
def decide_finding(request, pk: int):
    """Acknowledge or override one finding (with a reason), then back to where it was asked."""
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
    return redirect(_safe_next(request, edit_url(article)))
