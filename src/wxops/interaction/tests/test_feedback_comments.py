"""Comments of a sent push, synced from the simulator over real HTTP; reply, feature and delete from wxops."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from wxops.interaction.feedback import comments
from wxops.interaction.models.feedback import Comment, CommentState, FeedbackItem

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_first_sync_opens_comments_then_every_page_of_every_article_is_stored_once(feedback_world):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知", "年假怎么休")
    window = feedback_world.open(push, msg_data_id)
    with pytest.raises(AssertionError, match="400"):  # sent with comments closed: nobody can comment yet
        feedback_world.comment(feedback_world.followers(1)[0], msg_data_id, "能评论吗")

    assert comments.sync_comments(window).fetched == 0
    openids = feedback_world.followers(60)
    for n, openid in enumerate(openids[:55]):  # more than one page of 49
        feedback_world.comment(openid, msg_data_id, f"社保基数什么时候调整？第{n}条")
    feedback_world.comment(openids[0], msg_data_id, "年假可以折算工资吗？", index=1)
    feedback_world.advance(seconds=60)

    first = comments.sync_comments(window)
    second = comments.sync_comments(window)

    assert (first.fetched, first.new, first.problem) == (56, 56, "")
    assert (second.fetched, second.new) == (56, 0)
    assert Comment.objects.filter(push=push).count() == 56
    on_second = Comment.objects.get(push=push, index=1)
    assert on_second.article.title == "年假怎么休"
    assert on_second.content == "年假可以折算工资吗？"
    assert on_second.openid == openids[0]
    # analytics counts comments per push by these fields
    assert Comment.objects.filter(push=push, created_at__gte=window.opens_at).count() == 56


def test_reply_feature_and_delete_reach_wechat_and_are_audited(feedback_world, django_user_model):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知")
    window = feedback_world.open(push, msg_data_id)
    comments.sync_comments(window)
    openid = feedback_world.followers(1)[0]
    feedback_world.comment(openid, msg_data_id, "今年社保基数什么时候调整？")
    feedback_world.comment(openid, msg_data_id, "广告，快删")
    feedback_world.advance(seconds=30)
    comments.sync_comments(window)
    question, spam = Comment.objects.filter(push=push).order_by("user_comment_id")
    editor = django_user_model.objects.create_user("editor", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="change_comment", content_type__app_label="interaction"))
    editor = django_user_model.objects.get(pk=editor.pk)

    comments.reply_to_comment(question, "您好，7月1日起调整。", user=editor)
    comments.set_featured(question, True, user=editor)
    comments.delete_comment(spam, user=editor)

    wechat = {c["user_comment_id"]: c for c in feedback_world.sim.inspect(f"/accounts/{feedback_world.account.app_id}/comments")["comments"]}
    assert wechat[question.user_comment_id]["reply_content"] == "您好，7月1日起调整。"
    assert wechat[question.user_comment_id]["elected"] == 1
    assert wechat[spam.user_comment_id]["deleted"] == 1
    question.refresh_from_db()
    spam.refresh_from_db()
    assert (question.reply_content, question.is_featured, spam.state) == ("您好，7月1日起调整。", True, CommentState.DELETED)
    actions = set(ModelLogEntry.objects.filter(user=editor).values_list("action", flat=True))
    assert actions == {"wxops.comment.replied", "wxops.comment.featured", "wxops.comment.deleted"}
    # a later sync keeps what we did (the deleted one is no longer listed by WeChat)
    comments.sync_comments(window)
    question.refresh_from_db()
    assert question.is_featured and Comment.objects.get(pk=spam.pk).state == CommentState.DELETED

    with pytest.raises(ValidationError, match="已有回复"):
        comments.reply_to_comment(question, "再回复一次", user=editor)
    with pytest.raises(ValidationError, match="已被删除"):
        comments.set_featured(spam, True, user=editor)


def test_without_the_permission_or_against_the_content_rules_nothing_reaches_wechat(feedback_world, django_user_model):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知")
    window = feedback_world.open(push, msg_data_id)
    comments.sync_comments(window)
    feedback_world.comment(feedback_world.followers(1)[0], msg_data_id, "社保基数什么时候调整？")
    feedback_world.advance(seconds=30)
    comments.sync_comments(window)
    comment = Comment.objects.get(push=push)
    reader = django_user_model.objects.create_user("reader", password="x")

    with pytest.raises(PermissionDenied):
        comments.reply_to_comment(comment, "您好", user=reader)
    boss = django_user_model.objects.create_superuser("boss", password="x")
    with pytest.raises(ValidationError, match="稳赚不赔"):  # the content rules refuse it before WeChat hears it
        comments.reply_to_comment(comment, "本产品稳赚不赔，保证收益！", user=boss)
    with pytest.raises(PermissionDenied):
        comments.delete_comment(comment, user=reader)

    assert feedback_world.sim.inspect(f"/accounts/{feedback_world.account.app_id}/outbox", kind="comment_reply")["items"] == []
    row = feedback_world.sim.inspect(f"/accounts/{feedback_world.account.app_id}/comments")["comments"][0]
    assert (row["deleted"], row["reply_content"]) == (0, None)
    assert not ModelLogEntry.objects.filter(action__startswith="wxops.comment.").exists()


def test_an_account_without_the_comment_privilege_is_recorded_not_raised(feedback_world):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知")
    window = feedback_world.open(push, msg_data_id)
    feedback_world.sim.control("POST", f"/accounts/{feedback_world.account.app_id}", comment_privilege=False)

    outcome = comments.sync_comments(window)

    window.refresh_from_db()
    assert "88000" in outcome.problem and window.sync_problem == outcome.problem
    assert not Comment.objects.exists() and not FeedbackItem.objects.exists()
