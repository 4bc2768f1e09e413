"""``wxops sources``: tools of the sources app (``classify``)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wxops.sources.candidates import ExplainedError
from wxops.sources.classifier import Classifier
from wxops.sources.classify_cli import classify_text, render


class Command(BaseCommand):
    help = (
        "Source tools. `classify FILE` prints the category of a text or HTML file with its confidence "
        "(the seed model is fitted once and cached; without --account no database is needed).\n"
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
        try:
            text = classify_text(path)
        except ExplainedError as error:  # not an article, or no charset reads it
            raise CommandError(f"{file}: {error}") from error
        if not text.strip():
            raise CommandError(f"{file} is empty.")
        self.stdout.write(render(self._classifier(account).classify(text[:3000]), format))

    def _classifier(self, account_name: str | None) -> Classifier:
        if not account_name:
            return Classifier.seed()
        from wxops.accounts.models import Account
        from wxops.sources.ingestion import classifier_for

        account = Account.objects.filter(name=account_name).first()
        if account is None:
            raise CommandError(f"No account named {account_name!r}.")
        return classifier_for(account)
