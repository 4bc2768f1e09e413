"""Admin for the content rules: lexicons, terms, allowlist, and import/export of terms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from wxops.compliance import actions
from wxops.compliance.findings import Severity
from wxops.compliance.highlighting import highlighted
from wxops.compliance.models import SEVERITY_CHOICES, AllowedPhrase, FindingDecision, Lexicon, Term


class LexiconViewSet(SnippetViewSet):
    model = Lexicon
    icon = "list-ul"
    menu_label = gettext_lazy("Lexicons")
    list_display = ["name", "account", "active", "version", "updated_at"]
    list_filter = ["account", "active"]
    search_fields = ["name", "description"]


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "tag"
    menu_label = gettext_lazy("Terms")
    list_display = ["term", "clause", "severity", "family", "pinyin", "lexicon"]
    list_filter = ["lexicon", "clause", "severity", "family", "pinyin"]
    search_fields = ["term", "suggestion"]
    list_per_page = 100


class AllowedPhraseViewSet(SnippetViewSet):
    model = AllowedPhrase
    icon = "tick-inverse"
    menu_label = gettext_lazy("Allowlist")
    list_display = ["phrase", "note", "lexicon"]
    list_filter = ["lexicon"]
    search_fields = ["phrase", "note"]


class FindingDecisionViewSet(SnippetViewSet):
    """Decisions are made on the article's review panel (with a reason); here they are listed."""

    model = FindingDecision
    icon = "warning"
    menu_label = gettext_lazy("Finding decisions")
    list_display = ["text", "clause", "severity", "decision", "reason", "decided_by", "decided_at"]
    list_filter = ["decision", "clause", "severity"]
    search_fields = ["text", "reason"]
    inspect_view_enabled = True


class ComplianceGroup(SnippetViewSetGroup):
    items = (LexiconViewSet, TermViewSet, AllowedPhraseViewSet, FindingDecisionViewSet)
    menu_icon = "warning"
    menu_label = gettext_lazy("Content rules")
    menu_name = "compliance"
    menu_order = 800


class CheckForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Text or HTML to check"), widget=forms.Textarea(attrs={"rows": 10}),
                           max_length=200_000)
    account = forms.ModelChoiceField(label=gettext_lazy("Account (its own lexicons apply too)"), required=False,
                                     queryset=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.apps import apps

        self.fields["account"].queryset = apps.get_model("accounts", "Account").objects.all()


def check_text_view(request):
    """Paste a text (or HTML) and see what the content rules find, highlighted in context."""
    if not request.user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    form = CheckForm(request.POST or None)
    report = None
    marked = ""
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        report = actions.check_text(text, form.cleaned_data["account"], html=text.lstrip().startswith("<"))
        marked = highlighted(report)
    return TemplateResponse(request, "compliance/check_text.html", {"form": form, "report": report, "marked": marked})


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV term,clause,severity[,family,pinyin,suggestion] or one term a line)"))
    clause = forms.ChoiceField(label=gettext_lazy("Clause for one-term-a-line files"),
                               choices=Term._meta.get_field("clause").choices, initial="3")
    severity = forms.ChoiceField(label=gettext_lazy("Severity for one-term-a-line files"), choices=SEVERITY_CHOICES,
                                 initial=Severity.REVIEW.value)
    replace = forms.BooleanField(label=gettext_lazy("Remove terms that are not in the file"), required=False)


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def import_terms_view(request, pk: int):
    _require(request, "compliance.change_lexicon")
    lexicon = get_object_or_404(Lexicon, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("Save the file as UTF-8 text."))
        else:
            try:
                count = actions.import_terms(request.user, lexicon, text, clause=form.cleaned_data["clause"],
                                             severity=form.cleaned_data["severity"],
                                             replace=form.cleaned_data["replace"])
            except ValidationError as error:
                form.add_error("file", error.messages)
            else:
                messages.success(request, _("Imported %(count)d terms into %(lexicon)s.")
                                 % {"count": count, "lexicon": lexicon})
                return redirect("wagtailsnippets_compliance_term:list")
    return TemplateResponse(request, "compliance/import_terms.html", {"lexicon": lexicon, "form": form})


def export_terms_view(request, pk: int):
    _require(request, "compliance.view_lexicon")
    lexicon = get_object_or_404(Lexicon, pk=pk)
    lines = request.GET.get("format") == "lines"
    response = HttpResponse(actions.export_terms(lexicon, as_csv=not lines),
                            content_type="text/plain; charset=utf-8" if lines else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lexicon-{lexicon.pk}.{"txt" if lines else "csv"}"'
    return response
