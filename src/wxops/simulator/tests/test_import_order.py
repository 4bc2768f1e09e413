"""The simulator reads top-down: server → control pages → engine → areas → world → state.

The areas (tokens, drafts, mass sends, followers …) receive a ``World`` and never import
the engine; the engine imports the areas and assembles them.
"""

from pathlib import Path

import wxops.simulator
from wxops.wechat.tests.import_graph import find_cycle, internal_imports

PACKAGE_DIR = Path(wxops.simulator.__file__).parent
ABOVE_THE_ENGINE = {"engine", "server", "testing", "control", "inspection", "overview"}


def test_the_simulator_has_no_import_circle():
    graph = internal_imports(PACKAGE_DIR, "wxops.simulator")
    assert find_cycle(graph) is None


def test_no_area_imports_the_engine_or_the_pages_above_it():
    graph = internal_imports(PACKAGE_DIR, "wxops.simulator")
    areas = set(graph) - ABOVE_THE_ENGINE - {"__init__"}
    assert {"access_tokens", "mass", "followers", "qrcodes", "world"} <= areas
    for area in sorted(areas):
        assert not graph[area] & ABOVE_THE_ENGINE, area
