"""Follow the register and the config through one real inbox pass, and print the walk.

    python tools/walk.py [--json]

It builds a workspace in a temporary folder, drops the shipped examples in its inbox (two
memos, registration data, the dispositions and an authentication: examples/, see
tools/make_examples.py), and runs one ``pipeline run`` pass through the library
(``Workspace.inbox_pass().run_all()``) under ``sys.setprofile``. Every call into a
``pipeline`` module made while the pass runs is looked at; for the register object and for
the config object separately it reports:

modules entered
    The pipeline modules the object is handed into: a call whose arguments include the
    object itself, or an argument holding it as an attribute (``ws.register``,
    ``self.config``: the workspace or a stage object carries it in). The pass's own module
    counts as the first; the object's own class's modules (its methods, called on it) do
    not: using the object is not handing it on.

climbs back up
    Calls handing the object from a module into a module already lower on the current
    call stack's module path (the modules of the pipeline frames on the stack, from the
    pass up, consecutive repeats merged): control returns to a caller module by calling it
    rather than by returning. Counted as distinct (caller module -> callee module) pairs.

    A callback is not a climb: a function the caller defined and handed down (a closure,
    such as the ``prepare`` and ``record`` a stage gives ``Filer.file``, which calls them
    between its steps so the retry when another host took a number stays in one place)
    is the caller's own code run where the callee needs it. Callbacks are listed apart.

modules re-entered
    Modules that, along one call path, are entered, left for another module, then entered
    again with the object: the callee of a climb back up. Listed with how many distinct
    climbs enter each.

stages
    The stages (the package's subpackages: inbox, sop, filing...; a top-level module is its
    own) the modules entered belong to.

Issue 19 sets the target: at most 8 modules, none re-entered, at most 2 climbs back up.
LibreOffice is not used (``pdf.enabled`` off): the walk is about the code, not the PDFs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline import config as config_module  # noqa: E402
from pipeline import workspace  # noqa: E402
from pipeline.engine import open_workspace  # noqa: E402

EXAMPLES = ROOT / "examples"
# Two memos with their registration data and actions (bpsdm as CSV, dukcapil as YAML).
INPUTS = (
    "nota-dinas-bpsdm.docx",
    "nota-dinas-dukcapil.docx",
    "registrasi-bpsdm.csv",
    "registrasi-dukcapil.yaml",
    "tindakan-bpsdm-1-disposisi-kapus.yaml",
    "tindakan-bpsdm-2-disposisi-kabid.yaml",
    "tindakan-bpsdm-3-otentikasi.yaml",
    "tindakan-dukcapil-1-disposisi-kapus.yaml",
)
ROOT_FUNCTION = "run_all"
ROOT_MODULE = "pipeline.inbox.passes"


@dataclasses.dataclass
class Walk:
    """What one followed object went through."""

    name: str
    target: object
    modules: dict[str, int] = dataclasses.field(default_factory=dict)  # module -> calls handing it in
    climbs: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    callbacks: set[tuple[str, str]] = dataclasses.field(default_factory=set)
    home: frozenset[str] = frozenset()  # the modules of the object's own class and its bases

    def __post_init__(self) -> None:
        self.home = frozenset(cls.__module__ for cls in type(self.target).__mro__)

    def reentered(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for _caller, callee in self.climbs:
            counts[callee] += 1
        return dict(counts)

    def stages(self) -> set[str]:
        return {".".join(module.split(".")[:2]) for module in self.modules}

    def summary(self) -> dict[str, Any]:
        return {
            "object": self.name,
            "modules": len(self.modules),
            "stages": len(self.stages()),
            "climbs_back_up": len(self.climbs),
            "modules_reentered": len(self.reentered()),
            "module_list": sorted(self.modules),
            "climb_list": sorted(f"{a} -> {b}" for a, b in self.climbs),
            "callback_list": sorted(f"{a} -> {b}" for a, b in self.callbacks),
            "reentered_list": dict(sorted(self.reentered().items())),
        }


def _module(frame: FrameType) -> str:
    return frame.f_globals.get("__name__", "")


def _arguments(frame: FrameType) -> list[object]:
    """The values a call was handed (``*args`` and ``**kwargs`` spread out)."""
    code = frame.f_code
    names = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
    spread = []
    if code.co_flags & 0x04:  # *args
        spread.append(code.co_varnames[len(names)])
    if code.co_flags & 0x08:  # **kwargs
        spread.append(code.co_varnames[len(names) + len(spread)])
    local = frame.f_locals
    values = [local.get(name) for name in names]
    for name in spread:
        value = local.get(name)
        values.extend(value.values() if isinstance(value, dict) else value or ())
    return values


def _holds(value: object, target: object) -> bool:
    if value is target:
        return True
    try:
        attributes = vars(value)
    except TypeError:
        return False
    return any(item is target for item in attributes.values())


def _path(frame: FrameType) -> tuple[list[str], set[tuple[str, str]]]:
    """The pipeline modules on the stack below ``frame``, from the pass up, repeats merged, and
    the callbacks on it. A closure run by a module above the one that made it (a callback) stands
    where its maker stands: the path is cut back to that module, as if the callee had returned."""
    frames = []
    current: FrameType | None = frame
    while current is not None:
        name = _module(current)
        if name.startswith("pipeline"):
            frames.append((name, "<locals>" in current.f_code.co_qualname))
            if name == ROOT_MODULE and current.f_code.co_name == ROOT_FUNCTION:
                break
        current = current.f_back
    merged: list[str] = []
    callbacks: set[tuple[str, str]] = set()
    for name, handed_down in reversed(frames):
        if merged and merged[-1] == name:
            continue
        if handed_down and name in merged:
            callbacks.add((merged[-1], name))
            del merged[merged.index(name) + 1 :]
            continue
        merged.append(name)
    return merged, callbacks


class Tracer:
    """The profile function: looks at each call into a pipeline module once the pass runs."""

    def __init__(self, walks: list[Walk]) -> None:
        self.walks = walks
        self.depth = 0  # > 0 while the pass's root frame is on the stack

    def __call__(self, frame: FrameType, event: str, _arg: object) -> None:
        if event not in ("call", "return"):
            return
        module = _module(frame)
        if not module.startswith("pipeline"):
            return
        is_root = module == ROOT_MODULE and frame.f_code.co_name == ROOT_FUNCTION
        if is_root:
            self.depth += 1 if event == "call" else -1
            if event == "call":
                self._look(frame, module, root=True)
            return
        if event == "call" and self.depth > 0:
            self._look(frame, module, root=False)

    def _look(self, frame: FrameType, module: str, root: bool) -> None:
        arguments = _arguments(frame)
        for walk in self.walks:
            if module in walk.home or not any(_holds(value, walk.target) for value in arguments):
                continue
            walk.modules[module] = walk.modules.get(module, 0) + 1
            if root or frame.f_back is None:
                continue
            below, callbacks = _path(frame.f_back)
            walk.callbacks |= callbacks
            if below and module != below[-1] and module in below[:-1]:
                walk.climbs.add((below[-1], module))


def _workspace(folder: Path) -> config_module.Config:
    workspace.init(folder)
    config = config_module.load(folder / "config.yaml")
    # One account holds every role here: its decisions are taken from the inbox as in the demo
    config = dataclasses.replace(
        config, pdf_enabled=False, decisions_from_inbox=True, watch=dataclasses.replace(config.watch, stable_seconds=0)
    )
    old = time.time() - 3600
    for name in INPUTS:
        target = config.inbox / name
        shutil.copyfile(EXAMPLES / name, target)
        os.utime(target, (old, old))
    return config


def walk() -> list[Walk]:
    """Run the pass over the examples and follow the register and the config."""
    with tempfile.TemporaryDirectory(prefix="spse-walk-") as temp:
        config = _workspace(Path(temp) / "ws")
        with open_workspace(config) as ws:
            walks = [Walk("register", ws.register), Walk("config", ws.config)]
            inbox = ws.inbox_pass()
            sys.setprofile(Tracer(walks))
            try:
                outcomes = inbox.run_all()
            finally:
                sys.setprofile(None)
            hasil = sorted(str(o.hasil) for o in outcomes)
            if not outcomes or "diterima" not in hasil:
                raise SystemExit(f"the pass did not file the examples: {hasil}")
    return walks


def _table(walks: list[Walk]) -> str:
    rows = [("", "modules", "climbs back up", "modules re-entered", "stages", "callbacks")]
    rows += [
        (
            w.name,
            str(len(w.modules)),
            str(len(w.climbs)),
            str(len(w.reentered())),
            str(len(w.stages())),
            str(len(w.callbacks)),
        )
        for w in walks
    ]
    rows.append(("target", "<= 8", "<= 2", "0", "", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    for w in walks:
        lines += ["", f"{w.name}: handed into"]
        lines += [f"  {module} ({calls} calls)" for module, calls in sorted(w.modules.items())]
        if w.climbs:
            lines += [f"{w.name}: climbs back up"] + [f"  {a} -> {b}" for a, b in sorted(w.climbs)]
        if w.callbacks:
            lines += [f"{w.name}: callbacks (a closure handed down, run by the callee)"]
            lines += [f"  {a} -> {b}" for a, b in sorted(w.callbacks)]
        if w.reentered():
            lines += [f"{w.name}: re-entered"]
            lines += [f"  {module} ({n} climbs)" for module, n in sorted(w.reentered().items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON object per followed object")
    options = parser.parse_args()
    walks = walk()
    if options.json:
        for w in walks:
            print(json.dumps(w.summary(), ensure_ascii=False))
    else:
        print(_table(walks))


if __name__ == "__main__":
    main()
