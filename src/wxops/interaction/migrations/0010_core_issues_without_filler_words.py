"""Core issues stored before the analysis kept filler words out: their keywords and suggestions made again.

Until then a core issue's keywords could be words that ask but name nothing (关键词：有没有、还会),
which also stood in its suggestion (围绕“有没有、还会、补贴”), and every suggestion repeated how to
answer the open questions (尚有 N 条提问未回复，建议尽快回复…). The analysis now stores them clean;
this cleans the rows it stored before, once, where they are kept — so the admin's list, search
and inspect view and every document made from them read the same, and no reader has to clean
them again. The documents already made are records of what was sent and stay as they are.

The word list and the suggestion's rules are copied as they were when this was written
(``feedback.clustering.NOT_KEYWORDS``, ``feedback.suggestions``): a migration must do the same
thing whenever it runs, whatever the code becomes.
"""

from django.db import migrations

FILLER = frozenset("有没有 还会 能不能 是不是 可不可以 会不会 还有 还能 一下 为什么 多少 是否 能否 可否 如何".split())  # noqa: SIM905
ARTICLE_WORTHY = 5


def suggestion(issue, keywords: list[str]) -> str:
    parts = []
    if issue.tone <= -0.3:
        parts.append("负面反馈较集中，建议由负责人当天跟进回复并说明处理办法。")
    if issue.questions >= ARTICLE_WORTHY:
        topic = "、".join(keywords[:3]) or issue.title
        parts.append(f"同类提问 {issue.questions} 条，建议围绕“{topic}”安排一篇答疑文章或设置关键词自动回复。")
    if issue.unanswered and not parts:
        parts.append(f"回复其中未回复的 {issue.unanswered} 条提问。")
    if issue.tone >= 0.5 and not parts:
        parts.append("读者反响积极，可精选优质留言，并在后续选题中延续同类内容。")
    return "".join(parts) or "持续关注，暂无需专门处理。"


def clean_core_issues(apps, schema_editor):
    CoreIssue = apps.get_model("interaction", "CoreIssue")
    changed = []
    for issue in CoreIssue.objects.only("pk", "title", "keywords", "tone", "questions", "unanswered",
                                        "suggested_action").iterator(chunk_size=500):
        keywords = [word for word in issue.keywords.split("、") if word and word not in FILLER]
        cleaned = ("、".join(keywords), suggestion(issue, keywords))
        if cleaned != (issue.keywords, issue.suggested_action):
            issue.keywords, issue.suggested_action = cleaned
            changed.append(issue)
    CoreIssue.objects.bulk_update(changed, ["keywords", "suggested_action"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("interaction", "0009_welcome_and_default_image_news"),
    ]

    operations = [
        migrations.RunPython(clean_core_issues, migrations.RunPython.noop),
    ]
