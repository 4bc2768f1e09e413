"""The content-rule gate in the admin: findings shown in context, submit refused while blocked."""

import secrets

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import rich_text

from wxops.accounts.models import Account
from wxops.compliance.findings import Verdict
from wxops.core.tests.held_queue import run_queued
from wxops.editorial import review_gate
from wxops.editorial.workflow import ensure_review_workflow
from wxops.materials.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    return Account.objects.create(name="中恒财务", app_id="wx" + secrets.token_hex(8))


@pytest.fixture
def workflow():
    return ensure_review_workflow(Group.objects.get_or_create(name="审核人")[0])


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", secrets.token_hex(12))
    client.force_login(user)
    client.user = user
    return client


def make_article(account, body="<p>第一季度市场平稳。</p>", **fields):
    return Article.objects.create(account=account, title=fields.pop("title", "季度观察"), body=body, **fields)


def form_data(article, body_html, *actions):
    data = {"account": article.account.pk, "title": article.title, "author": "", "digest": "",
            "body": rich_text(body_html), "source_name": "", "source_url": "", "open_comments": "on"}
    for action in actions:
        data[action] = "1"
    return data


def test_gate_for_send_follows_the_findings_and_decisions(account):
    assert review_gate.gate_for_send(make_article(account)) == Verdict.PASS
    assert review_gate.gate_for_send(make_article(account, body="<p>同类最佳</p>")) == Verdict.REVIEW
    blocked = make_article(account, body="<p>稳赚不赔</p>")
    assert review_gate.gate_for_send(blocked) == Verdict.BLOCK
    assert "稳赚不赔" in review_gate.hold_reason(blocked)
    assert review_gate.hold_reason(make_article(account)) == ""


def test_the_edit_view_loads_the_findings_and_hides_submit_while_blocked(admin_client, account, workflow):
    article = make_article(account, body="<p>本基金稳赚不赔，欢迎咨询。</p>")
    page = admin_client.get(reverse("wagtailsnippets_materials_article:edit", args=[article.pk])).content.decode()
    assert 'name="action-submit"' not in page
    assert "无法提交：1 个内容规范问题" in page  # the UI speaks Chinese first
    # the findings panel arrives with the page (no request after it), above the form
    assert page.index('id="wxops-findings"') < page.index('id="w-editor-form"')
    assert '<mark class="wxops-finding wxops-block" title="1.9 ' in page and '>稳赚不赔</mark>' in page
    assert "findings-panel.js" not in page  # nothing being read: nothing to refresh
    panel = admin_client.get(reverse("editorial_article_findings", args=[article.pk])).content.decode()
    assert '<mark class="wxops-finding wxops-block" title="1.9 ' in panel and '>稳赚不赔</mark>' in panel
    assert "本基金" in panel and "1.9" in panel


def test_a_clean_article_can_be_submitted(admin_client, account, workflow):
    article = make_article(account)
    page = admin_client.get(reverse("wagtailsnippets_materials_article:edit", args=[article.pk])).content.decode()
    assert 'name="action-submit"' in page
    response = admin_client.post(reverse("wagtailsnippets_materials_article:edit", args=[article.pk]),
                                 form_data(article, "<p>第一季度市场平稳。</p>", "action-submit"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.workflow_in_progress


def test_a_blocked_submit_is_saved_as_a_draft_and_not_submitted(admin_client, account, workflow):
    article = make_article(account)
    response = admin_client.post(reverse("wagtailsnippets_materials_article:edit", args=[article.pk]),
                                 form_data(article, "<p>转发到朋友圈领取红包</p>", "action-submit"), follow=True)
    article.refresh_from_db()
    assert not article.workflow_in_progress
    assert "转发到朋友圈" in article.latest_revision.content["body"]
    assert "未提交审核" in response.content.decode()


def test_an_administrator_override_unblocks_submission_and_is_audited(admin_client, account, workflow):
    article = make_article(account, body="<p>本基金稳赚不赔。</p>")
    report = review_gate.findings_for(article)
    (field, finding, _d), = report.findings()
    response = admin_client.post(reverse("editorial_article_findings_decide", args=[article.pk]), {
        "field": field, "fingerprint": finding.fingerprint, "decision": "overridden", "reason": "引用监管处罚通报原文"})
    assert response.status_code == 302
    assert review_gate.gate_for_send(article) == Verdict.PASS
    assert ModelLogEntry.objects.filter(action="wxops.compliance.override", object_id=str(article.pk)).exists()
    page = admin_client.get(reverse("wagtailsnippets_materials_article:edit", args=[article.pk])).content.decode()
    assert 'name="action-submit"' in page


def test_an_editor_cannot_override(client, django_user_model, account):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("ed", "ed@example.com", secrets.token_hex(12))
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    article = make_article(account, body="<p>稳赚不赔</p>")
    (field, finding, _d), = review_gate.findings_for(article).findings()
    client.post(reverse("editorial_article_findings_decide", args=[article.pk]), {
        "field": field, "fingerprint": finding.fingerprint, "decision": "overridden", "reason": "我觉得没问题"})
    assert review_gate.gate_for_send(article) == Verdict.BLOCK
    assert not ModelLogEntry.objects.filter(action="wxops.compliance.override").exists()


def test_a_new_article_submitted_with_blocking_content_is_created_as_a_draft(admin_client, account, workflow):
    data = form_data(Article(account=account, title="新文章"), "<p>集赞送礼</p>", "action-submit")
    response = admin_client.post(reverse("wagtailsnippets_materials_article:add"), data, follow=True)
    article = Article.objects.get(title="新文章")
    assert not article.workflow_in_progress
    assert "未提交审核" in response.content.decode()


def test_publishing_directly_is_refused_while_blocked(admin_client, account, workflow):
    article = make_article(account)
    page = admin_client.get(reverse("wagtailsnippets_materials_article:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' in page
    admin_client.post(reverse("wagtailsnippets_materials_article:edit", args=[article.pk]),
                      form_data(article, "<p>稳赚不赔</p>", "action-publish"))
    article.refresh_from_db()
    assert "稳赚不赔" not in article.body  # the live row keeps what was there
    assert article.has_unpublished_changes and "稳赚不赔" in article.latest_revision.content["body"]
    page = admin_client.get(reverse("wagtailsnippets_materials_article:edit", args=[article.pk])).content.decode()
    assert 'name="action-publish"' not in page


@pytest.mark.parametrize("read", ["稳赚不赔", "第一季度市场平稳"])
def test_no_request_reads_a_picture_submit_waits_for_the_worker_and_never_passes_without_it(
        admin_client, account, workflow, settings, tmp_path, monkeypatch, held_queue, read):
    """Saving an article with a new picture cover took 20 s: the page read the picture's text (OCR).
    No request reads one now: the edit page, the findings panel and submit queue it for the worker
    and say it is being read; submit waits (saved as a draft) until the worker has read it — then
    the picture's text counts: blocking text blocks, clean text lets the article through."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image

    from wxops.compliance.images import ImageText
    from wxops.materials.models import Picture
    from wxops.materials.pictures import ocr

    settings.MEDIA_ROOT = tmp_path
    reads = []
    monkeypatch.setattr(ocr, "read_image", lambda data: reads.append(len(data)) or ImageText(text=read))
    buffer = io.BytesIO()
    Image.new("RGB", (900, 383), (30, 110, 180)).save(buffer, "PNG")
    cover = Picture.objects.create(title="封面", file=ImageFile(buffer, name="cover.png"), licence="own")
    article = make_article(account, cover=cover)
    edit = reverse("wagtailsnippets_materials_article:edit", args=[article.pk])
    page = admin_client.get(edit).content.decode()
    assert reads == [] and 'name="action-submit"' not in page and "正在识别" in page  # waits, says why
    assert 'data-reading="1"' in page and "findings-panel.js" in page  # the panel refreshes itself
    panel = admin_client.get(reverse("editorial_article_findings", args=[article.pk])).content.decode()
    assert 'data-reading="1"' in panel and "后台" in panel and 'name="decision"' not in panel  # nothing to override
    data = {**form_data(article, "<p>第一季度市场平稳。</p>", "action-submit"), "cover": cover.pk}
    saved = admin_client.post(edit, data, follow=True).content.decode()
    article.refresh_from_db()
    assert reads == [] and not article.workflow_in_progress and "还在识别" in saved  # not submitted, told why
    assert run_queued(held_queue, "read_picture_text_task") == [[cover.pk]]  # queued once, read by the worker
    assert len(reads) == 1
    panel = admin_client.get(reverse("editorial_article_findings", args=[article.pk]) + "?was_reading=1").content.decode()
    assert 'data-reading="0"' in panel and "data-wxops-read" in panel
    admin_client.post(edit, data)
    article.refresh_from_db()
    assert len(reads) == 1 and article.workflow_in_progress == (read != "稳赚不赔")  # the picture's text counts


def test_a_picture_s_place_is_named_in_chinese():
    """The findings panel said 图片 cover 社保封面: the check's own key for the cover leaked."""
    with translation.override("zh-hans"):
        assert review_gate.field_label("image:cover 社保封面") == "封面图片 社保封面"
        assert review_gate.field_label("image:body-7 流程图") == "正文图片 流程图"
        assert review_gate.field_label("image:body-7") == "正文图片"
        assert review_gate.field_label("body") == "正文"
