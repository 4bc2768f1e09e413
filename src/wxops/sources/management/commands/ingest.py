"""``wxops ingest``: fetch sources, a URL, or import local files now."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from tqdm import tqdm

from wxops.accounts.models import Account
from wxops.sources import actions
from wxops.sources.ingestion import Summary
from wxops.sources.models import Source, SourceStatus
from wxops.sources.reading import READERS


class Command(BaseCommand):
    help = (
        "Ingest candidates now (二 信息来源): every active source, one source, a URL, or a local file or folder.\n"
        "Examples:\n"
        "  wxops ingest                          # poll every active source\n"
        "  wxops ingest --source 国家税务总局    # poll one source by name\n"
        "  wxops ingest https://example.com/rss  # fetch a feed or a page once\n"
        "  wxops ingest ./imports/               # import .xml .html .txt .md .csv files\n"
        "Exit status: 0 when everything asked for was read (bad rows are reported, not fatal); 1 when a "
        "source, the URL or the path could not be read at all, or nothing could be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="A URL or a local file/folder path.")
        parser.add_argument("--source", help="Name of a configured source to poll now.")
        parser.add_argument("--account", help="Account name (needed when there are several).")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar.")

    def handle(self, *args, target=None, source=None, account=None, no_progress=False, **options):
        if target and source:
            raise CommandError("Give either --source NAME or a PATH/URL, not both.")
        bar = tqdm(unit="item", disable=no_progress, file=self.stderr._out, leave=False)
        progress = bar.update
        total = Summary()
        try:
            if source:
                found = Source.objects.filter(name=source).select_related("account").first()
                if found is None:
                    names = ", ".join(Source.objects.values_list("name", flat=True)[:20]) or "none yet"
                    raise CommandError(f"No source named {source!r}. Sources: {names}")
                total.add(self._poll(found, progress))
            elif target:
                chosen = self._account(account)
                if target.lower().startswith(("http://", "https://")):
                    total.add(actions.ingest_url(chosen, target))
                else:
                    path = Path(target).expanduser()
                    if not path.exists():
                        raise CommandError(f"{target} is neither a URL nor an existing file or folder.")
                    # The operator's own command: any path they can read, not only the import folders.
                    total.add(actions.ingest_path(chosen, path, progress=progress))
            else:
                sources = Source.objects.filter(status=SourceStatus.ACTIVE, kind__in=list(READERS)).select_related(
                    "account")
                if account:
                    sources = sources.filter(account=self._account(account))
                if not sources.exists():
                    raise CommandError("No active sources. Add one in the admin (信息来源) or give a PATH or URL.")
                for each in sources:
                    total.add(self._poll(each, progress))
        finally:
            bar.close()
        for problem in total.problems[:50]:
            self.stderr.write(f"  ✗ {problem.where}: {problem.translated(gettext)}")
        if len(total.problems) > 50:
            self.stderr.write(f"  … and {len(total.problems) - 50} more problems")
        for warning in total.warnings[:20]:
            self.stderr.write(f"  ! {warning.where}: {warning.translated(gettext)}")
        self.stdout.write(f"new {total.new + total.near_duplicate} (of which near-duplicates of a known story "
                          f"{total.near_duplicate}), duplicate {total.duplicate}, failed {total.failed}")
        if total.sources_failed or total.everything_failed:
            raise CommandError(f"{total.sources_failed} source(s) could not be read" if total.sources_failed
                               else "nothing could be read", returncode=1)

    def _poll(self, source: Source, progress) -> Summary:
        if source.status == SourceStatus.PAUSED:
            self.stderr.write(f"  (polling paused source {source.name}: {source.paused_reason})")
        return actions.poll_source(source, progress=progress)

    def _account(self, name: str | None) -> Account:
        if name:
            found = Account.objects.filter(name=name).first()
            if found is None:
                raise CommandError(f"No account named {name!r}.")
            return found
        accounts = list(Account.objects.all()[:2])
        if not accounts:
            raise CommandError("No account yet: create one in the admin first (公众号 accounts).")
        if len(accounts) > 1:
            raise CommandError("Several accounts exist: say which with --account NAME.")
        return accounts[0]
