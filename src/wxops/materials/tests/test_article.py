"""Articles (图文): the form's account and categories, drafts by action, the preview, what saving settles."""

from __future__ import annotations

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from wxops.accounts.models import Account, Category
from wxops.materials import actions
from wxops.materials.forms import ArticleForm
from wxops.materials.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    made = Account.objects.create(name="图文测试号", app_id="wx" + secrets.token_hex(8))
    Category.objects.create(account=made, name="财务管理")
    Category.objects.create(account=made, name="停用分类", active=False)
    return made


@pytest.fixture
def writer(db):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("writer", password="pw-" + "3" * 12)
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    return get_user_model().objects.get(pk=user.pk)


def form_class():
    from wagtail.admin.panels import get_edit_handler

    return get_edit_handler(Article).get_form_class()


def test_the_form_presets_the_only_account_and_offers_only_its_active_categories(account):
    other = Account.objects.create(name="另一个号", app_id="wx" + secrets.token_hex(8))
    Category.objects.create(account=other, name="别人的分类")
    Account.objects.exclude(pk=account.pk).delete()
    form = form_class()()
    assert isinstance(form, ArticleForm)
    assert form.initial["account"] == account.pk
    assert [c.name for c in form.fields["category"].queryset] == ["财务管理"]


def test_a_draft_is_created_with_its_first_revision_and_not_live(account, writer):
    article = actions.create_draft(account, writer, title="小微企业所得税优惠延续", body="<p>正文</p>")
    assert article.live is False and article.latest_revision is not None
    assert article.latest_revision.user == writer


def test_someone_who_may_not_write_articles_creates_none(account):
    reader = get_user_model().objects.create_user("reader", password="pw-" + "4" * 12)
    with pytest.raises(PermissionDenied):
        actions.create_draft(account, reader, title="不该有", body="")
    assert Article.objects.count() == 0


def test_the_preview_shows_the_original_link_as_read_the_original(account, writer, rf):
    article = actions.create_draft(account, writer, title="新规解读", body="<p>正文。</p><p>来源：法治日报</p>",
                                   source_url="https://news.example.com/1.html")
    html = article.serve_preview(rf.get("/"), "").render().content.decode() if hasattr(
        article.serve_preview(rf.get("/"), ""), "render") else article.serve_preview(rf.get("/"), "").content.decode()
    assert "阅读原文" in html and 'href="https://news.example.com/1.html"' in html
    assert "来源：法治日报" in html


def test_saving_tags_the_cover_with_the_category_and_names_unpublishable_pictures(account, writer, settings, tmp_path):
    from wxops.materials.models import Picture
    from wxops.materials.pictures.tests.test_library import saved
    from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene

    settings.MEDIA_ROOT = tmp_path
    settings.WAGTAILIMAGES_IMAGE_FORM_BASE = "wxops.materials.pictures.forms.PictureForm"
    cover = saved("封面.png", encoded(scene(41), "PNG"), licence="unknown")
    category = account.categories.get(name="财务管理")
    article = actions.create_draft(account, writer, title="有封面", cover=cover, category=category, body="")
    reasons = actions.article_saved(article)
    assert list(Picture.objects.get(pk=cover.pk).tags.names()) == ["财务管理"]
    assert len(reasons) == 1 and "封面.png" in reasons[0]
