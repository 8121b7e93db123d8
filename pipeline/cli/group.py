"""The ``pipeline`` command group: the ``--config`` option, the workspace it opens, and the
one place a ``PipelineError`` or a click usage error becomes a message and an exit code.

Every message staff read is Indonesian; command and option names are English
(docs/cli.md). Exit codes: 0 done (refusing a bad input is doing the job), 1
user error with a one-line message, 2 bad invocation.
"""

from __future__ import annotations

import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from pipeline import __version__
from pipeline.cli.console import err, escape
from pipeline.errors import PipelineError

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.engine import Workspace

# A command imports the modules it uses when it runs, so ``pipeline --help`` and the
# light commands do not load the engine, openpyxl, docxtpl or rich (docs/architecture.md,
# "Speed").


class Context:
    """The config, loaded on first use, and the workspace opened over it."""

    def __init__(self, config_path: Path) -> None:
        self.config_path = config_path
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        from pipeline import config as config_module

        if self._config is None:
            self._config = config_module.load(self.config_path)
        return self._config

    def open(self, lock: bool = True) -> AbstractContextManager[Workspace]:
        """The workspace: locked for commands that change it, unlocked for those that read."""
        from pipeline import engine

        return engine.open_workspace(self.config, lock=lock)


class PipelineGroup(click.Group):
    """Turns PipelineError into a one-line message and exit code 1, and click's own
    usage errors into Indonesian with exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PipelineError as exc:
            err.print(f"[red]Galat:[/red] {escape(str(exc))}")
            sys.exit(1)

    def main(  # type: ignore[override]  # click types main() as overloads on standalone_mode; one body serves both
        self,
        args: list[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Abort:
            if not standalone_mode:
                raise
            _exit_with("Dibatalkan.", 1)
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            _exit_with(f"[red]Galat:[/red] {escape(usage_text(exc))} Lihat \u201cpipeline --help\u201d.", exc.exit_code)


def _exit_with(message: str, code: int) -> NoReturn:
    err.print(message)
    sys.exit(code)


def _hint(param: click.Parameter | None) -> str:
    if param is None:
        return "nilai"
    return "/".join(param.opts) if isinstance(param, click.Option) else param.human_readable_name


def usage_text(exc: click.ClickException) -> str:
    """click's usage errors (written in English) in the Indonesian staff read."""
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"Opsi {exc.option_name} tidak dikenal."
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"{_hint(exc.param)} belum diisi."
    if isinstance(exc, click.BadParameter):
        param = exc.param
        if param is not None and isinstance(param.type, click.Choice):
            return f"{_hint(param)}: pilih salah satu dari {', '.join(map(str, param.type.choices))}."
        if param is not None and param.type in (click.INT, click.FLOAT):
            return f"{_hint(param)} harus berupa angka."
        hint = _hint(param) if param is not None else (exc.param_hint or "nilai")
        text = exc.message if exc.message and (not exc.message.isascii() or "pilih" in exc.message) else ""
        return f"{hint} tidak sah{': ' + text if text else '.'}"
    message = exc.format_message()
    if message.startswith("No such command"):
        return f"Perintah {message.split(' ', 3)[-1].rstrip('.')} tidak dikenal."
    if message.startswith("Got unexpected extra argument"):
        return "Ada argumen berlebih: " + message.split("(", 1)[-1].rstrip(")") + "."
    return message if not message.isascii() or "--" in message else "Perintah tidak dapat dijalankan."


@click.group(cls=PipelineGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    default="config.yaml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas konfigurasi ruang kerja.",
)
@click.version_option(__version__, prog_name="pipeline")
@click.pass_context
def main(ctx: click.Context, config_path: Path) -> None:
    """Pipeline fasilitasi SPSE Pusdatinkomtel (SOP.TPD.01/KDN/2011)."""
    ctx.obj = Context(config_path)
