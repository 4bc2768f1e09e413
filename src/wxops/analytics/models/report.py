"""The fortnightly report (运营情况分析): every one kept, with its files and its headline figures."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("Every two weeks")
    ON_DEMAND = "on_demand", _("On demand")


def report_path(report: "Report", filename: str) -> str:
    return f"analytics/reports/{report.account_id}/{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}/{filename}"


class Report(models.Model):
    """One analysis of one account over ``period_start``..``period_end`` (inclusive, account days)."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("official account"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    trigger = models.CharField(_("made"), max_length=12, choices=ReportTrigger.choices,
                               default=ReportTrigger.ON_DEMAND)
    title = models.CharField(_("title"), max_length=128)
    xlsx = models.FileField(_("tables (XLSX)"), upload_to=report_path, max_length=255, blank=True)
    pdf = models.FileField(_("report (PDF)"), upload_to=report_path, max_length=255, blank=True)
    docx = models.FileField(_("report (DOCX)"), upload_to=report_path, max_length=255, blank=True)
    headline = models.JSONField(_("headline figures"), default=dict, blank=True)
    gaps = models.JSONField(_("gaps in the data"), default=list, blank=True,
                            help_text=_("What was missing when the report was made, in words."))
    emailed_to = models.TextField(_("emailed to"), blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fortnightly report")
        verbose_name_plural = _("fortnightly reports")
        ordering = ["-period_end", "-created_at"]
        indexes = [models.Index(fields=["account", "period_end"], name="report_period")]
        constraints = [models.UniqueConstraint(fields=["account", "period_start", "period_end"],
                                               condition=models.Q(trigger="schedule"), name="report_scheduled_once")]

    def __str__(self) -> str:
        return self.title
