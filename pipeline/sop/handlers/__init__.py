"""The step handlers, registered by name in this one place.

A step of the SOP table names its handler (``handler:``; a machine step
defaults to its own key). The registry says what each handler does without
importing it, so validating config.yaml stays cheap; the code is loaded when
a step first runs. How to add one: docs/steps.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from importlib import import_module
from typing import TYPE_CHECKING, Any

from pipeline.states import Decision

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.sop.fit import Question
    from pipeline.sop.step_run import StepRun


class Ran(Enum):
    """What running a step's handler came to: the step is done (the case goes on), or it waits."""

    DONE = "done"
    WAITING = "waiting"


# The official (a role of ``officials`` in config.yaml) who receives a copy (tembusan) of the
# replies the steps draft to the unit.
COPY_TO = "kabid"
# Who sends the memo and its registration data, as documents and messages to staff name them.
SENDER = "ULP unit kerja"


def tembusan(config: Config) -> str:
    """Who receives a copy of the replies the steps draft to the unit (``COPY_TO``'s title)."""
    return config.officials[COPY_TO].jabatan


# Every handler: a step run in, done or waiting out.
StepHandler = Callable[["StepRun"], Ran]


@dataclass(frozen=True)
class Handler:
    """What the engine needs to know about a handler before it runs it."""

    name: str
    target: str  # "module:function" inside this package
    document: str | None = None  # the template key it renders, unless the step names another
    action: bool = False  # the step waits for an action named by its key
    consumes: str | None = None  # the kind of kept input it applies ("registrasi")
    opens: bool = False  # done when the memo is filed: it renders the memo's own document
    seals: bool = False  # once it is done the case's data can no longer change
    sends: bool = False  # it records that the letter was sent
    guard: str | None = None  # "module:function": why an action for the step does not fit now
    waits_for: str = ""  # what the case waits for at this step, for staff
    early: bool = False  # its action may come before the case reaches the step (unless the table says)
    rejects: bool = False  # accepts tolak, back to the data step (unless the table says)
    templates: tuple[str, ...] = ()  # other templates it renders (return memos)

    def load(self) -> StepHandler:
        return _load(self.target)

    def refuses(self, question: Question) -> str | None:
        """Why an action for the asked step does not fit now by this handler's own rule, or None."""
        return _load(self.guard)(question) if self.guard else None


def _load(target: str) -> Any:  # a StepHandler or a guard, as the target names
    module, _, function = target.partition(":")
    return getattr(import_module(f"{__name__}.{module}"), function)


REGISTRY = {
    handler.name: handler
    for handler in (
        Handler("agenda_masuk", "memo:agenda_masuk", "lembar_disposisi", opens=True),
        Handler("disposisi", "memo:disposisi", "lembar_disposisi", action=True, early=True),
        Handler(
            "input_data",
            "data:input_data",
            "daftar_data",
            consumes="registrasi",
            waits_for=f"data registrasi dari {SENDER}",
        ),
        Handler("verifikasi", "data:verifikasi", "daftar_verifikasi", templates=("nota_dinas",)),
        Handler(
            "otentikasi",
            "data:otentikasi",
            "daftar_otentifikasi",
            action=True,
            early=True,
            guard="data:otentikasi_guard",
            templates=("nota_dinas",),
        ),
        Handler("laporan_kesiapan", "data:laporan_kesiapan", "laporan_kesiapan"),
        Handler("periksa", "letter:periksa", "nota_dinas", action=True, rejects=True),
        Handler("setujui", "letter:setujui", "nota_dinas", action=True, seals=True, rejects=True),
        Handler("kirim", "letter:kirim", action=True, guard="letter:kirim_guard", sends=True),
    )
}
# Workspaces made by release 0.1 name no handlers; their disposition steps
# find theirs by key.
ALIASES = {"disposisi_kapus": "disposisi", "disposisi_kabid": "disposisi"}
# A human step with no handler: wait for its action, record who and when,
# and render the step's ``document`` if it names one.
HUMAN = Handler("tindakan", "human:human_step", action=True)
# The decision ``tolak`` at a step with ``reject_to``.
REJECT = Handler(Decision.REJECT, "letter:tolak", "nota_dinas")


def find(name: str) -> Handler | None:
    """The handler registered under ``name`` (or a legacy alias), or None."""
    return REGISTRY.get(ALIASES.get(name, name))


def get(name: str) -> Handler:
    """The handler registered under ``name``, a name already known to be registered."""
    found = find(name)
    if found is None:
        raise KeyError(name)
    return found
