"""docs/cli.md lists exactly the commands the ``pipeline`` group has: a command added to one
side only (or renamed on one side) fails here."""

import re
from pathlib import Path

import click

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\|\s*`([^`]+)`\s*\|")
WORD = re.compile(r"^[a-z][a-z-]*$")


def documented_commands():
    """The command of each row of docs/cli.md's table: its leading lower-case words
    (``export srikandi [KASUS] DIR`` -> ``export srikandi``), arguments and options left off."""
    found = set()
    for line in (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match:
            continue
        words = []
        for word in match.group(1).split():
            if not WORD.match(word):
                break
            words.append(word)
        found.add(" ".join(words))
    return found


def group_commands(group, prefix=""):
    """Every command the click group runs, a sub-group's as ``group command``."""
    found = set()
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found |= group_commands(command, f"{prefix}{name} ")
        else:
            found.add(prefix + name)
    return found


def test_the_table_reads_commands():
    documented = documented_commands()
    assert {"init", "run", "export srikandi", "migrate-register"} <= documented
    assert "" not in documented


def test_every_documented_command_exists_and_every_command_is_documented():
    documented, actual = documented_commands(), group_commands(main)
    assert sorted(documented - actual) == [], "in docs/cli.md but not in the pipeline group"
    assert sorted(actual - documented) == [], "in the pipeline group but not in docs/cli.md"
