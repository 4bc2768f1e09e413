"""The ``wxops ingest`` and ``wxops sources classify`` commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from wxops.sources.models import Item, Source, SourceKind
from wxops.sources.tests.conftest import FIXTURES, fixture_bytes


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, "--no-progress", stdout=out, stderr=err) if args[0] == "ingest" else \
        call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_ingest_path_prints_summary_and_problems(account):
    out, err = run("ingest", str(FIXTURES / "articles_bad_rows.csv"))
    assert out.strip() == "new 2 (of which near-duplicates of a known story 0), duplicate 0, failed 3"
    assert "articles_bad_rows.csv:3: 标题或正文为空" in err
    assert Item.objects.count() == 2


@pytest.mark.django_db
def test_ingest_source_by_name_and_url(account, server):
    server.route("/feed.xml", body=fixture_bytes("feed_big5.xml"))
    Source.objects.create(account=account, name="台湾会计", kind=SourceKind.FEED, location=server.url("/feed.xml"))
    out, _ = run("ingest", "--source", "台湾会计")
    assert out.startswith("new 1 ")
    out, _ = run("ingest", server.url("/feed.xml"))
    assert "duplicate 1" in out


@pytest.mark.django_db
def test_ingest_exits_non_zero_when_a_source_could_not_be_read(account, server):
    Source.objects.create(account=account, name="坏源", kind=SourceKind.FEED, location=server.url("/gone.xml"))
    with pytest.raises(CommandError, match="1 source") as caught:
        run("ingest")
    assert caught.value.returncode == 1
    with pytest.raises(CommandError) as caught:
        run("ingest", server.url("/gone.xml"))
    assert caught.value.returncode == 1
    server.route("/ok.xml", body=fixture_bytes("feed_big5.xml"))
    out, _ = run("ingest", server.url("/ok.xml"))  # success: no exception, exit status 0
    assert out.startswith("new 1 ")


@pytest.mark.django_db
def test_ingest_of_every_source_leaves_the_staff_submissions_source_alone(account, server):
    submissions = Source.objects.create(account=account, name="员工投稿", kind=SourceKind.SUBMISSION)
    server.route("/ok.xml", body=fixture_bytes("feed_big5.xml"))
    Source.objects.create(account=account, name="好源", kind=SourceKind.FEED, location=server.url("/ok.xml"))
    out, _ = run("ingest")
    assert out.startswith("new 1 ")
    submissions.refresh_from_db()
    assert submissions.consecutive_failures == 0 and not submissions.attempts.exists()


@pytest.mark.django_db
def test_ingest_refuses_unknown_source_and_missing_path(account):
    with pytest.raises(CommandError, match="No source named 'x'"):
        run("ingest", "--source", "x")
    with pytest.raises(CommandError, match="neither a URL nor an existing file"):
        run("ingest", "/no/such/place")
    assert Item.objects.count() == 0


def test_classify_prints_json(tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("员工试用期考核不合格能否解除劳动合同？人事部门需要保留考核记录。", encoding="utf-8")
    out, _ = run("sources", "classify", str(note), "--format", "json")
    result = json.loads(out)
    assert result["category"] == "人力资源管理"
    assert set(result) == {"category", "confidence", "scores"}
    assert 0 <= result["confidence"] <= 1 and len(result["scores"]) == 5


def test_classify_refuses_a_non_article_page():
    with pytest.raises(CommandError, match="No article text"):
        run("sources", "classify", str(FIXTURES / "homepage.html"))


def test_classify_runs_without_django_from_the_cached_model_and_answers_like_scikit_learn(tmp_path, monkeypatch):
    import subprocess
    import sys

    from wxops.sources.classifier import Classifier
    from wxops.sources.compact_classifier import CompactClassifier

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fitted = Classifier.seed()
    compact = CompactClassifier.seed()
    texts = ["员工试用期考核不合格能否解除劳动合同？", "增值税留抵退税政策延续", "Apple 发布 新款 手机", "融智 财税管家"]
    for text in texts:
        expected = fitted.classify(text)
        got = compact.classify(text)
        assert got.category == expected.category
        assert got.scores == pytest.approx(expected.scores, abs=1e-9)

    def refuse_training(*args, **kwargs):
        raise AssertionError("the cached model must be loaded, not trained again")

    monkeypatch.setattr(Classifier, "train", refuse_training)
    assert CompactClassifier.seed().classify(texts[0]).category == "人力资源管理"
    note = tmp_path / "note.txt"
    note.write_text(texts[0], encoding="utf-8")
    code = ("import sys; from wxops.cli import main; status = main(['wxops', 'sources', 'classify', sys.argv[1], "
            "'--format', 'json']); assert 'django.apps' not in sys.modules or not __import__('django.apps').apps.ready;"
            " assert 'sklearn' not in sys.modules, 'scikit-learn imported'; sys.exit(status)")
    done = subprocess.run([sys.executable, "-c", code, str(note)], capture_output=True, text=True,
                          env={**__import__("os").environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["category"] == "人力资源管理"
