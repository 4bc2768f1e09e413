"""What the fortnightly analysis (九) tells the calendar, as data the planner reads.

``analytics`` writes these rows (the one door for data that travels "up" the layers);
``editorial``'s planner only reads them. An account without rows gets a plain rotation.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Recommendation(models.Model):
    """A category's weight for one account over one period, with the reason in words.

    ``weight`` is relative: the planner compares the weights of the rows whose period
    covers a slot (1.0 = as usual, 2.0 = twice as often, 0 = not at all).

    ``alpha`` and ``beta`` (set by analytics, empty on an editor's row) are the Beta
    posterior of the category's read rate; the planner draws from it for each slot
    (Thompson sampling), so a category with little evidence is still tried.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="recommendations",
                                verbose_name=_("official account"))
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"), help_text=_("The last day the weight applies (inclusive)."))
    category = models.ForeignKey("accounts.Category", on_delete=models.CASCADE, related_name="recommendations",
                                 verbose_name=_("category"))
    weight = models.FloatField(_("weight"), default=1.0)
    alpha = models.FloatField(_("evidence of reading (α)"), null=True, blank=True,
                              help_text=_("Beta posterior of the read rate: readers, in articles' worth."))
    beta = models.FloatField(_("evidence of not reading (β)"), null=True, blank=True,
                             help_text=_("Beta posterior of the read rate: non-readers, in articles' worth."))
    reason = models.TextField(_("reason"), blank=True, help_text=_("Why, in words an editor understands."))
    source = models.CharField(_("written by"), max_length=32, default="analytics",
                              help_text=_("What wrote the row, e.g. analytics or an editor's name."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-period_start", "account", "-weight"]
        indexes = [models.Index(fields=["account", "period_start", "period_end"], name="recommendation_period")]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="recommendation_period_ordered"),
            models.CheckConstraint(condition=models.Q(weight__gte=0), name="recommendation_weight_not_negative"),
            models.CheckConstraint(condition=(models.Q(alpha__isnull=True, beta__isnull=True)
                                              | models.Q(alpha__gt=0, beta__gt=0)),
                                   name="recommendation_posterior_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.category} ×{self.weight:g} ({self.period_start}–{self.period_end})"
