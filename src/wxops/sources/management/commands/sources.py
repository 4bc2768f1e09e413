"""``wxops sources``: tools of the sources app (``classify``)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wxops.sources.charsets import decode
from wxops.sources.classifier import Classifier
from wxops.sources.extraction import NotAnArticle, extract_page


class Command(BaseCommand):
    help = (
        "Source tools. `classify FILE` prints the category of a text or HTML file with its confidence.\n"
        "Examples:\n"
        "  wxops sources classify article.html\n"
        "  wxops sources classify note.txt --format json\n"
        "  wxops sources classify note.txt --account 融智测试号   # that account's retrained classifier"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        classify = sub.add_parser("classify", help="Classify a .txt/.md or .html file.")
        classify.add_argument("file")
        classify.add_argument("--format", choices=["text", "json"], default="text")
        classify.add_argument("--account", help="Use this account's retrained classifier instead of the seed one.")

    def handle(self, *args, subcommand=None, file=None, format="text", account=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file.")
        data = path.read_bytes()
        if path.suffix.lower() in {".html", ".htm"} or data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
            try:
                document = extract_page(data)
                text = f"{document.title}\n{document.text}"
            except NotAnArticle as error:
                raise CommandError(f"{file}: {error}") from error
        else:
            text = decode(data).text
        if not text.strip():
            raise CommandError(f"{file} is empty.")
        classifier = self._classifier(account)
        result = classifier.classify(text[:3000])
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        self.stdout.write(f"{result.category}  ({result.confidence:.0%})")
        for name, score in sorted(result.scores.items(), key=lambda item: -item[1]):
            self.stdout.write(f"  {name:<14} {score:.3f}")

    def _classifier(self, account_name: str | None) -> Classifier:
        if not account_name:
            return Classifier.from_seed()
        from wxops.accounts.models import Account
        from wxops.sources.ingestion import classifier_for

        account = Account.objects.filter(name=account_name).first()
        if account is None:
            raise CommandError(f"No account named {account_name!r}.")
        return classifier_for(account)
