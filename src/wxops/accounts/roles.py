"""The plan's roles as Django groups with permissions.

Permissions are granted by app and action so that models added later by any app fall
into place: :func:`ensure_roles` runs after every ``migrate`` and is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    key: str
    group_name: str
    description: str
    #: (app_label, codename prefix) pairs: ("materials", "change_") grants every change_* of materials.
    grants: tuple[tuple[str, str], ...]


_CONTENT_APPS = ("materials", "sources", "editorial", "compliance", "interaction")
_VIEW_ALL = tuple((app, "view_") for app in (*_CONTENT_APPS, "accounts", "publishing", "promotion", "analytics"))

ROLES: tuple[Role, ...] = (
    Role("editor", "运营编辑", _("Editors write articles, pick sources and pictures, answer followers."),
         (("wagtailadmin", "access_admin"),
          *((app, prefix) for app in _CONTENT_APPS for prefix in ("add_", "change_", "view_")),
          ("wagtailimages", "add_"), ("wagtailimages", "change_"), ("wagtailimages", "choose_"),
          ("materials", "choose_"), ("wagtaildocs", "add_"), ("wagtaildocs", "choose_"),
          *_VIEW_ALL)),
    Role("reviewer", "审核人", _("Reviewers approve or reject articles before they are sent."),
         (("wagtailadmin", "access_admin"), ("materials", "change_"), ("materials", "publish_"),
          ("editorial", "change_"), ("editorial", "approve_"), ("compliance", "change_finding"),
          ("publishing", "change_"),
          ("wagtailimages", "choose_"), *_VIEW_ALL)),
    Role("branch_admin", "分公司管理员", _("Branch administrators run their branch's staff and QR codes."),
         (("wagtailadmin", "access_admin"), ("promotion", "add_"), ("promotion", "change_"),
          ("promotion", "view_"), ("analytics", "view_"))),
    Role("director", "总监", _("The director reads the reports and the feedback documents."),
         (("wagtailadmin", "access_admin"), *_VIEW_ALL)),
    Role("administrator", "管理员", _("Administrators configure accounts, users, rules and sending."),
         (("wagtailadmin", "access_admin"),
          *((app, "") for app in ("accounts", *_CONTENT_APPS, "publishing", "promotion", "analytics",
                                  "wagtailimages", "wagtaildocs", "auth", "wagtailcore", "wagtailusers")))),
)

ROLE_BY_KEY = {role.key: role for role in ROLES}


def permissions_for(role: Role):
    query = Q(pk__in=[])
    for app_label, prefix in role.grants:
        query |= Q(content_type__app_label=app_label, codename__startswith=prefix)
    return Permission.objects.filter(query)


#: Wagtail checks image and document permissions per collection, not per group alone.
_COLLECTION_APPS = ("wagtailimages", "wagtaildocs")


def ensure_roles() -> dict[str, Group]:
    """Create or update every role's group with exactly its permissions.

    Image and document permissions are also granted on the root collection, which is
    where Wagtail looks for them.
    """
    from wagtail.models import Collection, GroupCollectionPermission

    # Wagtail's migration makes the root collection; a flushed test database may lack it.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    groups = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role.group_name)
        permissions = list(permissions_for(role))
        group.permissions.set(permissions)
        wanted = {p for p in permissions if p.content_type.app_label in _COLLECTION_APPS}
        GroupCollectionPermission.objects.filter(group=group, collection=root).exclude(permission__in=wanted).delete()
        for permission in wanted:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=permission)
        groups[role.key] = group
    return groups
