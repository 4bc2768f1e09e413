"""The client package reads top-down: ``client`` imports the API areas, each area imports
only ``area`` and ``errors`` — no module imports one that imports it back."""

from pathlib import Path

import wxops.wechat

from .import_graph import find_cycle, internal_imports

PACKAGE_DIR = Path(wxops.wechat.__file__).parent
AREAS = ("comments", "custom", "datacube", "drafts", "mass", "media", "publish", "qrcodes", "users")


def test_the_wechat_package_has_no_import_circle():
    graph = internal_imports(PACKAGE_DIR, "wxops.wechat")
    assert find_cycle(graph) is None


def test_the_api_areas_stand_below_the_client():
    graph = internal_imports(PACKAGE_DIR, "wxops.wechat")
    assert set(AREAS) <= graph["client"]
    for area in AREAS:
        assert graph[area] <= {"area", "errors"}, area


def test_the_circle_check_sees_a_circle(tmp_path):
    (tmp_path / "one.py").write_text("from .two import x\n")
    (tmp_path / "two.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .one import y\n")
    (tmp_path / "three.py").write_text("from wxops.pkg import one\n")
    graph = internal_imports(tmp_path, "wxops.pkg")
    assert graph == {"one": {"two"}, "two": {"one"}, "three": {"one"}}
    assert sorted(find_cycle(graph)[:2]) == ["one", "two"]
