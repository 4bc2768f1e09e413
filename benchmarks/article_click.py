"""转为图文 in a real browser, as the editor lives it: the click on the pool's button until the
article's edit page has loaded (its load event), and where that time goes — the redirect, the
edit page's HTML, the browser's work after it, and every request the page makes before its load
event. Prints figures; asserts nothing.

    flock /work/team/bench.lock .venv/bin/python benchmarks/article_click.py [--rounds 7] [--database-url URL]
        [--data-dir DIR] [--requests] [--profile]

The server is the one the browser tests use (Django's live server thread, static files from the
apps); the browser is Debian's Chromium, its cache warmed by a first click that is not counted
(the cold cache is not what an editor meets after the first click of the day). The click is
timed as ``tests/browser/test_three_slow_clicks_answer_at_once.py`` times it; "click →
navigation" is the part before the browser starts the request (Playwright finding and clicking
the button, the pool page unloading), the navigation figures are the new page's own clock, and the
renderer's task, script, layout and style times come from Chromium's Performance metrics.
``--data-dir`` keeps a migrated SQLite database between runs; ``--requests`` lists what the page
fetched before its load event; ``--profile`` samples the JavaScript of the last click.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from django_boot import boot  # noqa: E402 - beside this script

#: What the page's own navigation entry says, in ms after the click's navigation started.
TIMING = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const before = performance.getEntriesByType('resource').filter(r => r.startTime < n.loadEventStart);
  return {origin: performance.timeOrigin, redirect: n.redirectEnd, html: n.responseEnd,
          interactive: n.domInteractive, contentLoaded: n.domContentLoadedEventEnd, loaded: n.loadEventEnd,
          requests: before.map(r => [r.name.replace(location.origin, ''), Math.round(r.startTime),
                                     Math.round(r.duration), r.transferSize])};
}"""


def print_profile(profile: dict) -> None:
    """Self time by script (and the top functions) from a CDP CPU profile."""
    from collections import Counter

    nodes = {node["id"]: node for node in profile["nodes"]}
    by_script, by_function = Counter(), Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]["callFrame"]
        script = frame["url"].split("?")[0].rsplit("/static/", 1)[-1] or f"({frame['functionName'] or 'native'})"
        by_script[script] += delta / 1000
        by_function[f"{frame['functionName'] or '(anonymous)'} {script}:{frame['lineNumber']}"] += delta / 1000
    print("JavaScript self time by script, ms:")
    for name, ms in by_script.most_common(15):
        print(f"  {ms:8.1f}  {name}")
    print("top functions, ms:")
    for name, ms in by_function.most_common(15):
        print(f"  {ms:8.1f}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--requests", action="store_true", help="list each request made before the load event")
    parser.add_argument("--profile", action="store_true",
                        help="sample the renderer's JavaScript in the last round; self time by script")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="keep the SQLite data here between runs (the migrations then run once)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        boot(options.data_dir or Path(folder), options.database_url, DJANGO_ALLOW_ASYNC_UNSAFE="true")
        from django.contrib.staticfiles.handlers import StaticFilesHandler
        from django.core.management import call_command
        from django.test.testcases import LiveServerThread
        from playwright.sync_api import sync_playwright

        from wxops.site.demo import load_demo, read_logins
        from wxops.site.warm_up import compile_content_rules
        from wxops.sources import actions, synthetic
        from wxops.sources.models import Story

        call_command("migrate", verbosity=0)
        account, _ = load_demo()
        compile_content_rules()  # as `wxops up` does at boot
        first = Story.objects.count()  # new stories on a kept database
        actions.ingest(account, [synthetic.article(random.Random(n), n) for n in range(first, first + options.rounds + 1)])
        server = LiveServerThread("127.0.0.1", StaticFilesHandler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        base = f"http://127.0.0.1:{server.port}"
        password = {row.username: row.password for row in read_logins()}["editor"]
        figures: list[dict] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            page = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{base}/admin/login/")
            page.fill("#id_username", "editor")
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/admin/")
            edit_page = re.compile(r".*/admin/snippets/materials/article/edit/\d+/$")
            for round_, story in enumerate(Story.objects.filter(article__isnull=True).order_by("pk")
                                           [:options.rounds + 1]):
                page.goto(f"{base}/admin/sources/pool/")
                session = page.context.new_cdp_session(page)
                session.send("Performance.enable")
                profiling = options.profile and round_ == options.rounds
                if profiling:
                    session.send("Profiler.enable")
                    session.send("Profiler.setSamplingInterval", {"interval": 200})
                    session.send("Profiler.start")
                before = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
                clicked_at = time.time() * 1000
                started = time.perf_counter()
                page.get_by_role("row", name=story.title).get_by_role("button", name="转为图文").click()
                page.wait_for_url(edit_page)
                seconds = time.perf_counter() - started
                if round_ == 0:
                    continue  # the browser's cache warms on the first article
                if profiling:
                    profile = session.send("Profiler.stop")["profile"]
                after = {m["name"]: m["value"] for m in session.send("Performance.getMetrics")["metrics"]}
                timing = page.evaluate(TIMING)
                spent = {name: 1000 * (after[name] - before.get(name, 0)) for name in
                         ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")}
                figures.append({"click": seconds, "before navigation": timing["origin"] - clicked_at,
                                **timing, **spent})
            browser.close()
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        engine = "PostgreSQL" if options.database_url else "SQLite"
        print(f"转为图文 in Chromium, {engine}, {len(figures)} rounds, load average {load} (1/5/15 min), "
              f"{os.cpu_count()} CPUs")
        print(f"{'':24}{'median':>9}{'min':>9}{'max':>9}")
        for name, key, scale in (("click → load event, s", "click", 1), ("redirect done, ms", "redirect", 1),
                                 ("edit page's HTML, ms", "html", 1), ("DOM interactive, ms", "interactive", 1),
                                 ("DOMContentLoaded end, ms", "contentLoaded", 1),
                                 ("load event end, ms", "loaded", 1),
                                 ("click → navigation, ms", "before navigation", 1),
                                 ("renderer tasks, ms", "TaskDuration", 1), ("  scripts, ms", "ScriptDuration", 1),
                                 ("  layout, ms", "LayoutDuration", 1), ("  style, ms", "RecalcStyleDuration", 1)):
            values = [row[key] * scale for row in figures]
            print(f"{name:24}{statistics.median(values):9.3f}{min(values):9.3f}{max(values):9.3f}")
        counts = [len(row["requests"]) for row in figures]
        print(f"requests before the load event: {statistics.median(counts):.0f} (median)")
        if options.profile:
            print_profile(profile)
        if options.requests:
            for row in figures[-1:]:
                for name, start, duration, size in row["requests"]:
                    print(f"  {start:6d} ms +{duration:5d} ms {size:8d} B  {name}")


if __name__ == "__main__":
    main()
