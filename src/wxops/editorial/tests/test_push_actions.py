"""The push, its status table and the actions that build, review and gate it for sending."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from wxops.editorial import actions, push_events
from wxops.editorial.models import TRANSITIONS, Push, PushStatus

from .conftest import MONDAY_8

pytestmark = pytest.mark.django_db

SLOT = MONDAY_8.replace(hour=11, minute=30)


@pytest.fixture
def push(account, monday):
    return actions.plan_push(account, SLOT)


@pytest.fixture
def heard(django_capture_on_commit_callbacks):
    """Every push event announced, as (name, push id, status)."""
    seen = []

    def listen(event):
        seen.append((event.name, event.push_id, event.status))

    for name in push_events:
        push_events[name].append(listen)
    yield seen
    for name in push_events:
        push_events[name].remove(listen)


def test_the_table_names_every_status_and_only_known_ones():
    assert set(TRANSITIONS) == set(PushStatus.values)
    assert all(set(targets) <= set(PushStatus.values) for targets in TRANSITIONS.values())
    assert TRANSITIONS[PushStatus.SENT] == frozenset() and TRANSITIONS[PushStatus.CANCELLED] == frozenset()


def test_planning_a_slot_gives_its_deadlines_in_the_account_zone_once(account, push):
    assert push.status == PushStatus.PLANNED
    assert push.review_deadline_at == MONDAY_8.replace(hour=10)
    assert push.latest_send_at == SLOT  # no late send by default
    assert actions.plan_push(account, SLOT).pk == push.pk
    assert Push.objects.count() == 1


def test_a_slot_in_the_past_is_refused(account, monday):
    with pytest.raises(actions.PushError, match="2026年11月30日 07:30"):
        actions.plan_push(account, MONDAY_8 - timedelta(minutes=30))
    assert Push.objects.count() == 0


def test_transition_follows_the_table_and_logs_who_and_why(push, editor, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.transition(push, PushStatus.HELD, user=editor, reason="测试")
    push.refresh_from_db()
    assert (push.status, push.status_reason) == (PushStatus.HELD, "测试")
    entry = ModelLogEntry.objects.filter(action="wxops.editorial.push.status").get()
    assert (entry.user_id, entry.data) == (editor.pk, {"from": "planned", "to": "held", "reason": "测试"})
    assert heard == [("held", push.pk, "held")]


def test_a_move_outside_the_table_changes_nothing_and_announces_nothing(push, heard,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(actions.TransitionError, match="已计划"):
        actions.transition(push, PushStatus.SENT)
    push.refresh_from_db()
    assert push.status == PushStatus.PLANNED
    assert not ModelLogEntry.objects.filter(action="wxops.editorial.push.status").exists()
    assert heard == []


def test_a_stale_copy_cannot_move_a_push_another_process_moved(push):
    stale = Push.objects.get(pk=push.pk)
    actions.transition(push, PushStatus.CANCELLED, reason="x")
    with pytest.raises(actions.TransitionError):
        actions.transition(stale, PushStatus.HELD)
    assert Push.objects.get(pk=push.pk).status == PushStatus.CANCELLED


def test_articles_are_ordered_headline_first_and_at_most_eight(push, editor, make_article):
    articles = [make_article(title=f"第{n}篇") for n in range(9)]
    for article in articles[:8]:
        actions.add_article(push, article, user=editor)
    push.refresh_from_db()
    assert push.status == PushStatus.DRAFTING
    with pytest.raises(actions.PushError, match="最多 8 篇"):
        actions.add_article(push, articles[8], user=editor)
    actions.reorder(push, [a.pk for a in reversed(articles[:8])], user=editor)
    assert [i.article.title for i in push.items.all()][:2] == ["第7篇", "第6篇"]
    actions.remove_article(push, articles[7], user=editor)
    assert [i.position for i in push.items.all()] == list(range(7))


def test_what_wechat_would_refuse_is_said_on_adding_and_refused_on_submit(push, editor, make_article):
    long_title = make_article(title="这" * 33)
    without_cover = make_article(title="无封面", cover=None)
    assert actions.add_article(push, long_title, user=editor).problems == (
        "标题有 33 个字，微信最多允许 32 个字，请缩短。",)
    assert actions.add_article(push, without_cover, user=editor).problems == (
        "没有封面图片；微信要求每篇图文都有封面。",)
    with pytest.raises(actions.PushError) as refused:
        actions.submit(push, user=editor)
    assert refused.value.problems == ("「" + "这" * 33 + "」: 标题有 33 个字，微信最多允许 32 个字，请缩短。",
                                      "「无封面」: 没有封面图片；微信要求每篇图文都有封面。")
    push.refresh_from_db()
    assert (push.status, push.submitted_by) == (PushStatus.DRAFTING, None)


def approved_push(push, editor, reviewer, articles):
    for article in articles:
        actions.add_article(push, article, user=editor)
    actions.submit(push, user=editor)
    return actions.approve(push, user=reviewer)


def test_submit_then_approve_fixes_the_revisions_that_will_be_sent(push, editor, reviewer, make_article, heard,
                                                                   django_capture_on_commit_callbacks):
    first, second = make_article(title="头条"), make_article(title="次条")
    with django_capture_on_commit_callbacks(execute=True):
        approved_push(push, editor, reviewer, [first, second])
    push.refresh_from_db()
    assert (push.status, push.submitted_by, push.approved_by) == (PushStatus.APPROVED, editor, reviewer)
    first.refresh_from_db(), second.refresh_from_db()
    assert actions.sendable_revisions(push) == [first.latest_revision, second.latest_revision]
    assert actions.gate_for_send(push) is None
    assert [name for name, *_ in heard] == ["submitted", "approved"]


def test_nobody_approves_their_own_push(push, reviewer, make_article):
    actions.add_article(push, make_article(), user=reviewer)
    actions.submit(push, user=reviewer)
    with pytest.raises(PermissionDenied, match="另一位审核人"):
        actions.approve(push, user=reviewer)
    push.refresh_from_db()
    assert (push.status, push.approved_by) == (PushStatus.IN_REVIEW, None)


def test_an_editor_cannot_approve(push, editor, make_article, django_user_model, roles):
    other_editor = django_user_model.objects.create_user("editor2")
    other_editor.groups.add(roles["editor"])
    actions.add_article(push, make_article(), user=editor)
    actions.submit(push, user=editor)
    with pytest.raises(PermissionDenied):
        actions.approve(push, user=other_editor)
    assert Push.objects.get(pk=push.pk).status == PushStatus.IN_REVIEW


def test_a_change_after_approval_closes_the_gate_and_sends_it_back_to_review(push, editor, reviewer, make_article):
    article = make_article()
    approved_push(push, editor, reviewer, [article])
    article.title = "改过的标题"
    article.save_revision(user=editor)
    assert actions.gate_for_send(push) == "审核通过后又有改动，需要重新审核：「社保基数调整要点」。"
    returned = actions.article_changed(article, user=editor)
    push.refresh_from_db()
    assert returned == [push] and push.status == PushStatus.IN_REVIEW and push.approved_by is None
    assert "社保基数调整要点" in push.status_reason


def test_the_gate_refuses_what_is_not_approved(push, editor, make_article):
    actions.add_article(push, make_article(), user=editor)
    assert actions.gate_for_send(push) == "这次推送状态为编辑中，尚未审核通过。"
    with pytest.raises(actions.PushError):
        actions.sendable_revisions(push)


def test_publishing_moves_an_approved_push_through_sending_once(push, editor, reviewer, make_article):
    approved_push(push, editor, reviewer, [make_article()])
    actions.transition(push, PushStatus.SENDING)
    with pytest.raises(actions.TransitionError):
        actions.transition(Push.objects.get(pk=push.pk), PushStatus.SENDING)  # a second worker loses
    assert actions.gate_for_send(push) is None  # still valid while sending
    actions.transition(push, PushStatus.SENT)
    assert Push.objects.get(pk=push.pk).status == PushStatus.SENT


def test_a_picture_of_unknown_licence_is_refused_on_adding_and_closes_the_gate(push, editor, reviewer, make_article,
                                                                               cover):
    from wxops.materials.models.picture import Licence

    article = make_article()
    approved_push(push, editor, reviewer, [article])
    cover.licence = Licence.UNKNOWN
    cover.save()
    assert "封面" in actions.gate_for_send(push) and "授权" in actions.gate_for_send(push)
    other = actions.plan_push(push.account, push.slot_at.replace(day=2, month=12))
    problems = actions.add_article(other, make_article(title="另一篇"), user=editor).problems
    assert len(problems) == 1 and "封面" in problems[0] and "授权" in problems[0]


def test_approval_waits_for_every_review_finding_to_be_acknowledged(push, editor, reviewer, make_article):
    from wxops.compliance import actions as compliance

    article = make_article(body="<p>我们的服务同类最佳。</p>")
    actions.add_article(push, article, user=editor)
    actions.submit(push, user=editor)  # a review finding does not stop the submit
    waiting, = actions.review_findings(push)
    assert waiting.text == "最佳"
    with pytest.raises(actions.PushError, match="1 个内容规范问题等待您确认"):
        actions.approve(push, user=reviewer)
    assert Push.objects.get(pk=push.pk).status == PushStatus.IN_REVIEW
    report = compliance.check_document(article)
    field, finding, _decision = next(iter(report.findings()))
    compliance.decide(reviewer, article, field, finding, "acknowledged", "行业评选结果，有出处")
    assert actions.review_findings(push) == []
    actions.approve(push, user=reviewer)
    assert Push.objects.get(pk=push.pk).status == PushStatus.APPROVED
    assert ModelLogEntry.objects.filter(action="wxops.compliance.acknowledge", user=reviewer).count() == 1


def test_an_account_without_its_appsecret_cannot_submit(push, editor, make_article):
    type(push.account).objects.filter(pk=push.account_id).update(app_secret="")
    actions.add_article(push, make_article(), user=editor)
    with pytest.raises(actions.PushError, match="还没有 AppSecret"):
        actions.submit(Push.objects.get(pk=push.pk), user=editor)
    assert Push.objects.get(pk=push.pk).status == PushStatus.DRAFTING
