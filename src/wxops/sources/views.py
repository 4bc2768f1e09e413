"""Admin views of sources: the source list, the ranked candidate pool, poll progress, staff submissions.

Views parse input, call :mod:`wxops.sources.actions` (which checks permissions and does the
work) and render. Slow work never runs in a request: "poll now" and a pasted link are
queued for the worker and their progress shown.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from wxops.accounts.models import Account, Category
from wxops.compliance.findings import Severity
from wxops.core import clock

from . import actions
from .forms import SubmissionForm
from .models import FetchAttempt, Item, ReprintStatus, Source, SourceStatus, Story, StoryStatus


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "link-external"
    menu_label = gettext_lazy("Sources")
    menu_name = "sources"
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "name", "kind", "status",
        Column("new_items", label=gettext_lazy("New since yesterday")),
        Column("last_success_at", label=gettext_lazy("Last successful poll")),
        Column("latest_poll", label=gettext_lazy("Latest poll"), accessor=lambda source: source.latest_poll_outcome()),
        "last_error", "next_poll_at",
    ]
    list_filter = ["account", "kind", "status"]
    search_fields = ["name", "location"]
    form_fields = ["account", "name", "kind", "location", "interval_minutes"]
    inspect_view_enabled = True
    inspect_view_fields = ["name", "kind", "location", "interval_minutes", "status", "paused_reason",
                           "consecutive_failures", "last_error", "last_polled_at", "last_success_at", "next_poll_at",
                           "history"]

    def get_queryset(self, request):
        """What came in, per source: items fetched in the last 24 hours."""
        since = clock.now() - timedelta(days=1)
        return Source.objects.annotate(new_items=Count("items", filter=Q(items__fetched_at__gte=since)))


def _next_url(request, default: str) -> str:
    """The ``next`` the form carried, if it stays on this site (``//evil.example`` does not); else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# ---------------------------------------------------------------- the candidate pool


def pool(request):
    """Stories ranked for the editors: search, account, category (or other), source, published dates, status."""
    params = request.GET
    status = params.get("status") if params.get("status") in StoryStatus.values else StoryStatus.CANDIDATE
    query = actions.PoolQuery(account=_number(params.get("account")), category=params.get("category", ""),
                              source=_number(params.get("source")), since=_date(params.get("since")),
                              until=_date(params.get("until")), status=status, text=params.get("q", "").strip())
    stories = actions.stories_for(request.user, query)
    page = Paginator(stories, 50).get_page(params.get("p"))
    for story in page:
        story.copies = list(story.items.order_by("-rank").values("id", "source_name", "url", "title", "keywords",
                                                                 "reprint", "published_at"))
        for copy in story.copies:
            copy["reprint_label"] = ReprintStatus(copy["reprint"]).label
    return render(request, "sources/pool.html", {
        "header_title": _("Candidate pool"), "page_title": _("Candidate pool"), "header_icon": "list-ul",
        "page": page, "params": params, "status": status, "statuses": StoryStatus.choices,
        "accounts": Account.objects.all(), "categories": Category.objects.filter(active=True).select_related("account"),
        "sources": Source.objects.all(), "can_edit": actions.can_edit_pool(request.user),
        "not_relevant": actions.NOT_RELEVANT, "reprint_choices": ReprintStatus.choices,
    })


def story_action(request, story_id: int, action: str):
    """POST: ``article`` (turn into an article draft), ``dismiss``, ``irrelevant`` (dismiss as not
    relevant), ``restore``, ``category`` or ``reprint`` (with ``item`` and ``reprint``)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    story = get_object_or_404(Story, pk=story_id)
    back = _next_url(request, reverse("sources_pool"))
    try:
        if action == "article":
            item = story.items.order_by("-rank", "pk").first()
            article = actions.turn_into_article(story, request.user, item=item)
            messages.success(request, _("Article draft “%(title)s” created.") % {"title": article.title})
            warning = actions.reprint_warning(item)
            if warning:
                messages.warning(request, warning)
            if story.items.exclude(pictures=[]).exists():  # offer the original's pictures into the library
                return redirect(reverse("sources_story_pictures", args=[story.pk]))
            return redirect(reverse("wagtailsnippets_materials_article:edit", args=[article.pk]))
        if action == "dismiss":
            actions.dismiss_story(story, request.user)
        elif action == "irrelevant":
            actions.dismiss_story(story, request.user, not_relevant=True)
        elif action == "restore":
            actions.restore_story(story, request.user)
        elif action == "category":
            category = get_object_or_404(Category, pk=request.POST.get("category"), account=story.account)
            for item in story.items.order_by("-rank", "pk")[:1]:
                actions.choose_category(item, category, request.user)
        elif action == "reprint":
            item = get_object_or_404(Item, pk=request.POST.get("item"), story=story)
            actions.set_reprint_status(item, request.POST.get("reprint", ""), request.user)
        else:
            raise ValidationError(_("Unknown action."))
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(back)


def add_link(request):
    """POST ``url`` (and ``account``): fetch one page, feed or WeChat article into the pool, in the
    worker; answers with the fetch's progress page (its outcome, or why it failed, in words)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    actions.require_pool_editor(request.user)
    account = Account.objects.filter(pk=_number(request.POST.get("account"))).first() or (
        Account.objects.first() if Account.objects.count() == 1 else None)
    if account is None:
        messages.error(request, _("Give an http(s) link and choose the official account."))
        return redirect(_next_url(request, reverse("sources_pool")))
    try:
        attempt = actions.request_link(request.user, account, request.POST.get("url") or "")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_next_url(request, reverse("sources_pool")))
    return redirect(reverse("sources_poll_progress", args=[attempt.source_id, attempt.pk]))


# ---------------------------------------------------------------- sources: poll now, pause, resume


def source_action(request, source_id: int, action: str):
    """POST: ``poll`` now (queued; answers at once with a progress page), ``pause`` or ``resume`` a source."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    source = get_object_or_404(Source, pk=source_id)
    listing = reverse("wagtailsnippets_sources_source:list")
    try:
        if action == "poll":
            attempt = actions.request_poll(source, request.user)
            return redirect(reverse("sources_poll_progress", args=[source.pk, attempt.pk]))
        if action == "pause":
            actions.set_source_status(source, SourceStatus.PAUSED, _("Paused by %(user)s") % {"user": request.user},
                                      user=request.user)
        elif action == "resume":
            actions.set_source_status(source, SourceStatus.ACTIVE, user=request.user)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(_next_url(request, listing))


def poll_progress(request, source_id: int, attempt_id: int):
    """One poll's progress: queued, fetching (n of m), or its outcome; refreshes itself until done."""
    source = get_object_or_404(Source, pk=source_id)
    attempt = get_object_or_404(FetchAttempt, pk=attempt_id, source=source)
    if not actions.may_follow(request.user, attempt):
        raise PermissionDenied
    listing = reverse("sources_pool") if attempt.url else reverse("wagtailsnippets_sources_source:list")
    return render(request, "sources/poll_progress.html", {
        "header_title": _("Poll of %(name)s") % {"name": source.name}, "page_title": _("Poll"),
        "header_icon": "link-external", "source": source, "account": source.account, "attempt": attempt, "listing": listing,
        "can_manage": actions.can_manage_sources(request.user),
    })


# ---------------------------------------------------------------- staff submissions


def submit(request):
    """The staff submission form, in the admin: checked against the content rules, findings shown at once."""
    actions.require_submitter(request.user)
    result = None
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["url"] and not data["text"].strip():
            try:  # a link alone: fetched in the worker, its progress on its own page
                attempt = actions.request_link(request.user, data["account"], data["url"], submitted=True)
            except ValidationError as error:
                form.add_error("url", error.messages)
            else:
                return redirect(reverse("sources_poll_progress", args=[attempt.source_id, attempt.pk]))
        try:
            result = actions.submit(request.user, data["account"], title=data["title"], text=data["text"],
                                    url=data["url"], author=data["author"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if not result.blocked:
                form = SubmissionForm()
    findings = [{"finding": finding, "severity_label": _(Severity(finding.severity).label)}
                for finding in (result.findings if result else ())]
    return render(request, "sources/submit.html", {
        "header_title": _("Staff submission"), "page_title": _("Staff submission"), "header_icon": "upload",
        "form": form, "result": result, "findings": findings,
    })
