"""The business rules of issue 8 and 15 against the real database and a real local HTTP server:
permissions in the actions, audit entries, statuses only through their tables, no reference-index
task per poll, SSRF refusals, the total deadline, "poll now" queued with progress, what is told
back to people (last error cleared, identical resubmissions), relevance, search, import folders."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from wxops.core import clock
from wxops.sources import actions, synthetic
from wxops.sources.candidates import Document
from wxops.sources.models import (
    EditorChoice,
    Item,
    PollState,
    ReprintStatus,
    Source,
    SourceKind,
    SourceStatus,
    Story,
    StoryStatus,
)
from wxops.sources.tests.conftest import feed_source, fixture_bytes, make_editor

pytestmark = pytest.mark.django_db


def entries(action: str, obj=None) -> list:
    from django.contrib.contenttypes.models import ContentType

    found = ModelLogEntry.objects.filter(action=action)
    if obj is not None:
        found = found.filter(object_id=str(obj.pk), content_type=ContentType.objects.get_for_model(obj))
    return list(found)


# ---------------------------------------------------------------- permissions and audit


def test_someone_without_the_pool_permission_changes_nothing(account, editor):
    actions.ingest(account, [synthetic.article(random.Random(3), 1)])
    story = Story.objects.get()
    item = story.items.get()
    finance = account.categories.get(name="财务管理")
    for attempt in (lambda: actions.turn_into_article(story, editor),
                    lambda: actions.choose_category(item, finance, editor),
                    lambda: actions.dismiss_story(story, editor),
                    lambda: actions.set_reprint_status(item, ReprintStatus.LICENSED, editor),
                    lambda: list(actions.stories_for(editor, actions.PoolQuery()))):
        with pytest.raises(PermissionDenied):
            attempt()
    story.refresh_from_db()
    item.refresh_from_db()
    assert story.status == StoryStatus.CANDIDATE and story.article is None and item.category != finance
    assert EditorChoice.objects.count() == 0 and item.reprint == ReprintStatus.QUOTED


def test_turning_into_an_article_and_choosing_a_category_are_audit_logged(account, editor):
    editor = make_editor(editor)
    actions.ingest(account, [synthetic.article(random.Random(4), 1), synthetic.article(random.Random(5), 2)])
    first, second = Story.objects.order_by("pk")
    finance = account.categories.get(name="财务管理")
    actions.choose_category(second.items.get(), finance, editor)
    [chosen] = entries(actions.audit_log.CHOOSE_CATEGORY, second)
    assert chosen.user == editor and chosen.data["to"] == "财务管理"
    article = actions.turn_into_article(first, editor)
    [on_article] = entries(actions.audit_log.TURN_INTO_ARTICLE, article)
    assert on_article.user == editor and on_article.data["story"] == first.pk
    [status] = entries(actions.audit_log.STORY_STATUS, first)
    assert (status.data["from"], status.data["to"]) == ("candidate", "used")


def test_a_source_paused_after_failures_goes_through_the_status_table_and_the_log(account, server):
    broken = feed_source(account, server, "/gone.xml")
    for _ in range(actions.PAUSE_AFTER_FAILURES):
        actions.poll_source(broken)
    broken.refresh_from_db()
    assert broken.status == SourceStatus.PAUSED
    [paused] = entries(actions.audit_log.SOURCE_STATUS, broken)
    assert (paused.user, paused.data["to"]) == (None, "paused")
    with pytest.raises(ValidationError):
        actions.set_source_status(broken, SourceStatus.PAUSED)


def test_a_poll_queues_no_reference_index_task(account, server, settings):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    source = feed_source(account, server)
    default_task_backend.clear()
    actions.poll_source(source)
    actions.poll_source(source)
    queued = [result.task.name for result in default_task_backend.results]
    assert "update_reference_index_task" not in queued and Item.objects.count() == 2
    # The capture works: saving an indexed model (an article) queues the task.
    from wxops.materials.models import Article

    Article.objects.create(account=account, title="被索引的图文")
    assert "update_reference_index_task" in [result.task.name for result in default_task_backend.results]


# ---------------------------------------------------------------- safe fetching


def test_a_source_on_loopback_is_refused_by_default_and_nothing_is_stored(account, server, settings):
    settings.WXOPS_FETCH_ALLOW = ()
    route = server.route("/x.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    source = feed_source(account, server, "/x.xml")
    summary = actions.poll_source(source)
    source.refresh_from_db()
    assert summary.sources_failed == 1 and route.hits == [] and Item.objects.count() == 0
    assert "内部地址 127.0.0.1" in source.last_error and "WXOPS_FETCH_ALLOW" in source.last_error


def test_a_dripping_server_is_cut_off_and_recorded_as_a_failure(account, server, settings):
    settings.WXOPS_FETCH_DEADLINE = 1
    server.route("/drip.xml", drip=0.2)
    source = feed_source(account, server, "/drip.xml")
    summary = actions.poll_source(source)
    source.refresh_from_db()
    attempt = source.attempts.get()
    assert summary.sources_failed == 1 and attempt.state == PollState.FAILED
    assert "总时限" in attempt.error and source.consecutive_failures == 1 and source.last_success_at is None


def test_a_successful_poll_clears_the_last_error(account, server):
    route = server.route("/flaky.xml", status=500)
    source = feed_source(account, server, "/flaky.xml")
    actions.poll_source(source)
    source.refresh_from_db()
    assert "HTTP 500" in source.last_error
    route.status, route.body = 200, fixture_bytes("feed_gb2312_blank_line.xml")
    actions.poll_source(source)
    source.refresh_from_db()
    assert source.last_error == "" and source.last_success_at == source.last_polled_at


def test_a_partial_parse_is_a_warning_on_the_poll(account, server):
    server.route("/cut.xml", body=fixture_bytes("feed_truncated.xml"))
    source = feed_source(account, server, "/cut.xml")
    summary = actions.poll_source(source)
    attempt = source.attempts.get()
    assert attempt.state == PollState.FINISHED and summary.new >= 2
    assert "只读取了一部分" in attempt.warnings and "只读取了一部分" in attempt.outcome()


def test_fragment_links_of_one_feed_are_all_stored(account, server):
    server.route("/archive.xml", body=fixture_bytes("feed_fragments.xml"))
    summary = actions.poll_source(feed_source(account, server, "/archive.xml"))
    assert (summary.new + summary.near_duplicate, summary.duplicate) == (4, 0)


def test_entries_sharing_a_link_or_a_guid_are_all_stored_once(account, server):
    server.route("/notices.xml", body=fixture_bytes("feed_shared_keys.xml"))
    source = feed_source(account, server, "/notices.xml")
    first = actions.poll_source(source)
    assert (first.new + first.near_duplicate, first.duplicate) == (8, 1)
    second = actions.poll_source(source)
    assert (second.new + second.near_duplicate, second.duplicate) == (0, 9)
    assert Item.objects.count() == 8


def test_an_entry_with_a_very_long_link_is_not_stored_again_at_every_poll(account, server):
    link = "https://news.example.com/a?" + "&".join(f"k{n}=v{n}" for n in range(150))  # > 1,000 characters
    feed = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>长链接</title><item>'
            f'<title>链接很长的新闻</title><link>{link.replace("&", "&amp;")}</link>'
            '<description>这条新闻的链接超过一千个字符，数据库只保存前一千个字符。</description></item></channel></rss>')
    server.route("/long.xml", body=feed.encode())
    source = feed_source(account, server, "/long.xml")
    assert actions.poll_source(source).new == 1
    assert actions.poll_source(source).duplicate == 1 and Item.objects.count() == 1


def test_a_file_source_polled_again_stores_no_second_copy(account, settings, tmp_path):
    # Local files have neither link nor guid: every poll stored each file again as a near-duplicate.
    settings.WXOPS_IMPORT_FOLDERS = (str(tmp_path),)
    (tmp_path / "note.md").write_text("# 财务部月度提示\n本月二十日前完成增值税申报，逾期将产生滞纳金，请各子公司财务提前准备。",
                                      encoding="utf-8")
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>无链接</title><item>'
        "<title>没有链接的条目</title><description>这个条目既没有链接也没有 guid，只有标题和正文。</description>"
        "</item></channel></rss>", encoding="utf-8")
    source = Source.objects.create(account=account, name="本地", kind=SourceKind.FILE, location=str(tmp_path))
    assert actions.poll_source(source).new == 2
    again = actions.poll_source(source)
    assert (again.new, again.near_duplicate, again.duplicate) == (0, 0, 2) and Item.objects.count() == 2


# ---------------------------------------------------------------- poll now, with progress


def test_poll_now_answers_at_once_and_the_worker_does_the_poll(account, server, editor,
                                                               django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(Permission.objects.get(codename="change_source"))
    editor = type(editor).objects.get(pk=editor.pk)
    route = server.route("/feed.xml", body=fixture_bytes("feed_gb2312_blank_line.xml"))
    source = feed_source(account, server)
    queued = []
    with django_capture_on_commit_callbacks() as callbacks:
        attempt = actions.request_poll(source, editor)
        again = actions.request_poll(source, editor)
    assert attempt.state == PollState.QUEUED and again.pk == attempt.pk  # a double click queues one poll
    assert route.hits == [] and len(callbacks) == 1  # nothing fetched inside the request
    assert attempt.outcome() == "排队中，等待后台处理"
    from wxops.sources import tasks

    tasks.poll_source_task.call(source.pk, attempt.pk)
    tasks.poll_source_task.call(source.pk, attempt.pk)  # a duplicate delivery does nothing
    attempt.refresh_from_db()
    assert attempt.state == PollState.FINISHED and attempt.new_count == 2 and attempt.processed == 2
    assert len(route.hits) == 1 and queued == []


# ---------------------------------------------------------------- submissions, relevance, search


def test_an_identical_resubmission_is_told_and_not_stored_twice(account, editor):
    text = "本周六下午，融智大讲堂将在公司总部举办新公司法下的股权设计专题沙龙，欢迎客户报名。"
    first = actions.submit(editor, account, title="融智大讲堂本周六开讲", text=text)
    again = actions.submit(editor, account, title=" 融智大讲堂本周六开讲 ", text=text + "\n")
    assert again.duplicate and again.item == first.item and not first.duplicate
    assert Item.objects.count() == 1 and first.item.reprint == ReprintStatus.ORIGINAL


def test_a_doubtful_classification_is_filed_as_other_not_a_category(account, settings):
    settings.WXOPS_SOURCES_MIN_CONFIDENCE = 0.99
    actions.ingest(account, [synthetic.article(random.Random(6), 1)])
    story = Story.objects.get()
    assert story.category is None and story.items.get().category is None
    settings.WXOPS_SOURCES_MIN_CONFIDENCE = 0.0
    actions.ingest(account, [synthetic.article(random.Random(7), 2)])
    assert Story.objects.exclude(category=None).count() == 1


def test_dismissing_as_not_relevant_teaches_the_classifier_an_other_class(account, editor, settings):
    from wxops.sources.classifier import OTHER

    editor = make_editor(editor)
    hotel = Document(title="酒店预订特惠：海景房五折起", text="暑期酒店预订特惠，海景房五折起，含双人早餐和免费接送机服务，"
                     "预订即送景点门票。" * 3, url="https://travel.example.com/1")
    actions.ingest(account, [hotel])
    story = Story.objects.get()
    actions.dismiss_story(story, editor, not_relevant=True)
    story.refresh_from_db()
    assert story.status == StoryStatus.DISMISSED and story.category is None
    assert EditorChoice.objects.get().category is None
    model = actions.retrain_classifier(account)
    classifier = actions.classifier_for(account)
    assert model.choice_count == 1 and classifier.knows_other
    assert classifier.classify("酒店预订特惠，海景房五折起，含双人早餐").category == OTHER


def test_pool_search_is_chinese_aware_and_dates_are_published_dates(account, editor):
    editor = make_editor(editor)
    now = clock.now()
    actions.ingest(account, [
        Document(title="社会保险缴费基数调整通知", text="今年社会保险缴费基数按上年度平均工资调整，企业须在月底前申报。" * 2,
                 url="https://a.example.com/1", published=now - timedelta(days=400)),
        Document(title="增值税留抵退税新规", text="增值税留抵退税政策延续，小微企业可按月申请。" * 3,
                 url="https://a.example.com/2", published=now),
    ])

    def titles(**query):
        return [s.title for s in actions.stories_for(editor, actions.PoolQuery(**query))]

    assert titles(text="缴费基数") == ["社会保险缴费基数调整通知"]  # words, not one exact phrase
    assert titles(text="基数 社会保险") == ["社会保险缴费基数调整通知"]
    assert titles(text="留抵退税 社会保险") == []
    today = clock.now().astimezone(datetime.now().astimezone().tzinfo).date()
    assert titles(since=today - timedelta(days=2)) == ["增值税留抵退税新规"]  # both were first seen today
    assert titles(until=today - timedelta(days=100)) == ["社会保险缴费基数调整通知"]


def test_the_pool_ranks_by_freshness_now_not_when_each_story_was_fetched(account, editor):
    from dataclasses import replace

    editor = make_editor(editor)
    rng = random.Random(12)
    start = clock.now()
    old = replace(synthetic.article(rng, 1), published=start)
    with clock.frozen(start):  # a story three portals carried (rank × 2.6), fetched fresh three days ago
        actions.ingest(account, [old, *(replace(synthetic.reprint(rng, old, n), published=start) for n in range(2))])
    later = start + timedelta(days=3)
    with clock.frozen(later):
        actions.ingest(account, [replace(synthetic.article(rng, 2), published=later)])
        fresh = Story.objects.get(first_seen_at=later)
        assert actions.rerank_stories() == 1 and actions.rerank_stories() == 0  # only the old one moved
        ordered = list(actions.stories_for(editor, actions.PoolQuery()))
    assert ordered[0] == fresh and ordered[1].source_count == 3
    assert ordered[1].rank < ordered[0].rank


# ---------------------------------------------------------------- local file sources


def test_a_file_source_outside_the_import_folders_is_refused(account, settings, tmp_path):
    allowed = tmp_path / "imports"
    allowed.mkdir()
    (tmp_path / "secret.txt").write_text("机密\n服务器配置与密钥，不应出现在候选池中。", encoding="utf-8")
    settings.WXOPS_IMPORT_FOLDERS = ()
    off = Source(account=account, name="本地", kind=SourceKind.FILE, location=str(allowed))
    with pytest.raises(ValidationError, match="WXOPS_IMPORT_FOLDERS"):
        off.full_clean()
    settings.WXOPS_IMPORT_FOLDERS = (str(allowed),)
    off.full_clean()
    for location in (str(tmp_path / "secret.txt"), f"{allowed}/../secret.txt", "/etc/passwd"):
        with pytest.raises(ValidationError, match="不在导入文件夹"):
            Source(account=account, name="越界", kind=SourceKind.FILE, location=location).full_clean()


def test_a_link_inside_an_import_folder_that_leads_outside_is_not_read(account, settings, tmp_path):
    allowed = tmp_path / "imports"
    allowed.mkdir()
    (allowed / "note.txt").write_text("内部通知\n本月起报销单据统一通过财务系统线上提交，纸质单据不再受理。", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("机密\n服务器配置与密钥，不应出现在候选池中。", encoding="utf-8")
    (allowed / "link.txt").symlink_to(secret)
    settings.WXOPS_IMPORT_FOLDERS = (str(allowed),)
    source = Source.objects.create(account=account, name="本地", kind=SourceKind.FILE, location=str(allowed))
    summary = actions.poll_source(source)
    assert [item.title for item in Item.objects.all()] == ["内部通知"]
    assert summary.failed == 1 and "导入文件夹之外" in source.attempts.get().error
    (allowed / "folder").symlink_to(tmp_path)
    source.location = str(allowed / "folder")
    Source.objects.filter(pk=source.pk).update(location=source.location)
    assert actions.poll_source(source).sources_failed == 1
    assert not Item.objects.filter(title="机密").exists()


def test_the_desk_s_own_attribution_line_raises_no_external_link_finding(account, editor):
    from wxops.compliance import actions as compliance

    editor = make_editor(editor)
    actions.ingest(account, [Document(
        title="新公司法解读", url="https://news.example.com/law/2026/1127.html", source_name="法治日报",
        text="新公司法规定，有限责任公司全体股东认缴的出资额应当自公司成立之日起五年内缴足，存量公司设有过渡期。")])
    article = actions.turn_into_article(Story.objects.get(), editor)
    report = compliance.check_document(article, images=False)
    assert [f for _field, f, _d in report.findings() if f.clause == "2.2"] == []
    assert article.source_url == "https://news.example.com/law/2026/1127.html"
    assert "来源：法治日报" in article.body and "href" not in article.body
