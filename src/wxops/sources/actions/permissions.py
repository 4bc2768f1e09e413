"""Who may do what with sources and the pool; every action checks here, views only ask to show buttons."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_view_pool(user) -> bool:
    return _active(user) and (user.is_superuser or user.has_perm("sources.view_story")
                              or user.has_perm("sources.change_story"))


def can_edit_pool(user) -> bool:
    """Turn stories into articles, dismiss or restore them, choose their category."""
    return _active(user) and (user.is_superuser or user.has_perm("sources.change_story"))


def can_turn_into_article(user) -> bool:
    """Edit the pool and create article drafts."""
    return can_edit_pool(user) and (user.is_superuser or user.has_perm("materials.add_article"))


def can_manage_sources(user) -> bool:
    """Poll now, pause and resume sources."""
    return _active(user) and (user.is_superuser or user.has_perm("sources.change_source"))


def can_submit(user) -> bool:
    """Staff submissions: any active member of staff or anyone who may use the admin."""
    return _active(user) and (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def require_pool_viewer(user) -> None:
    require(can_view_pool(user))


def require_pool_editor(user) -> None:
    require(can_edit_pool(user))


def require_source_manager(user) -> None:
    require(can_manage_sources(user))


def require_submitter(user) -> None:
    require(can_submit(user), _("Only staff members may submit material."))
