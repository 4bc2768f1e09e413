"""The sync ledger: one row per account, part of the statistics and day — the truth of what is synced.

The periodic sync reads these rows to know what to fetch: a day without a ``done`` row
(never fetched, failed, or still provisional) is fetched again on the next run. Only
:func:`wxops.analytics.datacube_sync.mark` writes ``status``, along :data:`SYNC_TRANSITIONS`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncPart(models.TextChoices):
    """What one datacube fetch covers for a day."""

    FOLLOWERS = "followers", _("Followers gained, lost and in total")
    READING = "reading", _("Reads and shares of the account")
    ARTICLES = "articles", _("Reads and shares per article")
    TOTALS = "totals", _("Totals of the articles sent that day")


class SyncStatus(models.TextChoices):
    PENDING = "pending", _("Not fetched yet")
    PROVISIONAL = "provisional", _("Fetched, may still grow")
    FAILED = "failed", _("Failed, retried on the next sync")
    DONE = "done", _("Done")


S = SyncStatus
#: status → the statuses it may move to. A forced re-sync (``--force``) fetches a done day again.
SYNC_TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.PROVISIONAL, S.FAILED, S.DONE}),
    S.PROVISIONAL: frozenset({S.PROVISIONAL, S.FAILED, S.DONE}),
    S.FAILED: frozenset({S.PROVISIONAL, S.FAILED, S.DONE}),
    S.DONE: frozenset({S.DONE, S.PROVISIONAL}),
}
del S


class SyncedDay(models.Model):
    """Whether ``part`` of ``day``'s statistics of ``account`` is stored, and why not when it is not."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("official account"))
    part = models.CharField(_("part"), max_length=12, choices=SyncPart.choices)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=12, choices=SyncStatus.choices, default=SyncStatus.PENDING,
                              editable=False)
    api = models.CharField(_("WeChat API"), max_length=40, blank=True,
                           help_text=_("The datacube endpoint the figures came from."))
    attempts = models.PositiveIntegerField(_("attempts"), default=0, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    synced_at = models.DateTimeField(_("synced"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("synced day")
        verbose_name_plural = _("synced days")
        ordering = ["-day", "part"]
        constraints = [models.UniqueConstraint(fields=["account", "part", "day"], name="synced_day_once")]
        indexes = [models.Index(fields=["account", "status", "day"], name="synced_day_status")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_part_display()}: {self.get_status_display()}"
