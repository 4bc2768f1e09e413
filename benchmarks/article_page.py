"""The two clicks of issue 16 that were over 1 s on an idle machine, measured in-process (Django's
test client, no browser): 转为图文 (turn a pool story into an article; the browser then opens its
edit page) and the article's edit page itself (where 保存草稿 lands). Prints figures; asserts nothing.

    flock /work/team/bench.lock .venv/bin/python benchmarks/article_page.py [--rounds 7] [--database-url URL]

The same-process baseline is the edit page as stock Wagtail builds it: the workflow state read
by each caller (``WorkflowMixin.current_workflow_state``) and the workflow looked up each time,
instead of wxops's ``ArticleEditView`` (prefetched once on a GET) and ``Article.get_workflow``
(once per instance). Rounds alternate, so load hits both alike; medians, queries per request.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from django_boot import boot  # noqa: E402 - beside this script


def timed(call) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = call()
        seconds = time.perf_counter() - started
    assert response.status_code in (200, 302), response.status_code
    return seconds, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        boot(Path(folder), options.database_url)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment
        from wagtail.models import WorkflowMixin
        from wagtail.snippets.views.snippets import EditView

        from wxops.materials.models import Article
        from wxops.materials.views import ArticleEditView
        from wxops.site.demo import load_demo
        from wxops.site.warm_up import compile_content_rules
        from wxops.sources import actions, synthetic
        from wxops.sources.models import Story

        setup_test_environment()
        call_command("migrate", verbosity=0)
        account, _ = load_demo()
        compile_content_rules()  # as `wxops up` does at boot
        actions.ingest(account, [synthetic.article(random.Random(n), n) for n in range(options.rounds + 3)])
        client = Client()
        client.force_login(get_user_model().objects.get(username="editor"))
        client.get("/admin/")
        stories = list(Story.objects.filter(article__isnull=True).order_by("pk"))
        turned = [timed(lambda s=s: client.post(f"/admin/sources/stories/{s.pk}/article/")) for s in stories[:3]]
        turned += [timed(lambda s=s: client.post(f"/admin/sources/stories/{s.pk}/article/"))
                   for s in stories[3:3 + options.rounds]]
        url = f"/admin/snippets/materials/article/edit/{Article.objects.order_by('pk').first().pk}/"
        ours = (ArticleEditView.get_object, Article.get_workflow)
        stock = (EditView.get_object, WorkflowMixin.get_workflow)
        figures: dict[str, list[tuple[float, int]]] = {"wxops": [], "stock Wagtail (baseline)": []}
        for round_ in range(options.rounds + 2):
            for name, (get_object, get_workflow) in (("wxops", ours), ("stock Wagtail (baseline)", stock)):
                ArticleEditView.get_object, Article.get_workflow = get_object, get_workflow
                figure = timed(lambda: client.get(url))
                if round_ >= 2:  # two warm-up rounds
                    figures[name].append(figure)
        ArticleEditView.get_object, Article.get_workflow = ours
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        engine = "PostgreSQL" if options.database_url else "SQLite"
        print(f"{engine}, {options.rounds} rounds, load average {load} (1/5/15 min), {os.cpu_count()} CPUs")
        print(f"{'request':44} {'median s':>9} {'queries':>8}")
        print(f"{'转为图文 (POST, warm)':44} {statistics.median(t for t, _ in turned[3:]):9.3f} "
              f"{statistics.median(q for _, q in turned[3:]):8.0f}")
        for name, rows in figures.items():
            print(f"{'article edit page, ' + name:44} {statistics.median(t for t, _ in rows):9.3f} "
                  f"{statistics.median(q for _, q in rows):8.0f}")


if __name__ == "__main__":
    main()
