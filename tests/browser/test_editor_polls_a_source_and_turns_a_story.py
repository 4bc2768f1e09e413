"""An editor polls a source now and turns a story into an article: both clicks answer at once,
the slow work happens in the worker, and the editor watches it finish.

The clicks' times are printed (seen with ``-s``), never asserted: what is asserted is that the
request did not do the slow work — the poll was still queued and nothing fetched when the
progress page answered.
"""

import time

import pytest

from wxops.site.demo import load_demo, read_logins
from wxops.sources.models import FetchAttempt, PollState, Source, SourceKind, Story
from wxops.sources.tests.conftest import Server, fixture_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def feed_server():
    running = Server()
    yield running
    running.stopping.set()
    running.httpd.shutdown()
    running.httpd.server_close()


def log_in(page, live_server, username):
    password = {row.username: row.password for row in read_logins()}[username]
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_poll_now_and_turn_into_article_answer_at_once(live_server, page, settings, feed_server):
    from django_tasks.signals import task_enqueued

    from wxops.sources import tasks

    settings.WXOPS_FETCH_ALLOW = ("127.0.0.1",)
    # The worker's queue, held: the test runs the queued poll itself, as the worker would. (The
    # dummy backend keeps results per thread, and the site answers from its own: hence the signal.)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    enqueued = []

    def remember(sender, task_result, **kwargs):
        enqueued.append(task_result)

    task_enqueued.connect(remember, weak=False)
    route = feed_server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    account, _ = load_demo()
    source = Source.objects.create(account=account, name="财税资讯", kind=SourceKind.FEED,
                                   location=feed_server.url("/feed.xml"))
    log_in(page, live_server, "editor")

    page.goto(f"{live_server.url}/admin/snippets/sources/source/")
    started = time.perf_counter()
    page.get_by_role("row", name="财税资讯").get_by_text("立即抓取").click()
    page.wait_for_url(f"{live_server.url}/admin/sources/sources/{source.pk}/polls/*/")
    print(f"\n立即抓取 answered in {time.perf_counter() - started:.2f} s")
    attempt = FetchAttempt.objects.get(source=source)
    assert attempt.state == PollState.QUEUED and route.hits == []  # nothing fetched in the request
    assert "排队中" in page.content()

    task_enqueued.disconnect(remember)
    queued = [result for result in enqueued if result.task.name == "poll_source_task"]
    assert [result.args for result in queued] == [[source.pk, attempt.pk]]
    tasks.poll_source_task.call(*queued[0].args)
    page.get_by_text("已完成").wait_for()  # the page refreshed itself
    assert "新增 2" in page.content()

    page.goto(f"{live_server.url}/admin/sources/pool/")
    story = Story.objects.get(title="税务总局：小规模纳税人增值税优惠延续")
    started = time.perf_counter()
    page.get_by_role("row", name=story.title).get_by_role("button", name="转为图文").click()
    page.wait_for_url(f"{live_server.url}/admin/snippets/materials/article/edit/*/")
    print(f"转为图文 answered in {time.perf_counter() - started:.2f} s")
    story.refresh_from_db()
    assert story.status == "used" and page.locator("#id_title").input_value() == story.article.title
