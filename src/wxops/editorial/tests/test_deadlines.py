"""The review day's clock: reminder, escalation and hold happen once each, and tell the right people."""

from datetime import timedelta

import pytest
from django.core import mail

from wxops.core import clock
from wxops.editorial import actions
from wxops.editorial.models import Notice, Push, PushStatus
from wxops.editorial.tasks import run_deadlines

from .conftest import MONDAY_8

pytestmark = pytest.mark.django_db

SLOT = MONDAY_8.replace(hour=11, minute=30)


@pytest.fixture
def drafted(account, monday, editor, make_article):
    push = actions.plan_push(account, SLOT)
    actions.add_article(push, make_article(), user=editor)
    return push


def at(hour, minute=0):
    return MONDAY_8.replace(hour=hour, minute=minute)


def test_the_editor_is_reminded_once_an_hour_before_the_deadline(drafted, editor, reviewer,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert run_deadlines(at(8, 59)) == {"reminded": [], "escalated": [], "held": []}
        assert run_deadlines(at(9, 0))["reminded"] == [drafted.pk]
        assert run_deadlines(at(9, 30))["reminded"] == []
    notice, = Notice.objects.filter(event="reminder")
    assert notice.user == editor and "尚未提交审核" in notice.message and "10:00" in notice.message
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]


def test_at_the_deadline_reviewer_and_administrators_are_told_once(drafted, editor, reviewer, administrator,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(drafted, user=editor)
        assert run_deadlines(at(10))["escalated"] == [drafted.pk]
        assert run_deadlines(at(10, 1))["escalated"] == []
    told = set(Notice.objects.filter(event="escalated").values_list("user__username", flat=True))
    assert told == {"reviewer", "admin"}


def test_an_unapproved_push_is_held_at_the_slot_and_everyone_is_told(drafted, editor, reviewer, administrator,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(drafted, user=editor)
        assert run_deadlines(at(11, 29))["held"] == []
        assert run_deadlines(at(11, 30))["held"] == [drafted.pk]
        assert run_deadlines(at(11, 31))["held"] == []
    drafted.refresh_from_db()
    assert drafted.status == PushStatus.HELD and "审核中" in drafted.status_reason
    assert set(Notice.objects.filter(event="held").values_list("user__username", flat=True)) == {
        "editor", "reviewer", "admin"}
    assert actions.gate_for_send(drafted) == "这次推送状态为已暂停，尚未审核通过。"


def test_an_approved_push_is_neither_escalated_nor_held(drafted, editor, reviewer):
    actions.submit(drafted, user=editor)
    actions.approve(drafted, user=reviewer)
    assert run_deadlines(at(11, 30)) == {"reminded": [], "escalated": [], "held": []}
    assert Push.objects.get(pk=drafted.pk).status == PushStatus.APPROVED


def test_a_late_send_window_lets_a_held_push_be_approved_that_day(account, drafted, editor, reviewer):
    schedule = account.push_schedule
    schedule.late_send_until = SLOT.replace(hour=15).time()
    schedule.save()
    Push.objects.filter(pk=drafted.pk).update(latest_send_at=SLOT.replace(hour=15))
    actions.submit(drafted, user=editor)
    run_deadlines(at(11, 30))
    with clock.frozen(at(12)):
        actions.approve(drafted, user=reviewer)
    assert Push.objects.get(pk=drafted.pk).status == PushStatus.APPROVED
    with clock.frozen(at(16)):
        assert actions.gate_for_send(drafted) is None  # publishing checks latest_send_at itself


def test_after_the_late_send_time_a_held_push_cannot_be_approved(drafted, editor, reviewer):
    actions.submit(drafted, user=editor)
    run_deadlines(at(11, 30))
    with clock.frozen(at(11, 30) + timedelta(minutes=5)), pytest.raises(actions.PushError, match="最晚发送时间已过"):
        actions.approve(drafted, user=reviewer)
    assert Push.objects.get(pk=drafted.pk).status == PushStatus.HELD


def test_the_reviewer_is_told_at_once_on_submit_by_notice_and_email(drafted, editor, reviewer,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(drafted, user=editor)
    notice, = Notice.objects.filter(event="submitted")
    assert notice.user == reviewer and "等待您审核" in notice.message
    assert mail.outbox[0].to == ["reviewer@example.com"]
