"""What would stop a push at 11:30, found days or hours before: on adding an article and on submit.

Each check returns problems as sentences that say what to fix. Nothing here changes data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wxops.accounts.credentials import credentials
from wxops.compliance.findings import Severity
from wxops.core import clock
from wxops.editorial import review_gate
from wxops.editorial.models import MAX_ARTICLES, Push, PushArticle
from wxops.materials.pictures.library import unpublishable_pictures_of
from wxops.wechat.drafts import AUTHOR_MAX, DIGEST_MAX, TITLE_MAX

#: WeChat's limit on an article's HTML ("必须少于2万字符"); tags count too.
CONTENT_MAX = 20_000

#: Checks of higher apps (publishing's pre-flight: pictures WeChat cannot take, the HTML as
#: sent over the limit …), each ``check(push) -> list[str]``, run by :func:`push_problems`.
_extra_checks: list = []


def register_check(check):
    """Add ``check(push) -> list[str]`` (problems in words) to what submit and approval require."""
    if check not in _extra_checks:
        _extra_checks.append(check)
    return check


def as_edited(article):
    """The article as its editor last saved it: its latest revision (a saved draft lives only
    there; the row holds the published state), or the row when it has no revision yet."""
    if getattr(article, "latest_revision_id", None):
        return article.get_latest_revision_as_object()
    return article


def article_problems(article) -> list[str]:
    """What WeChat or the plan would refuse in ``article`` as last edited (limits, cover, picture licences)."""
    article = as_edited(article)
    problems = []
    title = (article.title or "").strip()
    if not title:
        problems.append(_("The title is empty."))
    elif len(title) > TITLE_MAX:
        problems.append(_("The title has %(count)d characters; WeChat allows %(max)d. Shorten it.")
                        % {"count": len(title), "max": TITLE_MAX})
    if len(article.author or "") > AUTHOR_MAX:
        problems.append(_("The author has %(count)d characters; WeChat allows %(max)d.")
                        % {"count": len(article.author), "max": AUTHOR_MAX})
    if len(article.digest or "") > DIGEST_MAX:
        problems.append(_("The digest has %(count)d characters; WeChat allows %(max)d.")
                        % {"count": len(article.digest), "max": DIGEST_MAX})
    if len(article.body or "") >= CONTENT_MAX:
        problems.append(_("The body is %(count)d characters of HTML; WeChat takes less than %(max)d. Split it.")
                        % {"count": len(article.body), "max": CONTENT_MAX})
    if article.cover_id is None:
        problems.append(_("There is no cover picture; WeChat needs one for every article."))
    problems.extend(reason for _picture, reason in unpublishable_pictures_of(article))
    return problems


def account_problems(account) -> list[str]:
    """What stops any send of ``account``: missing WeChat credentials."""
    if not credentials(account).app_secret:
        return [_("The official account %(account)s has no AppSecret yet; an administrator must enter it "
                  "(or set it in the environment) before anything can be sent.") % {"account": account}]
    return []


@dataclass(frozen=True)
class ReviewFinding:
    """A ``review`` finding of one article still waiting for a reviewer's acknowledgement."""

    article_id: int
    article_title: str
    field: str
    text: str
    clause: str
    message: str
    fingerprint: str


def _items(push: Push) -> list[PushArticle]:
    return list(push.items.select_related("article").order_by("position", "pk"))


def push_problems(push: Push, *, when: str = "submit") -> list[str]:
    """Everything that stops ``push`` from being submitted (``when="submit"``) or approved
    (``when="approve"``, which also needs every review finding acknowledged)."""
    problems: list[str] = []
    items = _items(push)
    if not items:
        problems.append(_("The push has no article; add at least one."))
    if len(items) > MAX_ARTICLES:
        problems.append(_("The push has %(count)d articles; WeChat takes at most %(max)d.")
                        % {"count": len(items), "max": MAX_ARTICLES})
    if push.slot_at <= clock.now() and not push.latest_send_at > clock.now():
        problems.append(_("Its slot has passed; move the articles to a coming slot."))
    problems.extend(account_problems(push.account))
    for item in items:
        article = as_edited(item.article)
        for problem in article_problems(article):
            problems.append(f"「{article.title}」: {problem}")
        report = review_gate.findings_for(article)
        for field in report.pending:
            problems.append(_("「%(title)s」 %(field)s: its text is still being read; submit again in a moment.") % {
                "title": article.title, "field": review_gate.field_label(field)})
        for field, finding in review_gate.blocking(report):
            if field in report.pending:
                continue
            problems.append(_("「%(title)s」 %(field)s: 「%(text)s」 breaks the content rules (%(clause)s %(message)s); "
                              "fix it or have an administrator override it.") % {
                "title": article.title, "field": review_gate.field_label(field), "text": finding.text,
                "clause": finding.clause, "message": finding.message})
    for check in _extra_checks:
        problems.extend(check(push))
    if when == "approve":
        waiting = review_findings(push)
        if waiting:
            problems.append(_("%(count)d content-rule findings wait for your acknowledgement: %(list)s") % {
                "count": len(waiting),
                "list": "; ".join(f"「{f.article_title}」 「{f.text}」 ({f.clause})" for f in waiting[:10])})
    return problems


def review_findings(push: Push) -> list[ReviewFinding]:
    """The ``review`` findings of the push's articles that nobody has acknowledged yet."""
    waiting = []
    for item in _items(push):
        report = review_gate.findings_for(as_edited(item.article))
        open_ids = {id(f) for f in report.open_findings}
        for field, finding, _decision in report.findings():
            if finding.severity == Severity.REVIEW and id(finding) in open_ids:
                waiting.append(ReviewFinding(item.article_id, item.article.title, field, finding.text,
                                             finding.clause, finding.message, finding.fingerprint))
    return waiting
