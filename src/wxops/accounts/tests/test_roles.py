import pytest
from django.contrib.auth.models import Group

from wxops.accounts.roles import ROLES, ensure_roles


@pytest.mark.django_db
def test_every_role_is_a_group_after_migrate():
    assert {role.group_name for role in ROLES} <= set(Group.objects.values_list("name", flat=True))


@pytest.mark.django_db
def test_role_permissions_follow_the_plan():
    groups = ensure_roles()
    editor = set(groups["editor"].permissions.values_list("codename", flat=True))
    reviewer = set(groups["reviewer"].permissions.values_list("codename", flat=True))
    director = set(groups["director"].permissions.values_list("codename", flat=True))
    assert {"access_admin", "add_article", "change_article", "add_picture", "choose_image"} <= editor
    assert "publish_article" not in editor  # editors cannot approve their own work
    assert {"change_article", "publish_article"} <= reviewer
    assert "view_article" in director and "change_article" not in director
    assert "change_account" not in editor


@pytest.mark.django_db
def test_ensure_roles_is_idempotent():
    first = {key: set(group.permissions.all()) for key, group in ensure_roles().items()}
    second = {key: set(group.permissions.all()) for key, group in ensure_roles().items()}
    assert first == second
    assert Group.objects.filter(name="运营编辑").count() == 1
