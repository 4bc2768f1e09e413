"""Admin views of sources: source list (snippet viewset), the ranked candidate pool, staff submissions."""

from __future__ import annotations

import base64
import json
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from wagtail.snippets.views.snippets import SnippetViewSet

from wxops.accounts.models import Account, Category
from wxops.core import clock

from . import actions
from .models import Source, SourceStatus, Story, StoryStatus


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "link-external"
    menu_label = gettext_lazy("Sources")
    menu_name = "sources"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "kind", "status", "consecutive_failures", "last_error", "last_polled_at", "next_poll_at"]
    list_filter = ["account", "kind", "status"]
    search_fields = ["name", "location"]
    form_fields = ["account", "name", "kind", "location", "interval_minutes"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "kind", "location", "interval_minutes", "status", "paused_reason",
                           "consecutive_failures", "last_error", "last_polled_at", "next_poll_at", "history"]


# ---------------------------------------------------------------- the candidate pool


def _can_edit(user) -> bool:
    return user.is_superuser or user.has_perm("sources.change_story")


def pool(request):
    """Stories ranked for the editors, filtered by account, category, source, date and status."""
    if not _can_edit(request.user) and not request.user.has_perm("sources.view_story"):
        raise PermissionDenied
    stories = Story.objects.select_related("category", "account", "article")
    params = request.GET
    status = params.get("status") or StoryStatus.CANDIDATE
    stories = stories.filter(status=status)
    if params.get("account"):
        stories = stories.filter(account_id=params["account"])
    if params.get("category"):
        stories = stories.filter(category_id=params["category"])
    if params.get("source"):
        stories = stories.filter(items__source_id=params["source"]).distinct()
    since = _date(params.get("since"))
    if since:
        stories = stories.filter(first_seen_at__gte=datetime.combine(since, time.min, tzinfo=clock.now().tzinfo))
    until = _date(params.get("until"))
    if until:
        stories = stories.filter(first_seen_at__lt=datetime.combine(until + timedelta(days=1), time.min,
                                                                    tzinfo=clock.now().tzinfo))
    page = Paginator(stories.order_by("-rank", "-first_seen_at"), 50).get_page(params.get("p"))
    for story in page:
        story.copies = list(story.items.order_by("-rank").values("id", "source_name", "url", "title", "keywords"))
    return render(request, "sources/pool.html", {
        "header_title": _("Candidate pool"), "page_title": _("Candidate pool"), "header_icon": "list-ul",
        "page": page, "params": params, "status": status, "statuses": StoryStatus.choices,
        "accounts": Account.objects.all(), "categories": Category.objects.filter(active=True).select_related("account"),
        "sources": Source.objects.all(), "can_edit": _can_edit(request.user),
    })


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def story_action(request, story_id: int, action: str):
    """POST: ``article`` (turn into an article draft), ``dismiss``, ``restore`` or ``category``."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _can_edit(request.user):
        raise PermissionDenied
    story = get_object_or_404(Story, pk=story_id)
    back = request.POST.get("next") or reverse("sources_pool")
    if not back.startswith("/"):
        back = reverse("sources_pool")
    try:
        if action == "article":
            article = actions.turn_into_article(story, request.user)
            messages.success(request, _("Article draft “%(title)s” created.") % {"title": article.title})
            return redirect(reverse("wagtailsnippets_materials_article:edit", args=[article.pk]))
        if action == "dismiss":
            actions.set_story_status(story, StoryStatus.DISMISSED)
        elif action == "restore":
            actions.set_story_status(story, StoryStatus.CANDIDATE)
        elif action == "category":
            category = get_object_or_404(Category, pk=request.POST.get("category"), account=story.account)
            for item in story.items.all()[:1]:
                actions.choose_category(item, category, request.user)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(back)


def source_action(request, source_id: int, action: str):
    """POST: ``poll`` now, ``pause`` or ``resume`` a source."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not (request.user.is_superuser or request.user.has_perm("sources.change_source")):
        raise PermissionDenied
    source = get_object_or_404(Source, pk=source_id)
    try:
        if action == "poll":
            summary = actions.poll_source(source)
            messages.info(request, f"{source.name}: {summary.line()}")
        elif action == "pause":
            actions.set_source_status(source, SourceStatus.PAUSED, _("Paused by %(user)s") % {"user": request.user})
        elif action == "resume":
            actions.set_source_status(source, SourceStatus.ACTIVE)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(request.POST.get("next") if (request.POST.get("next") or "").startswith("/")
                    else reverse("wagtailsnippets_sources_source:list"))


# ---------------------------------------------------------------- staff submissions


class SubmissionForm(forms.Form):
    account = forms.ModelChoiceField(Account.objects.all(), label=gettext_lazy("Official account"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 14}))
    url = forms.URLField(label=gettext_lazy("Original link (optional)"), required=False, max_length=1000,
                          assume_scheme="https")
    author = forms.CharField(label=gettext_lazy("Author (optional)"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        accounts = Account.objects.all()
        if accounts.count() == 1:
            self.fields["account"].initial = accounts.first()


def _is_staff(user) -> bool:
    return user.is_active and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


@login_required
def submit(request):
    """The staff submission form: checked against the content rules, findings shown at once."""
    if not _is_staff(request.user):
        raise PermissionDenied
    result = None
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = actions.submit(request.user, data["account"], title=data["title"], text=data["text"],
                                    url=data["url"], author=data["author"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if not result.blocked:
                form = SubmissionForm()
    labels = {"block": _("Forbidden"), "review": _("Needs review"), "advisory": _("Advice")}
    findings = [{**finding, "severity_label": labels.get(finding.get("severity"), finding.get("severity"))}
                for finding in (result.findings if result else [])]
    return render(request, "sources/submit.html", {"form": form, "result": result, "findings": findings})


@csrf_exempt  # CSRF is checked below for session logins; HTTP Basic callers carry no cookie
def submit_api(request):
    """``POST /sources/api/submissions`` with JSON ``{"account", "title", "text", "url"?, "author"?}``.

    Authenticated by the session (with the CSRF token) or by HTTP Basic. Answers 201 with
    the item and the findings, 422 when the content rules block it, 400 for bad input.
    """
    if request.method != "POST":
        return JsonResponse({"error": "POST a JSON object."}, status=405)
    user = _basic_user(request)
    if user is None:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "Log in (session) or send HTTP Basic credentials."}, status=401)
        rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
        if rejected is not None:
            return JsonResponse({"error": "CSRF token missing or wrong."}, status=403)
        user = request.user
    if not _is_staff(user):
        return JsonResponse({"error": "Only staff members may submit."}, status=403)
    try:
        payload = json.loads(request.body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError("not an object")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The body must be a JSON object (UTF-8)."}, status=400)
    account = _account(payload.get("account"))
    if account is None:
        return JsonResponse({"error": "Unknown or missing 'account' (its name or id)."}, status=400)
    try:
        result = actions.submit(user, account, title=str(payload.get("title") or ""), text=str(payload.get("text") or ""),
                                url=str(payload.get("url") or ""), author=str(payload.get("author") or ""))
    except ValidationError as error:
        return JsonResponse({"errors": error.message_dict}, status=400)
    body = {"checked": result.checked, "blocked": result.blocked, "findings": result.findings}
    if result.blocked:
        return JsonResponse(body, status=422)
    item = result.item
    body["item"] = {"id": item.pk, "story": item.story_id, "title": item.title,
                    "category": item.category.name if item.category else None, "confidence": item.confidence}
    return JsonResponse(body, status=201)


def _basic_user(request):
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        username, _sep, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return authenticate(request, username=username, password=password)


def _account(value) -> Account | None:
    if value is None:
        accounts = list(Account.objects.all()[:2])
        return accounts[0] if len(accounts) == 1 else None
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return Account.objects.filter(pk=int(value)).first()
    return Account.objects.filter(name=str(value)).first()
