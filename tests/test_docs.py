"""Every `rasd` command has help text and appears in the README."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from rasd.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def test_there_are_commands():
    assert {"extract", "ingest", "search", "claims", "disagreements", "eval", "bench"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert len(main.commands[name].help or "") > 20


@pytest.mark.parametrize("name", COMMANDS)
def test_command_is_in_readme(name):
    assert f"rasd {name}" in README, f"`rasd {name}` is not documented in README.md"
