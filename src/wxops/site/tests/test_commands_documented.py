"""Every wxops command is documented, and its help has an example (as sqlite-utils does)."""

import re
from pathlib import Path

from django.core.management import get_commands, load_command_class

ROOT = Path(__file__).resolve().parents[4]


def wxops_commands():
    return sorted((name, app) for name, app in get_commands().items() if app.startswith("wxops."))


def test_every_command_is_in_docs_commands_md():
    documented = set(re.findall(r"^## `wxops ([a-z_-]+)", (ROOT / "docs" / "commands.md").read_text(), re.M))
    missing = {name for name, _app in wxops_commands()} - documented
    assert missing == set(), "document these in docs/commands.md"


def test_every_command_help_has_an_example():
    for name, app in wxops_commands():
        command = load_command_class(app, name)
        assert "Example" in command.help or "例" in command.help, f"wxops {name}: add an example to help"
