"""The simulated editor: for each slot, an article in the planner's category, added to the
slot's push and submitted for review before the deadline — through editorial's actions,
like an editor in the admin.

Titles carry one of the category's keywords from the audience profile, chosen so that the
simulator files the article under the same category (it reads titles and digests, see
docs/simulator.md): the reads it then reports per category are the planner's categories.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from wxops.accounts.times import shown_month_day
from wxops.core.documents import chinese
from wxops.editorial import actions
from wxops.editorial.models import Push
from wxops.materials.models import Article
from wxops.simulator import audience, behaviour


@dataclass(frozen=True)
class Draft:
    title: str
    digest: str
    body: str


def draft_for(category: str, profile: dict, day_label: str, number: int) -> Draft:
    """A short article of ``category`` that the simulator files under that category.

    Tries each of the category's keywords (starting with the ``number``-th, so titles vary),
    then the category's own name; the first title and digest the simulator reads as
    ``category`` wins.
    """
    parsed = audience.parse({**profile, "seed": 0})
    rates = parsed.categories.get(category)
    keywords = list(rates.keywords) if rates else []
    if keywords:
        shift = number % len(keywords)
        keywords = keywords[shift:] + keywords[:shift]
    simulated_account = SimpleNamespace(categories={})
    for word in [*keywords, category]:
        candidate = Draft(
            title=f"{word}实务要点·{day_label}"[:32],
            digest=f"本期整理了{word}相关的几条实务要点。",
            body=(f"<p>本期围绕{word}整理了几条实务要点，供各位读者参考。</p>"
                  "<p>如有疑问，欢迎在后台留言，我们会在工作时间内回复。</p>"))
        if behaviour.categorize(simulated_account, parsed, {"title": candidate.title,
                                                            "digest": candidate.digest}) == category:
            return candidate
    return candidate


def prepare_and_submit(push: Push, stage, profile: dict, number: int) -> tuple[str, str]:
    """Write the slot's article in the push's suggested category, add it and submit the push.

    Returns (category name, problem): the problem is empty when the push went to review,
    else the reason editorial refused it (the push then stays unsubmitted and is held).
    """
    push.refresh_from_db()
    category = push.effective_category or push.account.categories.filter(active=True).order_by("position").first()
    with chinese.language():  # the article is Chinese whatever the desk's language
        day = shown_month_day(push.local_slot)
    draft = draft_for(category.name, profile, day, number)
    article = Article.objects.create(account=push.account, title=draft.title, digest=draft.digest, body=draft.body,
                                     author="运营部", category=category, cover=stage.covers[category.pk])
    article.save_revision(user=stage.editor)
    added = actions.add_article(push, article, user=stage.editor)
    if added.problems:
        return category.name, " ".join(added.problems)
    try:
        actions.submit(push, user=stage.editor)
    except actions.PushError as error:
        return category.name, str(error)
    return category.name, ""
