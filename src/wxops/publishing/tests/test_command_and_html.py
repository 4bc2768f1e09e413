"""``wxops publishing`` and the WeChat HTML renderer (no simulator needed for the renderer)."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from wxops.accounts.times import shown
from wxops.core import clock
from wxops.publishing.actions import delivery_for
from wxops.publishing.wechat_html import wechat_html

from .conftest import SLOT


def url(picture_id: int) -> str:
    return f"https://mmbiz.qpic.cn/mmbiz_png/{picture_id}/0"


def test_allowed_tags_get_inline_styles_and_nothing_else_survives():
    html = wechat_html('<h1 class="x" id="t">标题</h1><p onclick="steal()">正文<b>粗</b><i>斜</i></p>'
                       '<script>alert(1)</script><style>p{color:red}</style><iframe src="https://e.x"></iframe>'
                       '<div><span style="position:fixed">文字</span></div>', image_url=url)
    assert html.startswith('<h2 style="') and "<strong" in html and "<em" in html
    for gone in ("class=", "id=", "onclick", "script", "alert", "<style", "color:red", "iframe", "<div", "<span",
                 "position:fixed"):
        assert gone not in html
    assert "文字" in html  # an unknown tag's text is kept


def test_pictures_come_from_the_given_urls_and_outside_images_are_dropped():
    html = wechat_html('<embed embedtype="image" id="7" format="fullwidth" alt="图 &quot;一&quot;"/>'
                       '<img src="http://elsewhere.example/x.png"><embed embedtype="media" url="https://v.qq.com/x"/>',
                       image_url=url)
    assert html.count("<img") == 1 and 'src="https://mmbiz.qpic.cn/mmbiz_png/7/0"' in html
    assert 'alt="图 &quot;一&quot;"' in html and "elsewhere" not in html and "v.qq.com" not in html


def test_outside_links_become_numbered_notes_and_inside_links_plain_text():
    html = wechat_html('<p><a href="https://a.example/1">甲</a> <a href="https://a.example/1">甲again</a> '
                       '<a href="https://b.example/2?x=1&amp;y=2">乙</a> <a linktype="page" id="3">页</a> '
                       '<a href="javascript:alert(1)">坏</a></p>', image_url=url)
    assert "<a" not in html and "javascript" not in html
    assert "甲<sup>[1]</sup>" in html and "甲again<sup>[1]</sup>" in html and "乙<sup>[2]</sup>" in html
    assert "[2] https://b.example/2?x=1&amp;y=2" in html and "参考链接" in html


def test_text_is_escaped_and_the_category_marker_comes_first():
    html = wechat_html("<p>1 &lt; 2 &amp; 3</p>", image_url=url, category="财务--管理")
    assert html.startswith("<!-- category: 财务管理 -->") and "1 &lt; 2 &amp; 3" in html
    assert wechat_html("", image_url=url) == ""


@pytest.mark.django_db
def test_the_command_runs_the_sweep_and_lists_deliveries(world, approved):
    world.at(SLOT)
    out = StringIO()
    call_command("publishing", "run", stdout=out)
    assert "accepted" in out.getvalue() and "1 push(es) handled." in out.getvalue()
    out = StringIO()
    call_command("publishing", "status", stdout=out)
    assert delivery_for(approved).msg_id in out.getvalue()
    since = shown(clock.now() - timedelta(days=7), approved.account)  # the account's zone, the one date style
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", since)
    assert out.getvalue().splitlines()[-1] == f"1 delivery(ies) since {since}."
    out = StringIO()
    call_command("publishing", "preflight", stdout=out)
    assert "0 coming push(es)" in out.getvalue()


@pytest.mark.django_db
def test_the_deliveries_list_and_page_show_a_send_and_offer_no_edit(world, approved, admin_client):
    world.at(SLOT)
    from wxops.publishing.actions import run_due_sends

    run_due_sends()
    delivery = delivery_for(approved)
    listing = admin_client.get(reverse("publishing_delivery:index"))
    assert listing.status_code == 200 and delivery.msg_id in listing.content.decode()
    page = admin_client.get(reverse("publishing_delivery:inspect", args=[delivery.pk]))
    assert page.status_code == 200 and delivery.clientmsgid in page.content.decode()
    assert admin_client.get(reverse("publishing_delivery:edit", args=[delivery.pk])).status_code in (302, 403)
    assert admin_client.get(reverse("publishing_delivery:add")).status_code in (302, 403)
