"""Every main screen, rendered in zh-hans for a person who chose Chinese, shows no English.

The screens are those of the desk's daily work (dashboard, articles, pictures, pool, sources,
calendar, push, notices, inbox, content check, promotion, accounts) and the Wagtail screens they
lead to (article form with its side panels, the image library and its bulk uploader). English
means a run of English words that is not a name or a code (see ``tests/english.py``), or one of
the phrases issue 16 saw.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from wagtail.users.models import UserProfile

from wxops.core import clock
from wxops.editorial.actions import plan_push, transition
from wxops.editorial.models import PushStatus
from wxops.interaction.models import HandledStatus, InboundKind, InboundMessage
from wxops.materials.models import Article, Picture
from wxops.site.demo import load_demo
from wxops.sources.candidates import Document
from wxops.sources.ingestion import ingest
from wxops.sources.models import Source, SourceKind, Story

from .english import english_runs

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_8 = datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI)

#: Wagtail messages the desk's screens show that Wagtail's own catalogue leaves in English.
WAGTAIL_MSGIDS = (
    "%(model_name)s '%(object)s' has been submitted for moderation.",
    "%(model_name)s '%(object)s' created and submitted for moderation.",
    "Anyone can edit this %(model_name)s",
    "Anyone can edit this %(model_name)s – lock it to prevent others from editing",
    "Privacy and access",
    "Please provide an image description to comply with best practices for accessibility.",
    "Go to the first error",  # the banner above any form with errors (a source's refused path)
    "Image focal point",  # the picture's edit page, read out on its focal-point area
    "Page types usage", "By task", "By workflow",  # the administrator's reports
    "No %(model_name)s match your query.",  # any list whose filter finds nothing (图文 by 状态)
)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 383), (30, 110, 180)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def desk(db):
    with clock.frozen(MONDAY_8):
        account, _logins = load_demo()
        picture = Picture.objects.create(title="社保封面", file=ImageFile(io.BytesIO(png()), name="cover.png"),
                                         licence="own")
        article = Article.objects.create(account=account, title="社保基数调整解读", author="小王", cover=picture,
                                         category=account.categories.get(name="人力资源管理"),
                                         body="<p>今年社保基数调整的三个要点。</p>", live=False)
        article.save_revision()
        ingest(account, [Document(title="税务总局：小规模纳税人增值税优惠延续", url="https://news.example.com/tax/1.html",
                                  text="税务总局发布公告，小规模纳税人增值税优惠政策延续执行。" * 5,
                                  source_name="法治日报")])
        push = plan_push(account, datetime(2026, 11, 30, 11, 30, tzinfo=SHANGHAI))
        transition(push, PushStatus.DRAFTING)
        transition(push, PushStatus.IN_REVIEW)
        message = InboundMessage.objects.create(
            account=account, kind=InboundKind.TEXT, msg_type="text", from_openid="oFollower0000abc123",
            dedupe_key="msg:1", msg_id="1", content="请问社保基数什么时候调整？", xml="<xml/>",
            sent_at=datetime(2026, 11, 30, 0, 57, tzinfo=UTC),
            received_at=datetime(2026, 11, 30, 0, 57, tzinfo=UTC), status=HandledStatus.NEW)
        source = Source.objects.create(account=account, name="人社部新闻", kind=SourceKind.FEED,
                                       location="https://example.com/rss", consecutive_failures=2,
                                       last_error="无法连接 https://example.com/rss：服务器拒绝连接。")
    return {"account": account, "article": article, "picture": picture, "push": push, "message": message,
            "source": source, "story": Story.objects.get()}


def screens(desk) -> list[str]:
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailsnippets_materials_article:list"),
        reverse("wagtailsnippets_materials_article:list") + "?status=sent",  # a filter that finds nothing
        reverse("wagtailsnippets_materials_article:add"),
        reverse("wagtailsnippets_materials_article:edit", args=[desk["article"].pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailimages:add_multiple"),
        reverse("wagtailimages:edit", args=[desk["picture"].pk]),
        reverse("sources_pool"),
        reverse("wagtailsnippets_sources_source:list"),
        reverse("wagtailsnippets_sources_source:add"),
        reverse("sources_admin_submit"),
        reverse("editorial_calendar"),
        reverse("editorial_push", args=[desk["push"].pk]),
        reverse("editorial_notices"),
        reverse("inbox:index"),
        reverse("inbox:inspect", args=[desk["message"].pk]),
        reverse("compliance_check_text"),
        reverse("promotion_index"),
        reverse("wagtailsnippets_accounts_account:list"),
        reverse("wagtailsnippets_compliance_lexicon:list"),
        reverse("wagtailsnippets_compliance_allowedphrase:list"),
        "/admin/editorial_push/",
    ]


def chinese_user(client, django_user_model, username):
    user = django_user_model.objects.get(username=username)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "zh-hans"
    profile.save()
    client.force_login(user)
    return user


def test_wagtail_s_messages_on_our_screens_are_translated():
    with translation.override("zh-hans"):
        untranslated = [msgid for msgid in WAGTAIL_MSGIDS if gettext(msgid) == msgid]
    assert untranslated == []


@pytest.mark.parametrize("username", ["admin", "editor"])
def test_each_main_screen_in_chinese_shows_no_english(desk, client, django_user_model, username):
    chinese_user(client, django_user_model, username)
    leaks = {}
    with clock.frozen(MONDAY_8):
        for url in screens(desk):
            response = client.get(url)
            if response.status_code == 403:
                continue  # not this role's screen (the menu test proves it is not offered either)
            assert response.status_code == 200, url
            found = english_runs(response.content.decode())
            if found:
                leaks[url] = found
    assert leaks == {}, "English on these screens:\n" + "\n".join(f"{url}: {runs}" for url, runs in leaks.items())


def test_the_content_check_page_names_severities_in_chinese(desk, client, django_user_model):
    chinese_user(client, django_user_model, "editor")
    response = client.post(reverse("compliance_check_text"), {
        "text": "本产品是全国第一的理财产品，保证收益。", "account": desk["account"].pk})
    page = response.content.decode()
    assert 'data-severity="block"' in page or 'data-severity="review"' in page
    assert english_runs(page) == []


def test_the_inbox_shows_a_message_s_times_in_the_account_s_time_zone(desk, client, django_user_model):
    """The list said 20:57 and the detail 发送时间 12:57 (UTC) for one message."""
    chinese_user(client, django_user_model, "editor")
    listing = client.get(reverse("inbox:index")).content.decode()
    detail = client.get(reverse("inbox:inspect", args=[desk["message"].pk])).content.decode()
    assert "08:57" in listing and "00:57" not in listing
    assert "08:57" in detail and "00:57" not in detail


def test_the_inbox_detail_names_the_follower_as_the_list_does(desk, client, django_user_model):
    """The list said 粉丝 7F3A2C; the detail began with the raw openid."""
    from wxops.interaction.inbox import follower_of

    chinese_user(client, django_user_model, "editor")
    label = follower_of(desk["message"])
    detail = client.get(reverse("inbox:inspect", args=[desk["message"].pk])).content.decode()
    fields = detail.split("<dl>", 1)[1]
    assert label.startswith("粉丝 ") and re.search(r"<dt>粉丝</dt>\s*<dd>\s*" + re.escape(label), fields)
    assert fields.index(label) < fields.index("oFollower0000abc123")  # the openid stays, below


def test_the_bulk_uploader_names_a_duplicate_in_chinese(desk, client, django_user_model, settings, tmp_path):
    """It said "This picture is already in the library as … (#1, 0 bits apart)"."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wxops.materials.pictures.tests.test_library import saved
    from wxops.materials.pictures.tests.test_wechat_renditions import encoded, scene

    settings.MEDIA_ROOT = tmp_path
    existing = saved("原图.png", encoded(scene(31), "PNG"))
    chinese_user(client, django_user_model, "editor")
    copy = encoded(scene(31).resize((600, 400)), "JPEG", quality=75)
    form = client.post(reverse("wagtailimages:add_multiple"),
                       {"files[]": SimpleUploadedFile("copy.jpg", copy, "image/jpeg")}).json()["form"]
    assert f"#{existing.pk}" in form and "仍然上传" in form
    assert english_runs(form) == []


def test_a_list_says_yes_or_no_not_true_or_false(desk, client, django_user_model):
    """The accounts list said 已认证 True."""
    chinese_user(client, django_user_model, "admin")
    listing = client.get(reverse("wagtailsnippets_accounts_account:list")).content.decode()
    cells = [re.sub(r"\s+", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", listing, re.S)]
    assert "是" in cells and "True" not in cells and "False" not in cells
