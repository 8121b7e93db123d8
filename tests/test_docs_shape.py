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


# -- docs/architecture.md and the package ---------------------------------------------------

ARCHITECTURE = ROOT / "docs" / "architecture.md"
FILE_TYPES = {"py", "html", "yaml", "json", "docx", "pdf", "csv", "xlsx", "txt", "md", "sqlite3", "gz", "png", "env"}
TREE_LINE = re.compile(r"^(\s*)([a-z_]+(?:\.py|/))(?:\s|$)")
REFERENCE = re.compile(r"`((?:[a-z_][a-z_0-9]*\.)+[A-Za-z_][A-Za-z_0-9]*)(?:\([^`]*\))?`")


def documented_modules():
    """The module paths of the tree in "## The modules" (its first code block)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    block = text.split("## The modules", 1)[1].split("```", 2)[1]
    found, stack = set(), []
    for line in block.splitlines():
        match = TREE_LINE.match(line)
        if not match:
            continue
        depth = len(match.group(1)) // 2
        stack[depth:] = [match.group(2)]
        path = "".join(stack)
        found.add(path + "__init__.py" if path.endswith("/") else path)
    return found


def package_modules():
    return {str(p.relative_to(ROOT)) for p in (ROOT / "pipeline").rglob("*.py") if "__pycache__" not in p.parts}


def test_the_module_tree_names_every_module_and_only_modules_that_exist():
    documented, actual = documented_modules(), package_modules()
    assert "pipeline/inbox/passes.py" in documented and "pipeline/sop/handlers/__init__.py" in documented
    assert sorted(documented - actual) == [], "named in docs/architecture.md but not in the package"
    assert sorted(actual - documented) == [], "in the package but not in docs/architecture.md's module tree"


def test_every_path_the_docs_name_in_the_package_exists():
    named = set()
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        named |= {
            (doc.name, path)
            for path in re.findall(r"(?<![\w/.-])pipeline/[A-Za-z0-9_/.]*[A-Za-z0-9_]", doc.read_text("utf-8"))
        }
    missing = sorted((doc, path) for doc, path in named if not (ROOT / path).exists())
    assert missing == []


def _resolve(reference, short_names, config_sections):
    """True when ``module.attribute`` names something that exists: the module by its dotted
    path inside ``pipeline`` or by a (possibly shared) short name, then the attribute chain;
    config keys (``pdf.enabled``) and names that are no module are not this test's business."""
    import importlib

    parts = reference.split(".")
    section = config_sections.get(parts[0])
    if isinstance(section, dict) and parts[1] in section:  # a configuration key (pdf.enabled)
        return True
    for cut in range(len(parts) - 1, 0, -1):
        head = ".".join(parts[:cut])
        candidates = short_names.get(head)
        if not candidates:
            continue
        for module in candidates:
            target = importlib.import_module(module)
            if head == "register":  # the register module, or the register object's intents
                from pipeline.register.sql import SqlRegister

                target = (target, SqlRegister)
            else:
                target = (target,)
            for start in target:
                obj = start
                try:
                    for name in parts[cut:]:
                        obj = getattr(obj, name)
                    return True
                except AttributeError:
                    continue
        return False
    return True


def test_the_code_architecture_md_names_exists():
    """A function, class or attribute the maintainer's document names by its module
    (``sop.fit.fits``, ``cases.advance``, ``Filer.prepare``) is there: a rename or a move fails here."""
    import pkgutil

    import yaml

    import pipeline
    from pipeline.filing.filer import Filer
    from pipeline.inbox.passes import InboxPass
    from pipeline.sop.procedure import Procedure

    short_names = {}
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        parts = info.name.removeprefix("pipeline.").split(".")
        for start in range(len(parts)):
            short_names.setdefault(".".join(parts[start:]), set()).add(info.name)
    classes = {"Filer": Filer, "InboxPass": InboxPass, "Procedure": Procedure}
    config_sections = yaml.safe_load((ROOT / "pipeline" / "defaults" / "config.yaml").read_text("utf-8"))
    text = ARCHITECTURE.read_text(encoding="utf-8")
    broken = []
    for reference in sorted(set(REFERENCE.findall(text))):
        head, _, rest = reference.partition(".")
        if reference.rsplit(".", 1)[1] in FILE_TYPES:
            continue
        if head in classes:
            if not hasattr(classes[head], rest.split(".")[0]):
                broken.append(reference)
        elif not _resolve(reference, short_names, config_sections):
            broken.append(reference)
    assert broken == []
