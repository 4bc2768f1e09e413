"""The promotion pages in the admin: branches, staff, codes and their downloads, the import.

Every view asks :mod:`wxops.promotion.access` first — a branch the user may not see answers
404, an action they may not take 403 — and leaves the rules to :mod:`.actions`. Answers:

* GET pages 200; POST actions redirect with a message, or re-show the form with errors;
* downloads 200 with the file, 404 for a code or branch outside the user's sight, 409 with
  the reason when a code is not ready yet.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wxops.accounts.models import Account
from wxops.core import clock

from . import access, numbers, posters
from .actions import codes, staff
from .forms import BranchForm, CampaignForm, EmployeeForm, ImportForm, TargetForm
from .models import CodeKind, CodeStatus
from .staff_import import ImportFileError, read_staff_file


def render_page(request, template: str, title: str, **context):
    return render(request, template, {"header_title": title, "page_title": title, "header_icon": "group",
                                      "sees_all": access.sees_all(request.user), **context})


def require_view(request) -> None:
    if not access.can_view(request.user):
        raise PermissionDenied


def accounts_of(user):
    if access.sees_all(user):
        return Account.objects.all()
    return Account.objects.filter(branches__in=access.visible_branches(user)).distinct()


def account_of(request) -> Account | None:
    accounts = accounts_of(request.user)
    chosen = request.GET.get("account") or request.POST.get("account")
    return (accounts.filter(pk=chosen).first() if chosen and chosen.isdigit() else None) or accounts.first()


def index(request):
    """The branches the user sees, with this month's figures; a search over their staff."""
    require_view(request)
    account = account_of(request)
    branches = access.visible_branches(request.user)
    period = numbers.Period.of("month", clock.local_now(account.time_zone).date()) if account else None
    standings = numbers.leaderboard(account, branches, period) if account else []
    query = request.GET.get("q", "").strip()
    found = []
    if query:
        found = (access.visible_employees(request.user).filter(Q(name__icontains=query) | Q(staff_number__icontains=query))
                 .select_related("branch")[:50])
    return render_page(request, "promotion/index.html", _("Promotion"), account=account, accounts=accounts_of(request.user),
                 standings=standings, period=period, query=query, found=found,
                 warning=codes.limit_warning(account) if account else "")


def branch_detail(request, pk: int):
    require_view(request)
    branch = access.branch_or_404(request.user, pk)
    employees = branch.employees.order_by("-active", "staff_number").prefetch_related("codes")
    branch_code = branch.codes.filter(employee__isnull=True, kind=CodeKind.PERMANENT).first()
    return render_page(request, "promotion/branch.html", branch.name, branch=branch, employees=employees,
                 branch_code=branch_code, campaigns=branch.codes.filter(kind=CodeKind.TEMPORARY).order_by("-created_at"),
                 failed=branch.codes.filter(status=CodeStatus.FAILED).count(),
                 targets=branch.targets.all(), target_form=TargetForm(), warning=codes.limit_warning(branch.account),
                 can_manage=_allowed(access.check_manage, request.user, branch),
                 can_manage_all=_allowed(access.check_manage_all, request.user))


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


def branch_form(request, pk: int | None = None):
    """Add or edit a branch (director/administrators with the change permission)."""
    require_view(request)
    branch = access.branch_or_404(request.user, pk) if pk else None
    access.check_manage_all(request.user)
    form = BranchForm(request.POST or None, instance=branch)
    if request.method == "POST" and form.is_valid():
        try:
            saved = staff.save_branch(form.save(commit=False), user=request.user,
                                      administrators=form.cleaned_data["administrators"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Branch “%(branch)s” saved.") % {"branch": saved})
            return redirect("promotion_branch", saved.pk)
    title = _("Edit branch") if branch else _("Add branch")
    return render_page(request, "promotion/form.html", title, form=form, back=reverse("promotion_index"))


def employee_form(request, branch_pk: int | None = None, pk: int | None = None):
    require_view(request)
    employee = get_object_or_404(access.visible_employees(request.user), pk=pk) if pk else None
    branch = employee.branch if employee else access.branch_or_404(request.user, branch_pk)
    access.check_manage(request.user, branch)
    manageable = access.visible_branches(request.user).filter(account=branch.account)
    form = EmployeeForm(request.POST or None, instance=employee, branches=manageable,
                        initial={"branch": branch} if employee is None else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = staff.save_employee(form.save(commit=False), user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(employee)s saved.") % {"employee": saved})
            return redirect("promotion_branch", saved.branch_id)
    title = _("Edit employee") if employee else _("Add employee")
    return render_page(request, "promotion/form.html", title, form=form, back=reverse("promotion_branch", args=[branch.pk]))


@require_POST
def employee_status(request, pk: int, how: str):
    """POST: ``leave`` deactivates (history stays), ``return`` reactivates."""
    require_view(request)
    employee = get_object_or_404(access.visible_employees(request.user).select_related("branch"), pk=pk)
    if how == "leave":
        staff.deactivate_employee(employee, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("%(employee)s is marked as left; their followers stay counted.")
                         % {"employee": employee})
    elif how == "return":
        staff.reactivate_employee(employee, user=request.user)
        messages.success(request, _("%(employee)s is active again.") % {"employee": employee})
    else:
        raise Http404("unknown change")
    return redirect("promotion_branch", employee.branch_id)


@require_POST
def request_branch_codes(request, pk: int):
    require_view(request)
    branch = access.branch_or_404(request.user, pk)
    try:
        done = codes.request_codes(branch, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s QR codes asked from WeChat.") % {"count": done.added}
                         if done.added else _("Every active employee already has a QR code."))
        if done.warning:
            messages.warning(request, done.warning)
    return redirect("promotion_branch", branch.pk)


@require_POST
def retry_code(request, pk: int):
    require_view(request)
    code = get_object_or_404(access.visible_codes(request.user), pk=pk)
    codes.retry(code, user=request.user)
    code.refresh_from_db()
    if code.status == CodeStatus.READY:
        messages.success(request, _("WeChat created the QR code."))
    else:
        messages.warning(request, code.last_error or _("WeChat has not created the QR code yet."))
    back = request.POST.get("back")
    return redirect(back if _safe(request, back) else reverse("promotion_index"))


def _safe(request, url: str | None) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())


DOWNLOADS = {
    "png": ("image/png", lambda code: posters.qr_png(code.url)),
    "svg": ("image/svg+xml", lambda code: posters.qr_svg(code.url)),
    "poster.pdf": ("application/pdf", lambda code: posters.poster_pdf([posters.poster_for(code)])),
    "poster.png": ("image/png", lambda code: posters.poster_png(posters.poster_for(code))),
}


def code_download(request, pk: int, kind: str):
    require_view(request)
    code = get_object_or_404(access.visible_codes(request.user).select_related("account", "branch", "employee"), pk=pk)
    if kind not in DOWNLOADS:
        raise Http404("unknown file")
    if code.status != CodeStatus.READY:
        return HttpResponse(_("The QR code is not ready yet: %(reason)s") % {
            "reason": code.last_error or code.get_status_display()}, status=409, content_type="text/plain")
    content_type, make = DOWNLOADS[kind]
    return attachment(make(code), content_type, f"{code.scene_str.replace(':', '-')}.{kind}")


def branch_download(request, pk: int, kind: str):
    """Every poster of a branch: one PDF (a page each) or one ZIP (PNG posters, SVG codes)."""
    require_view(request)
    branch = access.branch_or_404(request.user, pk)
    makers = {"pdf": ("application/pdf", posters.branch_pdf), "zip": ("application/zip", posters.branch_zip)}
    if kind not in makers:
        raise Http404("unknown file")
    content_type, make = makers[kind]
    try:
        data = make(branch)
    except posters.PosterError as error:
        return HttpResponse(str(error), status=409, content_type="text/plain")
    return attachment(data, content_type, f"posters-{branch.code}.{kind}")


def attachment(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def staff_import(request):
    """Upload a CSV/XLSX staff list; shows what was created, updated and which rows to fix."""
    require_view(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["account"].queryset = accounts_of(request.user)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows, unreadable = read_staff_file(upload.name, upload.read())
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            report = staff.import_staff(form.cleaned_data["account"], rows, user=request.user,
                                        unreadable=tuple(unreadable))
    return render_page(request, "promotion/import.html", _("Import staff"), form=form, report=report)


def campaigns(request):
    """Temporary codes for events (up to 30 days), and a form to add one."""
    require_view(request)
    account = account_of(request)
    manageable = access.visible_branches(request.user).filter(account=account)
    form = CampaignForm(request.POST or None, branches=manageable)
    if request.method == "POST" and form.is_valid() and account:
        try:
            code = codes.create_campaign_code(account, name=form.cleaned_data["name"], days=form.cleaned_data["days"],
                                              branch=form.cleaned_data["branch"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Campaign code “%(name)s” asked from WeChat.") % {"name": code.campaign})
            return redirect(reverse("promotion_campaigns") + f"?account={account.pk}")
    listed = access.visible_codes(request.user).filter(kind=CodeKind.TEMPORARY, account=account) \
        .select_related("branch").order_by("-created_at")
    return render_page(request, "promotion/campaigns.html", _("Campaign codes"), form=form, codes=listed, account=account)


@require_POST
def set_target(request, pk: int):
    require_view(request)
    branch = access.branch_or_404(request.user, pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            staff.set_target(branch, user=request.user, **form.cleaned_data)
            messages.success(request, _("Target saved."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("The target needs a period and a number of new followers."))
    return redirect("promotion_branch", branch.pk)

