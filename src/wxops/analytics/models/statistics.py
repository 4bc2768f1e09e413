"""WeChat's statistics as stored by the sync: one row per account and day (and article).

Every row is written by an upsert keyed by its unique constraint, so fetching a day again
replaces its figures instead of adding to them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowerDay(models.Model):
    """getusersummary + getusercumulate: followers gained and lost on ``day``, and the total at its end."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("official account"))
    day = models.DateField(_("day"))
    new_user = models.PositiveIntegerField(_("new followers"), default=0)
    cancel_user = models.PositiveIntegerField(_("unfollowed"), default=0)
    cumulate_user = models.PositiveIntegerField(_("followers in total"), null=True, blank=True)
    by_source = models.JSONField(_("new followers by source"), default=dict, blank=True,
                                 help_text=_("WeChat's user_source code → new followers."))

    class Meta:
        verbose_name = _("followers per day")
        verbose_name_plural = _("followers per day")
        ordering = ["account", "day"]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="follower_day_once")]

    def __str__(self) -> str:
        return f"{self.day} +{self.new_user} −{self.cancel_user}"


class ReadingDay(models.Model):
    """getbizsummary (or getuserread before 2025): the account's reads and shares on ``day``."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("official account"))
    day = models.DateField(_("day"))
    read_user = models.PositiveIntegerField(_("readers"), default=0)
    share_user = models.PositiveIntegerField(_("sharers"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    provisional = models.BooleanField(_("provisional"), default=False,
                                      help_text=_("WeChat marked the day's figures as not final (is_delay)."))

    class Meta:
        verbose_name = _("reading per day")
        verbose_name_plural = _("reading per day")
        ordering = ["account", "day"]
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="reading_day_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.read_user}"


class ArticleFigures(models.Model):
    """The figures WeChat gives per article."""

    read_user = models.PositiveIntegerField(_("readers"), default=0)
    read_count = models.PositiveIntegerField(_("reads"), default=0)
    share_user = models.PositiveIntegerField(_("sharers"), default=0)
    share_count = models.PositiveIntegerField(_("shares"), default=0)
    favorite_user = models.PositiveIntegerField(_("favourites"), default=0)

    class Meta:
        abstract = True


class ArticleDay(ArticleFigures):
    """getarticleread (or getarticlesummary): one sent article's figures on ``day``.

    ``msgid`` is WeChat's ``<msg_data_id>_<index from 1>``.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("official account"))
    day = models.DateField(_("day"))
    msgid = models.CharField(_("WeChat article id"), max_length=40)
    msg_data_id = models.BigIntegerField(_("msg_data_id"), null=True, blank=True, db_index=True)
    index = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("0 = the headline."))
    title = models.CharField(_("title"), max_length=128, blank=True)

    class Meta:
        verbose_name = _("article per day")
        verbose_name_plural = _("articles per day")
        ordering = ["account", "day", "msgid"]
        constraints = [models.UniqueConstraint(fields=["account", "day", "msgid"], name="article_day_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.title or self.msgid}"


class ArticleTotal(ArticleFigures):
    """getarticletotaldetail (or getarticletotal): an article's cumulative figures since it was sent.

    ``target_user`` is how many followers it was sent to (the read rate's denominator);
    ``stat_date`` the last day the totals cover.
    """

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("official account"))
    msgid = models.CharField(_("WeChat article id"), max_length=40)
    msg_data_id = models.BigIntegerField(_("msg_data_id"), null=True, blank=True, db_index=True)
    index = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("0 = the headline."))
    title = models.CharField(_("title"), max_length=128, blank=True)
    sent_on = models.DateField(_("sent on"))
    notified = models.BooleanField(_("sent to followers"), default=True,
                                   help_text=_("False: published without notifying (publish_type 1)."))
    target_user = models.PositiveIntegerField(_("sent to"), default=0)
    stat_date = models.DateField(_("figures until"))

    class Meta:
        verbose_name = _("article total")
        verbose_name_plural = _("article totals")
        ordering = ["account", "-sent_on", "msgid"]
        constraints = [models.UniqueConstraint(fields=["account", "msgid"], name="article_total_once")]

    def __str__(self) -> str:
        return f"{self.sent_on} {self.title or self.msgid}"
