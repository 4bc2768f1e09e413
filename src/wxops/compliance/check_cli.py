"""``wxops compliance check``: check files, or a JSON Lines archive in bulk, from the command line.

Runs without booting Django (``wxops.cli`` dispatches here) unless ``--account`` asks for
an account's lexicons from the database; then the management command calls :func:`run`
with that lexicon. Without ``--account`` the project's built-in rule set applies.

    wxops compliance check article.html --format json
    wxops compliance check --jsonl archive.jsonl > results.jsonl
    cat feed.jsonl | wxops compliance check --jsonl -

Exit status: 0 nothing blocks or needs review, 1 something does, 2 a usage or input
error (one line says what to fix; in bulk, the bad line gets ``{"id", "error"}`` and the
others are still checked).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from wxops.compliance.file_text import FileReport, InputError, check_file, text_report

__all__ = ["InputError", "add_arguments", "main", "needs_django", "run"]

EXAMPLES = """\
Examples:
  wxops compliance check article.html --format json
  wxops compliance check a.txt --account 中恒财务
  wxops compliance check --jsonl archive.jsonl > results.jsonl   (lines {"id", "text"} or {"id", "path"})
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``check``, shared by this module and the management command."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="the file to check (.txt, .md, .html, .png, .jpg …)")
    source.add_argument("--jsonl", metavar="FILE", help='check many texts: one JSON object a line, {"id", "text"} '
                                                        'or {"id", "path"}; "-" reads standard input')
    parser.add_argument("--format", choices=["text", "json"], default="text", help="output of a single file")
    parser.add_argument("--account", help="check with this account's lexicons too (its name; needs the database)")


def needs_django(argv: list[str]) -> bool:
    """Whether these ``check`` arguments need the database (an account's lexicons)."""
    return any(arg == "--account" or arg.startswith("--account=") for arg in argv)


def main(argv: list[str]) -> int:
    """``wxops compliance check ARGS`` without Django; returns the exit status."""
    parser = argparse.ArgumentParser(prog="wxops compliance check", epilog=EXAMPLES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description="Check texts against the content rules (附件一).")
    add_arguments(parser)
    options = parser.parse_args(argv)
    try:
        return run(vars(options), None, sys.stdout, sys.stderr)
    except InputError as error:
        print(f"wxops compliance check: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def run(options: dict, lexicon, out: TextIO, err: TextIO) -> int:
    """Check ``options["file"]`` or every line of ``options["jsonl"]`` with ``lexicon`` (None: built-in).

    Returns 0 or 1 (flagged), 2 when a bulk line could not be checked; a single file that
    cannot be checked raises :class:`InputError`.
    """
    from wxops.compliance.engine import check

    def checker(text: str):
        return check(text, lexicon)

    if options.get("jsonl"):
        return run_jsonl(options["jsonl"], checker, lexicon, out, err)
    result = check_file(Path(options["file"]), checker, lexicon, label=options["file"])
    if options.get("format") == "json":
        out.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        write_human(result, out)
    return 0 if result.report.verdict.value == "pass" else 1


def write_human(result: FileReport, out: TextIO) -> None:
    report = result.report
    out.write(f"verdict: {report.verdict.value} ({len(report.findings)} findings)\n")
    for f in report.findings:
        line = report.text.count("\n", 0, f.start) + 1
        column = f.start - (report.text.rfind("\n", 0, f.start) + 1) + 1
        out.write(f"  {line}:{column} [{f.severity.value}] {f.clause} {f.rule} 「{f.text}」 {f.message}"
                  + (f" → {f.suggestion}" if f.suggestion else "") + "\n")


def _check_line(line: str, checker, lexicon) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"not JSON ({error.msg} at column {error.colno})") from None
    if not isinstance(item, dict):
        raise InputError('each line must be a JSON object like {"id": 1, "text": "…"}')
    text, path = item.get("text"), item.get("path")
    if (text is None) == (path is None) or not isinstance(text if text is not None else path, str):
        raise InputError('give exactly one of "text" or "path", as a string')
    if text is not None:
        from wxops.compliance.engine import TextTooLong

        try:
            result = text_report(text, checker)
        except TextTooLong as error:
            raise InputError(str(error)) from None
    else:
        result = check_file(Path(path), checker, lexicon, label=path)
    return {"id": item.get("id"), **result.as_dict()}


def run_jsonl(source: str, checker, lexicon, out: TextIO, err: TextIO) -> int:
    """One result a line out for one object a line in; a progress line on a terminal."""
    stream = sys.stdin if source == "-" else _open(source)
    show_progress = err.isatty()
    checked = flagged = failed = 0
    try:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                result = _check_line(line, checker, lexicon)
            except InputError as error:
                failed += 1
                result = {"id": _id_of(line), "error": f"line {number}: {error}"}
            else:
                flagged += result["verdict"] != "pass"
            checked += 1
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if show_progress and checked % 50 == 0:
                err.write(f"\r已检查 {checked} 条，{flagged} 条需处理，{failed} 条出错")
                err.flush()
    except UnicodeDecodeError:
        raise InputError(f"{source} is not UTF-8 text; save it as UTF-8 (JSON Lines are UTF-8)") from None
    finally:
        if stream is not sys.stdin:
            stream.close()
    if show_progress:
        err.write(f"\r已检查 {checked} 条，{flagged} 条需处理，{failed} 条出错\n")
    return 2 if failed else (1 if flagged else 0)


def _open(source: str):
    try:
        return open(source, encoding="utf-8-sig")  # noqa: SIM115 — closed by run_jsonl
    except OSError as error:
        raise InputError(f"{source}: cannot read it ({error.strerror})") from None


def _id_of(line: str):
    try:
        item = json.loads(line)
    except json.JSONDecodeError:
        return None
    return item.get("id") if isinstance(item, dict) else None
