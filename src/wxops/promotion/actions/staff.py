"""Branches, employees and targets; the staff import (re-importing updates, never duplicates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wxops.accounts.models import Account
from wxops.core import audit, clock
from wxops.interaction.replies import content

from .. import access
from ..models import Branch, Employee, Target
from . import (
    AUDIT_BRANCH_SAVED,
    AUDIT_EMPLOYEE_BACK,
    AUDIT_EMPLOYEE_LEFT,
    AUDIT_EMPLOYEE_SAVED,
    AUDIT_STAFF_IMPORTED,
    AUDIT_TARGET_SET,
)


def save_branch(branch: Branch, *, user, administrators=None) -> Branch:
    """Create or update a branch (those who see every branch only); ``administrators`` replaces the list.

    Its welcome is checked like every automatic reply (the content rules; what an image or a news
    card needs) and its picture uploaded to WeChat's material library before anything is written:
    ``ValidationError`` keyed by field, the saved branch unchanged.
    """
    access.check_manage_all(user)
    branch.full_clean()
    content.check(branch, Branch.WELCOME, text_label=_("welcome message"))
    with transaction.atomic():
        created = branch.pk is None
        branch.save()
        if administrators is not None:
            branch.administrators.set(administrators)
        audit.record(branch, AUDIT_BRANCH_SAVED, user=user, data={"created": created, "code": branch.code})
    return branch


def save_employee(employee: Employee, *, user) -> Employee:
    """Create or update an employee of a branch the user manages (also the branch moved to)."""
    access.check_manage(user, employee.branch)
    if employee.pk:
        before = Employee.objects.select_related("branch").get(pk=employee.pk)
        access.check_manage(user, before.branch)
    employee.account_id = employee.branch.account_id
    employee.full_clean()
    with transaction.atomic():
        created = employee.pk is None
        employee.save()
        audit.record(employee, AUDIT_EMPLOYEE_SAVED, user=user,
                     data={"created": created, "branch": employee.branch.code})
    if created:
        from .codes import request_codes

        request_codes(employee.branch, user=user)
    return employee


def deactivate_employee(employee: Employee, *, user, reason: str = "") -> Employee:
    """The employee left: hidden from new posters, their followers and numbers stay."""
    access.check_manage(user, employee.branch)
    if not employee.active:
        return employee
    with transaction.atomic():
        employee.active, employee.left_at = False, clock.now()
        employee.save(update_fields=["active", "left_at", "updated_at"])
        audit.record(employee, AUDIT_EMPLOYEE_LEFT, user=user, data={"reason": reason})
    return employee


def reactivate_employee(employee: Employee, *, user) -> Employee:
    access.check_manage(user, employee.branch)
    if employee.active:
        return employee
    with transaction.atomic():
        employee.active, employee.left_at = True, None
        employee.save(update_fields=["active", "left_at", "updated_at"])
        audit.record(employee, AUDIT_EMPLOYEE_BACK, user=user)
    return employee


def set_target(branch: Branch, *, period_start: date, period_end: date, new_followers: int, user) -> Target:
    """Set (or replace) the branch's target for exactly this period."""
    access.check_manage_all(user)
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    with transaction.atomic():
        target, _created = Target.objects.update_or_create(
            branch=branch, period_start=period_start, period_end=period_end,
            defaults={"new_followers": new_followers})
        audit.record(branch, AUDIT_TARGET_SET, user=user, data={
            "from": period_start.isoformat(), "to": period_end.isoformat(), "new_followers": new_followers})
    return target


# -- the staff import -----------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    """One row of an import file, as read (see :mod:`wxops.promotion.staff_import`)."""

    number: int
    branch_code: str
    branch_name: str
    staff_number: str
    name: str
    active: bool | None  # None: the file does not say


@dataclass(frozen=True)
class RowError:
    number: int
    message: str


@dataclass(frozen=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    branches_created: int = 0
    errors: tuple[RowError, ...] = field(default_factory=tuple)

    @property
    def applied(self) -> int:
        return self.created + self.updated + self.unchanged


def import_staff(account: Account, rows: list[StaffRow], *, user,
                 unreadable: tuple[RowError, ...] = ()) -> ImportReport:
    """Apply import rows: good rows are kept, each bad row reported with what to fix.

    The key is the staff number (per account): importing the same file again changes
    nothing; a changed name or branch updates the employee; status 离职 deactivates.
    A branch code not seen before creates the branch when the row names it and the user
    may create branches. A branch administrator may import only their own branches' staff.
    ``unreadable`` are the rows the file reader could not read, reported with the others.
    """
    if not access.can_view(user):
        raise PermissionDenied
    counts = {"created": 0, "updated": 0, "unchanged": 0, "deactivated": 0, "branches_created": 0}
    errors: list[RowError] = list(unreadable)
    may_create_branches = _may_manage_all(user)
    branches = {b.code: b for b in Branch.objects.filter(account=account)}
    seen: dict[str, int] = {}
    new_codes: list[Branch] = []
    with transaction.atomic():
        for row in rows:
            problem = _check_row(row, seen)
            if problem:
                errors.append(RowError(row.number, problem))
                continue
            branch = branches.get(row.branch_code)
            if branch is None:
                if not row.branch_name:
                    errors.append(RowError(row.number, _("Unknown branch code %(code)s: add the branch first, or "
                                                         "give its name in the branch name column.")
                                           % {"code": row.branch_code}))
                    continue
                if not may_create_branches:
                    errors.append(RowError(row.number, _("Unknown branch code %(code)s: only the director or an "
                                                         "administrator can add branches.") % {"code": row.branch_code}))
                    continue
                branch = Branch(account=account, code=row.branch_code, name=row.branch_name)
                try:
                    branch.full_clean()
                except ValidationError as error:
                    errors.append(RowError(row.number, " ".join(error.messages)))
                    continue
                branch.save()
                audit.record(branch, AUDIT_BRANCH_SAVED, user=user, data={"created": True, "code": branch.code,
                                                                          "by": "import"})
                branches[branch.code] = branch
                counts["branches_created"] += 1
            if not _may_manage(user, branch):
                errors.append(RowError(row.number, _("You may not import staff of %(branch)s.") % {"branch": branch}))
                continue
            outcome = _apply_row(account, branch, row, user)
            if isinstance(outcome, RowError):
                errors.append(outcome)
                continue
            counts[outcome] += 1
            if outcome == "created":
                new_codes.append(branch)
        audit.record(account, AUDIT_STAFF_IMPORTED, user=user, data={**counts, "errors": len(errors)})
    from .codes import request_codes

    for branch in {b.pk: b for b in new_codes}.values():
        request_codes(branch, user=user)
    return ImportReport(**counts, errors=tuple(sorted(errors, key=lambda e: e.number)))


def _may_manage(user, branch: Branch) -> bool:
    try:
        access.check_manage(user, branch)
    except PermissionDenied:
        return False
    return True


def _may_manage_all(user) -> bool:
    try:
        access.check_manage_all(user)
    except PermissionDenied:
        return False
    return True


def _check_row(row: StaffRow, seen: dict[str, int]) -> str:
    if not row.staff_number:
        return _("The staff number is missing.")
    if not row.name:
        return _("The name is missing.")
    if not row.branch_code:
        return _("The branch code is missing.")
    if row.staff_number in seen:
        return _("Staff number %(number)s already appears in row %(row)s.") % {
            "number": row.staff_number, "row": seen[row.staff_number]}
    seen[row.staff_number] = row.number
    return ""


def _apply_row(account: Account, branch: Branch, row: StaffRow, user) -> str | RowError:
    employee = Employee.objects.filter(account=account, staff_number=row.staff_number).select_related("branch").first()
    if employee is not None and employee.branch_id != branch.pk and not _may_manage(user, employee.branch):
        return RowError(row.number, _("Staff number %(number)s belongs to %(branch)s, which you do not manage.")
                        % {"number": row.staff_number, "branch": employee.branch})
    created = employee is None
    employee = employee or Employee(account=account, branch=branch, staff_number=row.staff_number)
    before = (employee.branch_id, employee.name, employee.active)
    employee.branch, employee.name = branch, row.name
    leaving = not created and row.active is False and employee.active
    if row.active is not None:
        employee.active = row.active
        employee.left_at = None if row.active else (employee.left_at or clock.now())
    try:
        employee.full_clean()
    except ValidationError as error:
        return RowError(row.number, " ".join(error.messages))
    if not created and (employee.branch_id, employee.name, employee.active) == before:
        return "unchanged"
    employee.save()
    audit.record(employee, AUDIT_EMPLOYEE_LEFT if leaving else AUDIT_EMPLOYEE_SAVED, user=user,
                 data={"created": created, "branch": branch.code, "by": "import"})
    if leaving:
        return "deactivated"
    return "created" if created else "updated"
