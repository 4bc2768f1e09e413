"""``wxops compliance check``: exit 0 pass, 1 block/review, 2 usage or input error; never a traceback."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    try:
        call_command("compliance", *args, stdout=out)
    except SystemExit as stop:
        return stop.code, out.getvalue()
    except CommandError as error:
        return error.returncode, str(error)
    return 0, out.getvalue()


def test_pass_exits_0(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_text("第一季度营收增长，最近市场平稳。", encoding="utf-8")
    assert run("check", str(path), "--format", "json") == (0, json.dumps({"verdict": "pass", "findings": []},
                                                                        ensure_ascii=False, indent=2) + "\n")


def test_block_exits_1_with_the_json_of_the_issue(tmp_path):
    path = tmp_path / "bad.md"
    path.write_text("# 标题\n本基金稳赚不赔", encoding="utf-8")
    code, out = run("check", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["verdict"] == "block"
    assert list(data["findings"][0]) == ["rule", "clause", "severity", "start", "end", "text", "message", "suggestion"]
    assert (data["findings"][0]["start"], data["findings"][0]["end"]) == (8, 12)


def test_html_is_checked_on_its_extracted_text(tmp_path):
    path = tmp_path / "a.html"
    path.write_text('<html><body><p>请<a href="http://spam.example.top">点这里</a></p><img alt="集赞"><div>未闭合',
                    encoding="utf-8")
    code, out = run("check", str(path), "--format", "json")
    texts = [f["text"] for f in json.loads(out)["findings"]]
    assert code == 1
    assert texts == ["http://spam.example.top", "集赞"]


def test_gbk_text_is_decoded(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("这个理财产品稳赚不赔，欢迎大家咨询我们的客服人员。".encode("gbk"))
    assert run("check", str(path))[0] == 1


def test_review_exits_1_in_human_format(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("第一行\n有意者加微信", encoding="utf-8")
    code, out = run("check", str(path))
    assert code == 1
    assert out.splitlines() == ["verdict: review (1 findings)",
                                "  2:4 [review] 2.2 contact_lure 「加微信」 引导添加联系方式（骚扰、垃圾广告）：「加微信」"
                                "（附件一 2.2 骚扰、垃圾广告、诱导分享） → 删除私下联系方式的引导"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "no such file"),
        ("garbage.txt", bytes(range(256)) * 10, "not a text file"),
        ("a.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
        ("broken.png", b"\x89PNG\r\n\x1a\nnot really", "not a readable image"),
        ("empty.png", b"", "the image file is empty"),
    ],
)
def test_input_errors_exit_2_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, text = run("check", str(path))
    assert code == 2
    assert message in text


def test_unknown_account_exits_2(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("你好", encoding="utf-8")
    assert run("check", str(path), "--account", "无此号") == (2, "there is no account named '无此号'; see the accounts in the admin")


def test_empty_file_passes(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert run("check", str(path))[0] == 0


def test_a_10_mb_paste_is_checked(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text(("今天市场平稳，投资者情绪稳定。" * 240_000) + "稳赚不赔", encoding="utf-8")
    assert path.stat().st_size > 10 * 1024 * 1024
    code, out = run("check", str(path), "--format", "json")
    assert code == 1
    assert [f["text"] for f in json.loads(out)["findings"]] == ["稳赚不赔"]


def test_usage_error_from_the_real_command_line_exits_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "wxops.cli", "compliance", "check"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert "one of the arguments file --jsonl is required" in done.stderr
    assert "Traceback" not in done.stderr


def test_import_and_export_commands(tmp_path, account):
    path = tmp_path / "terms.csv"
    path.write_text("term,clause,severity,family\n友商A,3,block,company\n", encoding="utf-8")
    assert run("import", str(path), "--lexicon", "竞品", "--account", account.name)[0] == 0
    assert run("export", "--lexicon", "竞品", "--account", account.name) == (
        0, "term,clause,severity,family,pinyin,suggestion\n友商A,3,block,company,0,\n")


def test_the_real_command_line_checks_without_booting_django_or_a_database(tmp_path):
    """Without --account the built-in rules check, and neither Django nor the database is touched."""
    path = tmp_path / "a.txt"
    path.write_text("本基金稳赚不赔", encoding="utf-8")
    script = ("import json, sys; from wxops.cli import main; code = main(['wxops', 'compliance', 'check', sys.argv[1], "
              "'--format', 'json']); print('DJANGO', sorted(m for m in sys.modules if m.split('.')[0] in "
              "('django', 'wagtail'))); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout.rsplit("DJANGO", 1)[0])["findings"][0]["text"] == "稳赚不赔"
    assert done.stdout.rsplit("DJANGO", 1)[1].strip() == "[]"
    assert done.stderr == ""


def test_account_lexicons_apply_with_account(tmp_path, account):
    from wxops.compliance.models import Lexicon, Term

    Term.objects.create(lexicon=Lexicon.objects.create(name="竞品", account=account), term="友商财务",
                        clause="3", severity="block", family="company")
    path = tmp_path / "a.txt"
    path.write_text("推荐友商财务", encoding="utf-8")
    assert run("check", str(path))[0] == 0
    code, out = run("check", str(path), "--account", account.name, "--format", "json")
    assert (code, json.loads(out)["findings"][0]["clause"]) == (1, "3")
