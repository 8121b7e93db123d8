"""The archive's own helpers: folder names from data, digests, read-only files, verify.

Filing itself (staging, commit, publish) is ``filing``. Archived files are
read-only, and their SHA-256 is kept in the register so ``verify`` can
detect any later change.
"""

import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slugify import slugify

if TYPE_CHECKING:
    from pipeline.config import Config

READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def slug(text: object, max_length: int = 48) -> str:
    """A folder-safe name from data: ascii words joined by dashes, bounded, never empty."""
    return slugify(str(text or ""), max_length=max_length, word_boundary=True) or "tanpa-judul"


def sha256_file(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(path: str | os.PathLike[str]) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: str | os.PathLike[str]) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_tree(path: Path) -> None:
    """Remove a folder the pipeline built itself, read-only files included."""
    if not path.exists():
        return
    for item in path.rglob("*"):
        if item.is_file():
            item.chmod(stat.S_IWUSR | stat.S_IRUSR)
    path.chmod(stat.S_IRWXU)
    shutil.rmtree(path)


def read_metadata(folder: Path) -> dict[str, Any] | None:
    try:
        meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


# The first folders of every archived filing: <year>/<kind>/... (memo.py, inputs.py, handlers/letter.py).
KINDS = ("surat-masuk", "surat-keluar", "masukan")


def relative(path: str | os.PathLike[str], root: Path) -> str:
    """A path relative to ``root`` when inside it, else absolute: how a user is shown a path."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def archive_key(stored: str | os.PathLike[str]) -> str | None:
    """The archive-relative form (``2026/surat-masuk/...``) of a path the register stores.

    Records made before paths were archive-relative stored them relative to the
    workspace (``archive/2026/...``) or in full where the archive lay outside it;
    the archive's own layout, ``<year>/<kind>/``, says where the archive part begins,
    so they are found wherever the archive is now. None for a path outside the archive.
    """
    # the parts PurePosixPath would give, without its cost (a status of 100,000 cases shows each path)
    parts = [part for part in str(stored).split("/") if part not in ("", ".")]
    for i in range(len(parts) - 1):
        if len(parts[i]) == 4 and parts[i].isdigit() and parts[i + 1] in KINDS:
            return "/".join(parts[i:])
    return None


def in_archive(path: str | os.PathLike[str], archive: Path) -> str:
    """How a new record stores a path in the archive: relative to the archive, whatever the workspace."""
    return Path(path).relative_to(archive).as_posix()


def locate(config: "Config", stored: str) -> Path:
    """Where a stored path lies now: archived paths in the configured archive, others in the workspace."""
    key = archive_key(stored)
    return config.archive / key if key is not None else config.root / stored


def within(folder: str, parent: str) -> bool:
    """True when stored folder ``folder`` lies inside ``parent``, whichever form each was stored in."""
    return (archive_key(folder) or folder).startswith((archive_key(parent) or parent) + "/")


def shown(config: "Config", stored: str) -> str:
    """A stored path as users are shown it: relative to the workspace (in full outside it)."""
    return show_for(config)(stored)


def show_for(config: "Config") -> Callable[[str], str]:
    """``shown`` for many paths: where the archive lies, seen from the workspace, worked out once."""
    under = relative(config.archive, config.root)

    def show(stored: str) -> str:
        key = archive_key(stored)
        return f"{under}/{key}" if key is not None else relative(config.root / stored, config.root)

    return show
