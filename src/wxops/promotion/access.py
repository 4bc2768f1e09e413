"""Who sees and manages which branch: the one rule every promotion page, export and action asks.

* Superusers and the director (总监) and administrator (管理员) roles see every branch.
* Anyone else sees only the branches they administer (``Branch.administrators``) — a
  branch administrator (分公司管理员) with no branch sees nothing.
* Managing (staff, codes, imports) also needs the model permission; creating branches,
  naming their administrators and setting targets is for those who see every branch.

A branch outside a user's sight answers 404 (its existence is not confirmed); a visible
branch the user may not change answers 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from wxops.accounts.roles import ROLE_BY_KEY

from .models import Branch, Employee, PromoCode

ALL_SEEING_ROLES = ("director", "administrator")


def sees_all(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    names = [ROLE_BY_KEY[key].group_name for key in ALL_SEEING_ROLES]
    return user.groups.filter(name__in=names).exists()


def can_view(user) -> bool:
    """May open the promotion pages at all."""
    return bool(user and user.is_authenticated and user.is_active and user.has_perm("promotion.view_branch"))


def visible_branches(user) -> QuerySet[Branch]:
    if not can_view(user):
        return Branch.objects.none()
    if sees_all(user):
        return Branch.objects.all()
    return Branch.objects.filter(administrators=user)


def visible_employees(user) -> QuerySet[Employee]:
    return Employee.objects.filter(branch__in=visible_branches(user))


def visible_codes(user) -> QuerySet[PromoCode]:
    """Codes of visible branches; account-wide campaign codes only for those who see all."""
    codes = PromoCode.objects.filter(branch__in=visible_branches(user))
    if sees_all(user) and can_view(user):
        codes = PromoCode.objects.filter(branch__isnull=True) | codes
    return codes


def branch_or_404(user, pk) -> Branch:
    branch = visible_branches(user).filter(pk=pk).select_related("account").first()
    if branch is None:
        raise Http404("no such branch")
    return branch


def check_view(user, branch: Branch | None) -> None:
    """PermissionDenied unless ``user`` sees ``branch`` (None: an account-wide code)."""
    if branch is None:
        if not (can_view(user) and sees_all(user)):
            raise PermissionDenied
    elif not visible_branches(user).filter(pk=branch.pk).exists():
        raise PermissionDenied


def check_manage(user, branch: Branch | None) -> None:
    """PermissionDenied unless ``user`` may change staff and codes of ``branch``."""
    check_view(user, branch)
    if not (user.is_superuser or user.has_perm("promotion.change_employee")):
        raise PermissionDenied


def check_manage_all(user) -> None:
    """PermissionDenied unless ``user`` may create branches, name administrators and set targets."""
    if not (sees_all(user) and (user.is_superuser or user.has_perm("promotion.change_branch"))):
        raise PermissionDenied
