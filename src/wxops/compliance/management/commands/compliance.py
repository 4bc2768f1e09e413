"""``wxops compliance``: check files against the content rules, import/export lexicons, API tokens.

Examples::

    wxops compliance check article.html --format json --account 中恒财务
    wxops compliance import terms.csv --lexicon 竞品 --account 中恒财务
    wxops compliance export --lexicon "wxops default" > default.csv
    wxops compliance token crm-system

``check`` exits 0 when nothing blocks or needs review, 1 when something does, 2 on a usage
or input error (missing file, unknown account, not text, unreadable image).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wxops.compliance import actions
from wxops.compliance.engine import TextTooLong, check
from wxops.compliance.html_text import extract, looks_like_html
from wxops.compliance.models import Lexicon

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp"}
MAX_FILE = 40 * 1024 * 1024


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else the detected encoding (GBK …); refuse binary data."""
    if b"\x00" in data[:8192]:
        raise usage_error(f"{name} is not a text file (it contains NUL bytes); give a .txt, .md or .html file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise usage_error(f"{name} is not readable text in any known encoding; save it as UTF-8") from None
        text = str(best)
    controls = sum(1 for c in text[:100_000] if c < " " and c not in "\n\r\t\f")
    if text and controls / min(len(text), 100_000) > 0.01:
        raise usage_error(f"{name} looks like binary data, not text; give a .txt, .md or .html file")
    return text


class Command(BaseCommand):
    help = ("Content rules (附件一): check a file, import/export lexicon terms, create API tokens. "
            "Example: wxops compliance check article.html --format json")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,import,export,token}")
        check_parser = sub.add_parser("check", help="Check a .txt, .md, .html or image file. "
                                                    "Example: wxops compliance check a.html --format json")
        check_parser.add_argument("file", help="the file to check (.txt, .md, .html, .png, .jpg …)")
        check_parser.add_argument("--format", choices=["text", "json"], default="text")
        check_parser.add_argument("--account", help="check with this account's lexicons too (its name)")
        import_parser = sub.add_parser("import", help="Import terms (CSV term,clause,severity[,family,pinyin,"
                                                      "suggestion] or one per line). Example: wxops compliance "
                                                      "import terms.csv --lexicon 竞品 --account 中恒财务")
        import_parser.add_argument("file")
        import_parser.add_argument("--lexicon", required=True, help="lexicon name (created if missing)")
        import_parser.add_argument("--account", help="the lexicon's account; omit for a global lexicon")
        import_parser.add_argument("--clause", default="3", help="clause for one-per-line files (default 3)")
        import_parser.add_argument("--severity", default="review", choices=["block", "review", "advisory"])
        import_parser.add_argument("--family", default="custom")
        import_parser.add_argument("--replace", action="store_true", help="remove terms not in the file")
        export_parser = sub.add_parser("export", help="Export a lexicon. Example: wxops compliance export "
                                                      "--lexicon 'wxops default' > default.csv")
        export_parser.add_argument("--lexicon", required=True)
        export_parser.add_argument("--account")
        export_parser.add_argument("--lines", action="store_true", help="one term per line instead of CSV")
        token_parser = sub.add_parser("token", help="Create a token for the check API. Example: wxops "
                                                    "compliance token crm-system")
        token_parser.add_argument("name")
        token_parser.add_argument("--account", help="limit the token to this account")

    def handle(self, *args, **options):
        return getattr(self, f"handle_{options['action']}")(options)

    def account(self, name):
        if not name:
            return None
        from django.apps import apps

        account = apps.get_model("accounts", "Account").objects.filter(name=name).first()
        if account is None:
            raise usage_error(f"there is no account named {name!r}; see the accounts in the admin")
        return account

    def read(self, path_text: str) -> tuple[Path, bytes]:
        path = Path(path_text)
        if not path.is_file():
            raise usage_error(f"{path_text}: no such file")
        if path.stat().st_size > MAX_FILE:
            raise usage_error(f"{path_text} is larger than 40 MB; split it")
        try:
            return path, path.read_bytes()
        except OSError as error:
            raise usage_error(f"{path_text}: cannot read it ({error.strerror})") from None

    def handle_check(self, options):
        account = self.account(options["account"])
        path, data = self.read(options["file"])
        suffix = path.suffix.lower()
        try:
            if suffix in IMAGE_SUFFIXES:
                from wxops.compliance.article_check import ImageInput, image_report
                from wxops.compliance.images import read_image

                report = image_report(ImageInput(path.name, data), actions.effective_lexicon(account), (), read_image)
                if any(f.rule == "image.unreadable" for f in report.findings) and not report.text:
                    raise usage_error(f"{path.name}: {report.findings[-1].message}")
            elif suffix in TEXT_SUFFIXES | HTML_SUFFIXES:
                text = decode_text(data, path.name)
                if suffix in HTML_SUFFIXES or (suffix == ".md" and looks_like_html(text)):
                    text = extract(text).text
                report = check(text, actions.effective_lexicon(account))
            else:
                raise usage_error(f"{path.name}: unsupported file type {suffix or '(none)'}; give .txt, .md, "
                                  ".html or an image (.png, .jpg, .gif, .bmp, .webp)")
        except TextTooLong as error:
            raise usage_error(f"{path.name}: {error}") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.write_human(report)
        if report.verdict.value != "pass":
            sys.exit(1)

    def write_human(self, report):
        self.stdout.write(f"verdict: {report.verdict.value} ({len(report.findings)} findings)")
        for f in report.findings:
            line = report.text.count("\n", 0, f.start) + 1
            column = f.start - (report.text.rfind("\n", 0, f.start) + 1) + 1
            self.stdout.write(f"  {line}:{column} [{f.severity.value}] {f.clause} {f.rule} 「{f.text}」 {f.message}"
                              + (f" → {f.suggestion}" if f.suggestion else ""))

    def handle_import(self, options):
        account = self.account(options["account"])
        path, data = self.read(options["file"])
        text = decode_text(data, path.name)
        lexicon, _created = Lexicon.objects.get_or_create(name=options["lexicon"], account=account)
        try:
            count = actions.import_terms(None, lexicon, text, clause=options["clause"],
                                         severity=options["severity"], family=options["family"],
                                         replace=options["replace"])
        except ValidationError as error:
            raise usage_error(f"{path.name}: {'; '.join(error.messages)}") from None
        self.stdout.write(f"imported {count} terms into {lexicon} (version {lexicon.version})")

    def handle_export(self, options):
        account = self.account(options["account"])
        lexicon = Lexicon.objects.filter(name=options["lexicon"], account=account).first()
        if lexicon is None:
            raise usage_error(f"there is no lexicon named {options['lexicon']!r} for "
                              f"{account or 'all accounts (global)'}")
        self.stdout.write(actions.export_terms(lexicon, as_csv=not options["lines"]), ending="")

    def handle_token(self, options):
        account = self.account(options["account"])
        from wxops.compliance.models import ApiToken

        if ApiToken.objects.filter(name=options["name"]).exists():
            raise usage_error(f"a token named {options['name']!r} exists already; choose another name")
        _token, key = actions.create_api_token(options["name"], account)
        self.stdout.write(f"token for {options['name']} (shown once, keep it secret):\n{key}")
