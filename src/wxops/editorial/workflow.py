"""The review step of the plan (六 审核方式) as a Wagtail workflow on articles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Task, Workflow, WorkflowContentType, WorkflowTask

from wxops.editorial.models import ContentRulesApprovalTask
from wxops.materials.models import Article

# Names people read in the admin ("submitted to workflow …"), in the desk's language.
WORKFLOW_NAME = "图文审核"
TASK_NAME = "审核人审批"
#: The bilingual names of earlier versions, renamed in place so existing reviews carry on.
FORMER_NAMES = {"图文审核 Article review": WORKFLOW_NAME, "审核人审批 Reviewer approval": TASK_NAME}
#: Wagtail's migrations make a workflow and task for pages named "Moderators approval"; the desk has
#: no pages, but the administrator's 工作流 screens list them, so they are named in Chinese too.
WAGTAIL_DEFAULT_NAME = "Moderators approval"
WAGTAIL_PAGE_WORKFLOW = "页面审核（Wagtail 默认，本平台未使用）"


@transaction.atomic
def ensure_review_workflow(reviewers: Group) -> Workflow:
    """One active workflow, assigned to articles, whose single task the reviewers approve
    (and which cannot approve an article that breaks the content rules).

    Idempotent: running it again changes nothing but re-links the reviewers group; a
    workflow made by an older version gets the content-rules task in place of its own.
    """
    Workflow.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=WAGTAIL_PAGE_WORKFLOW)
    Task.objects.filter(name=WAGTAIL_DEFAULT_NAME).update(name=WAGTAIL_PAGE_WORKFLOW)
    for former, name in FORMER_NAMES.items():
        for model in (Workflow, ContentRulesApprovalTask):
            if not model.objects.filter(name=name).exists():
                model.objects.filter(name=former).update(name=name)
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = ContentRulesApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ContentRulesApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([reviewers])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task.task_ptr).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(Article), defaults={"workflow": workflow}
    )
    return workflow
