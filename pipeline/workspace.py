"""The workspace on disk: creating it, its folders, its one-process lock, where a command may
write, and the changes a command makes to config.yaml and the register file as a whole."""

from __future__ import annotations

import fcntl
import json
import os
import re
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING

from pipeline.config import DEFAULTS, default_config_text
from pipeline.documents import proof
from pipeline.errors import ConfigError, WorkspaceBusy, os_reason
from pipeline.sop.access import current_account

if TYPE_CHECKING:
    from pipeline.config import Config


# Inside each official's folder keputusan/<account>/: what the pipeline set aside, beside its reason.
DECISIONS_REFUSED = "ditolak"


def init(directory: Path | str) -> list[Path]:
    """Create config.yaml, the folders and the default templates in ``directory``.

    Existing files are left alone, so running it twice is harmless. Returns
    the list of paths it created.
    """
    root = Path(directory)
    created: list[Path] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        config_path = root / "config.yaml"
        if not config_path.exists():
            config_path.write_text(with_account(default_config_text(), current_account()), encoding="utf-8")
            created.append(config_path)
        account = current_account()
        for name in (
            "inbox",
            "inbox/ditolak",
            "inbox/duplikat",
            "outbox",
            "archive",
            "templates",
            f"keputusan/{account}",
            f"keputusan/{account}/ditolak",
        ):
            folder = root / name
            if not folder.exists():
                folder.mkdir(parents=True)
                created.append(folder)
        for template in (DEFAULTS / "templates").iterdir():
            target = root / "templates" / template.name
            if template.name.endswith(".docx") and not target.exists():
                target.write_bytes(template.read_bytes())
                created.append(target)
        if not (root / "archive" / proof.KEY_FILE).exists():
            proof.key(root / "archive")  # names the verification pages; kept outside the served outbox
            created.append(root / "archive" / proof.KEY_FILE)
    except OSError as exc:
        raise ConfigError(f"Ruang kerja {root} tidak dapat dibuat: {os_reason(exc)}.") from None
    return created


def with_account(text: str, account: str) -> str:
    """The default config with ``account`` in every access role, marked to be changed."""
    return re.sub(
        r"^(    \w+: )\[\](\s+#.*)$",
        lambda m: f"{m.group(1)}[{json.dumps(account)}]{m.group(2)}  (GANTI)",
        text,
        flags=re.M,
    )


def check_output(config: Config, path: Path | str) -> Path:
    """An output a command writes may not land where the pipeline keeps its own files
    (the register and archive, the inbox it takes files from, the templates, config.yaml)."""
    target = Path(path).resolve()
    for label, folder in (("arsip", config.archive), ("inbox", config.inbox), ("templat", config.templates_dir)):
        if target.is_relative_to(folder):
            raise ConfigError(
                f"Berkas keluaran {target} berada di folder {label} ({folder}) yang dikelola "
                "pipeline. Simpan di folder lain, misalnya folder Dokumen Anda."
            )
    if target == config.path.resolve():
        raise ConfigError(f"Berkas keluaran {target} adalah berkas konfigurasi; simpan di berkas lain.")
    return target


def ensure_folders(config: Config) -> None:
    """Create the working folders a valid config names, if they are missing."""
    for folder in (config.inbox, config.rejected_dir, config.duplicate_dir, config.outbox, config.archive):
        folder.mkdir(parents=True, exist_ok=True)
    for account in config.decision_accounts():
        if "/" in account or account.startswith("."):
            continue  # not an account name a folder can carry (config says who holds a role; doctor tells)
        try:
            (config.decision_folder(account) / DECISIONS_REFUSED).mkdir(parents=True, exist_ok=True)
        except PermissionError:
            continue  # another official's folder, closed to this account: the service makes it
    for name in config.documents.values():
        if not (config.templates_dir / name).exists():
            shipped = DEFAULTS / "templates" / name
            if not shipped.is_file():
                raise ConfigError(f"Templat {config.templates_dir / name} tidak ditemukan.")
            config.templates_dir.mkdir(parents=True, exist_ok=True)
            (config.templates_dir / name).write_bytes(shipped.read_bytes())


class Lock:
    """An exclusive flock on the workspace; a second process is told who holds it."""

    def __init__(self, config: Config) -> None:
        self.path: Path = config.lock_path
        self.handle: IO[str] | None = None

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.handle = handle = open(self.path, "a+", encoding="utf-8")
        except PermissionError:  # an official's account: the workspace is the service's (act hands over)
            raise WorkspaceBusy(
                f"Ruang kerja ini milik akun layanan pipeline; akun {_me()} tidak "
                "dapat menguncinya. Jalankan perintah ini sebagai akun layanan, atau serahkan keputusan lewat "
                "layanan yang sedang berjalan (\u201cpipeline act\u201d, \u201cpipeline batal\u201d)."
            ) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise WorkspaceBusy(
                f"Ruang kerja ini sedang diproses oleh proses pipeline lain (PID {holder}). "
                "Tunggu hingga selesai, atau hentikan \u201cpipeline watch\u201d yang sedang berjalan."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def set_register_aside(config: Config, name: str) -> Path | None:
    """Rename the SQLite register (and its ``-wal`` and ``-shm``) to ``name`` beside it, never
    deleting it; returns where it went, or None when there was no register file."""
    aside = config.register_path.with_name(name)
    for suffix in ("", "-wal", "-shm"):
        old = config.register_path.with_name(config.register_path.name + suffix)
        if old.exists():
            os.replace(old, aside.with_name(aside.name + suffix))
    return aside if aside.exists() else None


def _me() -> str:
    """The account running this process, by name where it has one."""
    import pwd

    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())
