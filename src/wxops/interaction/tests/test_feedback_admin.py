"""The feedback in the admin: comments answered from the list, documents downloaded by who may read them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from wxops.interaction.feedback import comments, documents, windows
from wxops.interaction.models import Comment, DirectorSetting


def admin_user(django_user_model, name: str, *codenames: str):
    user = django_user_model.objects.create_user(name, password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="interaction"))
    return user


@pytest.fixture
def commented(feedback_world):
    push, msg_data_id = feedback_world.send_push("社保基数调整通知")
    window = feedback_world.open(push, msg_data_id)
    comments.sync_comments(window)
    feedback_world.comment(feedback_world.followers(1)[0], msg_data_id, "今年社保基数什么时候调整？")
    feedback_world.advance(seconds=60)
    comments.sync_comments(window)
    return feedback_world, window, Comment.objects.get()


def test_an_editor_replies_to_a_comment_from_the_admin(commented, client, django_user_model):
    world, window, comment = commented
    client.force_login(admin_user(django_user_model, "editor", "change_comment", "view_comment"))

    listing = client.get(reverse("feedback_comments:index"))
    form = client.get(reverse("feedback_comment", args=[comment.pk, "reply"]))
    empty = client.post(reverse("feedback_comment", args=[comment.pk, "reply"]), {"content": "  "})
    done = client.post(reverse("feedback_comment", args=[comment.pk, "reply"]), {"content": "您好，7月1日起调整。"})

    assert listing.status_code == 200 and "今年社保基数什么时候调整？" in listing.content.decode()
    assert form.status_code == 200
    assert empty.status_code == 200 and "回复须为 1 至 1000 个字符" in empty.content.decode()  # refused in words, nothing sent
    assert done.status_code == 302
    replies = world.sim.inspect(f"/accounts/{world.account.app_id}/outbox", kind="comment_reply")["items"]
    assert len(replies) == 1
    comment.refresh_from_db()
    assert comment.reply_content == "您好，7月1日起调整。"


def test_without_the_permission_the_admin_refuses_and_wechat_hears_nothing(commented, client, django_user_model):
    world, window, comment = commented
    client.force_login(admin_user(django_user_model, "reader", "view_comment"))

    answer = client.post(reverse("feedback_comment", args=[comment.pk, "delete"]))

    assert answer.status_code in (302, 403)  # Wagtail turns PermissionDenied into a redirect with a message
    row = world.sim.inspect(f"/accounts/{world.account.app_id}/comments")["comments"][0]
    assert row["deleted"] == 0 and Comment.objects.get().state == "visible"


def test_the_director_reads_the_documents_and_others_do_not(commented, client, django_user_model):
    world, window, comment = commented
    director = admin_user(django_user_model, "liu")
    DirectorSetting.objects.create(account=world.account, director_user=director)
    windows.link_feedback(window)
    windows.analyse(window)
    document = documents.make_feedback_document(window)
    url = reverse("feedback_document_file", args=[document.pk, "pdf"])

    client.force_login(admin_user(django_user_model, "someone"))
    refused = client.get(url)
    client.force_login(director)
    dashboard = client.get(reverse("wagtailadmin_home"))
    download = client.get(url)

    assert refused.status_code in (302, 403)
    assert "推送反馈核心问题" in dashboard.content.decode()
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
