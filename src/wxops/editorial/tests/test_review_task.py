"""A reviewer cannot approve an article that breaks the content rules, from any screen."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import TaskState

from wxops.accounts.models import Account
from wxops.accounts.roles import ensure_roles
from wxops.editorial.models import ContentRulesApprovalTask
from wxops.editorial.workflow import WAGTAIL_PAGE_WORKFLOW, ensure_review_workflow
from wxops.materials.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    groups = ensure_roles()
    ensure_review_workflow(groups["reviewer"])
    for username, role in (("editor", "editor"), ("reviewer", "reviewer")):
        get_user_model().objects.create_user(username=username, password="x").groups.add(groups[role])
    return Account.objects.create(name="测试号", app_id="wx0123456789abcdef")


def submitted_article(account, body):
    editor = get_user_model().objects.get(username="editor")
    article = Article.objects.create(account=account, title="社保基数调整", body="<p>第一季度市场平稳。</p>",
                                     live=False)
    article.save_revision(user=editor)
    workflow = article.get_workflow()
    workflow.start(article, editor)
    # The text changes after submission (for instance the editor pastes a new paragraph).
    article.body = body
    article.save_revision(user=editor)
    return article


def approve(client, article):
    task_state = TaskState.objects.get(workflow_state__object_id=str(article.pk), status="in_progress")
    url = reverse("wagtailsnippets_materials_article:workflow_action",
                  args=(article.pk, "approve", task_state.pk))
    return client.post(url, {"comment": ""})


def test_the_review_workflow_uses_the_content_rules_task(demo):
    workflow = Article.objects.create(account=demo, title="x").get_workflow()
    assert isinstance(workflow.tasks.get().specific, ContentRulesApprovalTask)


def test_a_blocked_article_offers_no_approve_and_a_posted_approve_is_refused(demo, client):
    article = submitted_article(demo, "<p>本产品稳赚不赔，保本保收益。</p>")
    reviewer = get_user_model().objects.get(username="reviewer")
    task = article.current_workflow_task.specific
    assert [name for name, *_ in task.get_actions(article, reviewer)] == ["reject"]

    client.force_login(reviewer)
    response = approve(client, article)
    # Wagtail answers a PermissionDenied in the admin with a redirect and a message.
    assert (response.status_code, response.url) == (302, "/admin/")
    assert [str(m).strip() for m in response.wsgi_request._messages] == ["对不起， 你没有权限访问。"]
    article.refresh_from_db()
    assert article.current_workflow_state.status == "in_progress"
    assert TaskState.objects.filter(status="approved").count() == 0


def test_a_clean_article_is_approved(demo, client):
    article = submitted_article(demo, "<p>今年社保基数调整的三个要点。</p>")
    reviewer = get_user_model().objects.get(username="reviewer")
    assert {name for name, *_ in article.current_workflow_task.specific.get_actions(article, reviewer)} == {
        "approve", "reject"}
    client.force_login(reviewer)
    assert approve(client, article).status_code in (200, 302)
    assert TaskState.objects.filter(status="approved").count() == 1


def test_the_workflow_is_named_in_chinese_and_an_older_bilingual_one_is_renamed():
    from wagtail.models import Workflow

    groups = ensure_roles()
    older = Workflow.objects.create(name="图文审核 Article review", active=True)
    ContentRulesApprovalTask.objects.create(name="审核人审批 Reviewer approval")
    workflow = ensure_review_workflow(groups["reviewer"])
    assert workflow.pk == older.pk
    assert workflow.name == "图文审核"
    assert not Workflow.objects.filter(name__contains="Article review").exists()
    assert list(ContentRulesApprovalTask.objects.values_list("name", flat=True)) == ["审核人审批"]
    assert [task.name for task in workflow.tasks.all()] == ["审核人审批"]


def test_wagtail_s_own_page_workflow_is_named_in_chinese_too():
    """The administrator's 工作流 screens listed Wagtail's default 'Moderators approval' (made by its
    migrations for pages, which the desk does not use) beside 图文审核."""
    from wagtail.models import Task, Workflow

    assert Workflow.objects.filter(name="Moderators approval").exists()  # as Wagtail's migrations leave it
    ensure_review_workflow(ensure_roles()["reviewer"])
    assert not Workflow.objects.filter(name__contains="Moderators").exists()
    assert not Task.objects.filter(name__contains="Moderators").exists()
    assert Workflow.objects.filter(name=WAGTAIL_PAGE_WORKFLOW).exists()
