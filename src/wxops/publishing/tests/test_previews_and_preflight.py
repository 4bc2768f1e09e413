"""The reviewer's WeChat preview on submit, the phone preview's HTML, and the pre-flight checks
that turn an 11:30 failure into a clear error at submit, approval or the hourly re-check."""

from __future__ import annotations

import pytest

from wxops.editorial import actions as editorial
from wxops.editorial import preview
from wxops.editorial.actions import PushError
from wxops.editorial.models import PreviewContact, PushStatus
from wxops.materials.models import Picture
from wxops.publishing.actions.preflight import recheck_upcoming

from .conftest import MONDAY_8, SLOT

pytestmark = pytest.mark.django_db


@pytest.fixture
def drafted(world, editor, make_article):
    push = editorial.plan_push(world.account, SLOT)
    editorial.add_article(push, make_article(title="社保基数调整要点", body="<p>第一季度市场平稳。</p>"), user=editor)
    return push


def test_submitting_sends_each_reviewer_a_wechat_preview_and_nothing_to_followers(
        world, drafted, editor, reviewer, django_capture_on_commit_callbacks):
    joined = world.sim.control("POST", f"/accounts/{world.app_id}/followers/subscribe", wxname="reviewer_wx",
                               notify=False)
    PreviewContact.objects.create(user=reviewer, wechat_id="reviewer_wx")
    with django_capture_on_commit_callbacks(execute=True):
        editorial.submit(drafted, user=editor)
    previews = world.sim.inspect(f"/accounts/{world.app_id}/outbox", kind="preview")["items"]
    assert [p["openid"] for p in previews] == [joined["openid"]]
    assert world.sends() == []  # no follower got anything
    drafts = world.sim.inspect(f"/accounts/{world.app_id}/drafts")["drafts"]
    assert all(d["removed_at"] for d in drafts), drafts  # the preview draft is gone


def test_the_phone_preview_shows_the_html_that_will_be_sent(world, make_article):
    article = make_article(title="发票新规", body='<p>见 <a href="https://example.com/rule">原文</a></p>')
    phone = preview.render(article, world.account)
    assert 'style="margin:0 0 1em' in phone.body and "[1] https://example.com/rule" in phone.body


def test_a_body_too_long_as_rendered_is_refused_at_submit(world, editor, make_article):
    push = editorial.plan_push(world.account, SLOT)
    body = "".join(f"<p>{'市场平稳，政策稳定。' * 5}{n}</p>" for n in range(300))  # under 20,000 as stored
    assert len(body) < 20_000
    editorial.add_article(push, make_article(title="长文", body=body), user=editor)
    with pytest.raises(PushError) as refused:
        editorial.submit(push, user=editor)
    assert "长文" in str(refused.value) and "20000" in str(refused.value)
    push.refresh_from_db()
    assert push.status == PushStatus.DRAFTING


def broken(picture: Picture) -> None:
    """The picture's file no longer holds a picture (a bad upload, a disk problem)."""
    picture.wechat_renditions.all().delete()
    with picture.file.open("wb") as handle:
        handle.write(b"not a picture at all")
    Picture.objects.filter(pk=picture.pk).update(file_hash="changed")


def test_a_picture_wechat_cannot_take_is_found_hours_before_the_slot(world, approved, cover):
    broken(cover)
    returned = recheck_upcoming(MONDAY_8.replace(hour=9))
    approved.refresh_from_db()
    assert returned == [approved.pk] and approved.status == PushStatus.IN_REVIEW
    assert "封面" in approved.status_reason and "2026年11月30日 11:30" in approved.status_reason  # not 11-30 11:30
    assert recheck_upcoming(MONDAY_8.replace(hour=9, minute=1)) == []  # told once
    assert world.sends() == []


def test_a_clean_approved_push_is_left_alone_by_the_recheck(world, approved):
    assert recheck_upcoming(MONDAY_8.replace(hour=9)) == []
    approved.refresh_from_db()
    assert approved.status == PushStatus.APPROVED
