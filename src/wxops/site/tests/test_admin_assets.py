"""The translation catalogue and the icon sprite every admin page asks for: the same answers as
Wagtail's, cheap to ask again (site/admin_assets.py)."""

import pytest
from django.test import Client
from wagtail.admin.icons import get_icon_sprite_url
from wagtail.admin.views.i18n import localized_js_catalog
from wagtail.users.models import UserProfile

pytestmark = pytest.mark.django_db


def in_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_the_catalogue_is_wagtail_s_in_the_user_s_language_and_revalidates_with_a_304(admin_client, admin_user, rf):
    in_language(admin_user, "zh-hans")
    chinese = admin_client.get("/admin/jsi18n/")
    wagtails = rf.get("/admin/jsi18n/")
    wagtails.user = admin_user
    assert chinese.status_code == 200 and chinese.content == localized_js_catalog(wagtails).content
    assert chinese["Cache-Control"] == "private, no-cache" and chinese["ETag"].startswith('"')
    again = admin_client.get("/admin/jsi18n/", headers={"If-None-Match": chinese["ETag"]})
    assert again.status_code == 304 and again.content == b""

    in_language(admin_user, "en")
    english = admin_client.get("/admin/jsi18n/", headers={"If-None-Match": chinese["ETag"]})
    assert english.status_code == 200 and english.content != chinese.content and english["ETag"] != chinese["ETag"]
    wagtails.user = type(admin_user).objects.get(pk=admin_user.pk)
    assert english.content == localized_js_catalog(wagtails).content


def test_the_sprite_is_cached_for_a_year_at_its_current_address_only():
    current = Client().get(get_icon_sprite_url())
    assert current.status_code == 200 and b"<symbol" in current.content
    assert "max-age=31536000" in current["Cache-Control"] and "immutable" in current["Cache-Control"]
    stale = Client().get("/admin/sprite/?h=00000000")
    assert stale.status_code == 200 and not stale.has_header("Cache-Control")
