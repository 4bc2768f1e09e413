"""Bulk checks (``--jsonl``), encodings that must not pass silently, a BOM, the start without Django."""

import io
import json
import subprocess
import sys

import pytest

from wxops.compliance import check_cli
from wxops.compliance.file_text import InputError, decode_text, reads_as_chinese


def bulk(lines: list[str], tmp_path) -> tuple[int, list[dict]]:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    out = io.StringIO()
    code = check_cli.run({"jsonl": str(source)}, None, out, io.StringIO())
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_bulk_gives_one_result_a_line_in_order_and_exit_1_when_any_is_flagged(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>关注后<b>集赞</b>送礼</p>", encoding="utf-8")
    code, results = bulk([json.dumps({"id": 7, "text": "本周天气晴好，适合出游。"}, ensure_ascii=False),
                          json.dumps({"id": "b", "text": "年化收益保证百分之十二，包赚不赔"}, ensure_ascii=False),
                          json.dumps({"id": "c", "path": str(page)})], tmp_path)
    assert code == 1
    assert [(r["id"], r["verdict"]) for r in results] == [(7, "pass"), ("b", "block"), ("c", "block")]
    assert results[0]["findings"] == []
    html = results[2]
    assert html["text"] == "关注后集赞送礼"
    assert [html["text"][f["start"]:f["end"]] for f in html["findings"]] == [f["text"] for f in html["findings"]]


def test_bulk_names_a_bad_line_checks_the_rest_and_exits_2(tmp_path):
    code, results = bulk(["{not json", json.dumps({"id": 2, "text": "一切正常"}, ensure_ascii=False),
                          json.dumps({"id": 3}), json.dumps({"id": 4, "path": str(tmp_path / "gone.txt")})], tmp_path)
    assert code == 2
    assert results[0] == {"id": None, "error": "line 1: not JSON (Expecting property name enclosed in double quotes "
                                               "at column 2)"}
    assert results[1] == {"id": 2, "verdict": "pass", "findings": []}
    assert results[2] == {"id": 3, "error": 'line 3: give exactly one of "text" or "path", as a string'}
    assert results[3]["error"].endswith("gone.txt: no such file")


def test_bulk_reads_standard_input_from_the_real_command_line():
    lines = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n"
                    for i, t in enumerate(["今天开会", "私信加V领取内部名额"]))
    done = subprocess.run([sys.executable, "-m", "wxops.cli", "compliance", "check", "--jsonl", "-"], input=lines,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert [json.loads(line)["verdict"] for line in done.stdout.splitlines()] == ["pass", "review"]
    assert done.stderr == ""  # no progress line when standard error is not a terminal


@pytest.mark.parametrize("text", ["保本保息", "包赚不赔", "高额返利", "内部消息"])
def test_short_gbk_is_read_as_chinese_not_as_korean_or_thai(text):
    data = text.encode("gbk")
    decoded = decode_text(data, "x.txt")
    assert (decoded.text, decoded.guessed) == (text, False)


def test_a_guessed_encoding_is_a_review_finding_never_a_silent_pass(tmp_path):
    path = tmp_path / "ko.txt"
    path.write_bytes("안녕하세요 여러분, 오늘 회의는 세 시에 시작합니다.".encode("euc-kr"))
    out = io.StringIO()
    code = check_cli.run({"file": str(path), "format": "json"}, None, out, io.StringIO())
    assert code == 1
    assert [(f["rule"], f["severity"]) for f in json.loads(out.getvalue())["findings"]] == [("input.encoding", "review")]


def test_reads_as_chinese_tells_common_text_from_misread_bytes():
    assert reads_as_chinese("这个理财产品稳赚不赔。")
    assert not reads_as_chinese("오늘 회의는 세 시에 시작합니다".encode("euc-kr").decode("gb18030"))
    assert not reads_as_chinese("สวัสดีครับ ยินดีต้อนรับ".encode("cp874").decode("gb18030", errors="replace"))
    assert not reads_as_chinese("今日はいい天気ですね".encode("euc-jp").decode("gb18030"))
    with pytest.raises(InputError, match="NUL bytes"):
        decode_text(b"\x00\x01abc", "a.bin")


def test_a_utf8_bom_is_not_counted_in_offsets(tmp_path):
    plain, marked = tmp_path / "plain.txt", tmp_path / "marked.txt"
    plain.write_text("首行\n承诺保本保息", encoding="utf-8")
    marked.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    spans = []
    for path in (plain, marked):
        out = io.StringIO()
        check_cli.run({"file": str(path), "format": "json"}, None, out, io.StringIO())
        spans.append([(f["start"], f["end"], f["text"]) for f in json.loads(out.getvalue())["findings"]])
    assert spans[0] == spans[1] != []


def test_html_with_a_bom_returns_its_extracted_text_and_offsets_into_it(tmp_path):
    path = tmp_path / "a.html"
    path.write_bytes("\ufeff<div>客户须知</div><p>本金<i>绝对</i>安全，稳赚不赔</p>".encode())
    out = io.StringIO()
    check_cli.run({"file": str(path), "format": "json"}, None, out, io.StringIO())
    data = json.loads(out.getvalue())
    assert data["text"].startswith("客户须知")
    assert data["findings"] and all(data["text"][f["start"]:f["end"]] == f["text"] for f in data["findings"])


def test_version_and_help_answer_without_django():
    script = ("import sys; from wxops.cli import main; main(['wxops', '--version']); main(['wxops', 'help']); "
              "print('DJANGO', 'django.apps.registry' in sys.modules or 'wagtail.models' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.startswith("wxops 0.")
    assert "[compliance]\n    compliance" in done.stdout
    assert done.stdout.strip().endswith("DJANGO False")


@pytest.mark.django_db
def test_the_fast_help_lists_exactly_what_django_lists():
    from django.core.management import ManagementUtility

    from wxops.cli import main_help

    assert main_help() == ManagementUtility(["wxops"]).main_help_text().replace("\x1b[31m", "").replace("\x1b[0m", "")
