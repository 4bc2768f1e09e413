"""``wxops compliance``: check files against the content rules, import/export lexicons.

Examples::

    wxops compliance check article.html --format json --account 中恒财务
    wxops compliance import terms.csv --lexicon 竞品 --account 中恒财务
    wxops compliance export --lexicon "wxops default" > default.csv

``check`` exits 0 when nothing blocks or needs review, 1 when something does, 2 on a usage
or input error (missing file, unknown account, not text, unreadable image).
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from wxops.compliance import actions, check_cli
from wxops.compliance.file_text import InputError, decode_text, read_bytes
from wxops.compliance.models import Lexicon


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = ("Content rules (附件一): check a file or many (--jsonl), import/export lexicon terms. "
            "Example: wxops compliance check article.html --format json")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{check,import,export}")
        check_parser = sub.add_parser("check", help="Check a .txt, .md, .html or image file, or many texts as JSON "
                                                    "Lines. Example: wxops compliance check a.html --format json; "
                                                    "wxops compliance check --jsonl archive.jsonl")
        check_cli.add_arguments(check_parser)
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
        try:
            return Path(path_text), read_bytes(Path(path_text), path_text)
        except InputError as error:
            raise usage_error(str(error)) from None

    def handle_check(self, options):
        """With ``--account`` that account's lexicons (from the database), else the built-in rule set."""
        account = self.account(options["account"])
        lexicon = actions.effective_lexicon(account) if account is not None else None
        try:
            code = check_cli.run(options, lexicon, self.stdout, self.stderr)
        except InputError as error:
            raise usage_error(str(error)) from None
        if code:
            sys.exit(code)

    def handle_import(self, options):
        account = self.account(options["account"])
        path, data = self.read(options["file"])
        try:
            text = decode_text(data, path.name).text
        except InputError as error:
            raise usage_error(str(error)) from None
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
