"""Looking at a screen as its person would: a screenshot kept as a test artefact, and no English,
no refusal, no broken image on it.

Screenshots go to ``test-artifacts/<test name>/`` at the top of the repository (ignored by git),
or under ``$WXOPS_TEST_ARTIFACTS`` when set (CI keeps that folder).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..english import english_runs

ROOT = Path(__file__).resolve().parents[2]
REFUSALS = ("你没有权限", "没有权限访问", "您没有权限", "Permission denied", "Forbidden")
#: Every picture loaded, lazy ones too, before looking for broken ones.
LOAD_ALL_IMAGES = "() => { document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; }); }"
ALL_IMAGES_SETTLED = "() => Array.from(document.images).every(i => i.complete)"
BROKEN_IMAGES = ("() => Array.from(document.images).filter(i => i.complete && i.naturalWidth === 0"
                 " && i.getAttribute('src')).map(i => i.getAttribute('src').slice(0, 120))")


def artefacts_folder(test_name: str) -> Path:
    base = Path(os.environ.get("WXOPS_TEST_ARTIFACTS") or ROOT / "test-artifacts")
    folder = base / re.sub(r"[^\w.-]+", "_", test_name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class ScreenChecker:
    """``look(page, "name")``: wait until the screen has settled, keep a screenshot, check it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        self.seen: list[str] = []

    def look(self, page, name: str, *, response=None) -> str:
        page.wait_for_load_state("load")
        if page.locator("#wagtail-sidebar").count():
            page.wait_for_selector("[data-wagtail-sidebar]:not(.sidebar-loading)", state="attached")
        page.evaluate(LOAD_ALL_IMAGES)
        page.wait_for_function(ALL_IMAGES_SETTLED)
        self.count += 1
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.seen.append(path.name)
        html = page.content()
        text = page.locator("body").inner_text()
        assert response is None or response.status < 400, f"{name}: HTTP {response.status} at {page.url}"
        refused = [words for words in REFUSALS if words in text]
        assert refused == [], f"{name} ({page.url}) refuses: {refused}; screenshot {path}"
        shown = text + "\n" + "\n".join(page.eval_on_selector_all(
            "[placeholder]:not([type=hidden]), [title]",
            "elements => elements.filter(e => e.offsetParent !== null)"
            ".map(e => e.getAttribute('placeholder') || e.getAttribute('title'))"))
        zones = set(page.eval_on_selector_all("select[name*=time_zone] option", "options => options.map(o => o.text)"))
        shown = "\n".join(line for line in shown.splitlines() if line.strip() not in zones)  # zone names are names
        english = english_runs(html, shown)
        assert english == [], f"{name} ({page.url}) shows English: {english}; screenshot {path}"
        broken = page.evaluate(BROKEN_IMAGES)
        assert broken == [], f"{name} ({page.url}) has broken images: {broken}; screenshot {path}"
        return text
