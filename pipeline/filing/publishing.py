"""Committed filings that could not yet be put in place (docs/architecture.md, "Filing").

A filing whose records committed but whose folder could not be renamed into
the archive (or whose outbox copy could not be made) stays in staging and is
published again later. Here: what stands in its way, said in Indonesian with
what to do; when to try it again (with back-off, told once per reason); and the
list ``pipeline doctor`` and ``pipeline status`` show, read from staging alone.
"""

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.filing.archive import locate, read_metadata, relative

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register.sql import SqlRegister

FIRST_RETRY, LAST_RETRY = 30.0, 3600.0  # seconds before the next attempt: doubling from the first to the last
LATER = "Belum ditempatkan; pipeline menempatkannya sendiri pada pemrosesan berikutnya."


@dataclass(frozen=True)
class Pending:
    """One committed filing still in staging: its archive folder, its case, and why it waits."""

    folder: str
    kasus: str
    alasan: str


def told(folder: str, reason: object) -> str:
    """The line staff read once about a committed filing that cannot be put in place."""
    return (
        f"Berkas {folder} sudah dicatat di register tetapi belum dapat ditempatkan di arsip: {reason} "
        "Pipeline mencobanya lagi sendiri dengan jeda yang makin panjang; berkas masukannya tidak perlu "
        "diletakkan lagi."
    )


def obstacle(config: "Config", final: Path, anchor: Path | None = None, outbox: Iterable[Path] = ()) -> str | None:
    """Why a committed filing cannot be put at ``final`` now (Indonesian, with what to do), or None."""
    if anchor is not None and not anchor.is_dir():
        return (
            f"Folder arsip {relative(anchor, config.root)} belum ada di tempatnya. Kembalikan folder itu ke "
            "arsip (periksa dengan \u201cpipeline verify\u201d)."
        )
    if final.exists():
        return (
            f"Folder arsip {relative(final, config.root)} sudah ada; arsip tidak ditimpa. Periksa folder itu "
            "dengan \u201cpipeline verify\u201d lalu pindahkan ke luar arsip bila tidak tercatat di register."
        )
    for target in outbox:
        if target.is_dir():
            return (
                f"Di outbox ada folder {relative(target, config.root)} di tempat salinan dokumen. Pindahkan "
                "folder itu ke luar outbox."
            )
    return next(filter(None, (_unwritable(config, path) for path in (final, *outbox))), None)


def _unwritable(config: "Config", path: Path) -> str | None:
    """Why the folder ``path`` would go in cannot be made or written, or None."""
    parent = next((p for p in path.parents if p.exists() or p.is_symlink()), None)
    if parent is None:
        return None
    if not parent.is_dir():
        return (
            f"{relative(parent, config.root)} adalah berkas, bukan folder, sehingga {path.name} tidak dapat "
            "ditempatkan. Pindahkan berkas itu ke tempat lain."
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        return (
            f"Folder {relative(parent, config.root)} tidak dapat ditulis oleh akun layanan pipeline. Berikan "
            "hak tulis kepada akun itu (chown/chmod)."
        )
    return None


class Backoff:
    """When each staged filing may be tried again, and whether its reason was already told."""

    def __init__(self) -> None:
        self._waiting: dict[str, tuple[str, int, float]] = {}  # staged folder name -> (reason, tries, due)

    def due(self, key: str, now: float) -> bool:
        """True when the filing staged as ``key`` may be tried now."""
        return key not in self._waiting or now >= self._waiting[key][2]

    def failed(self, key: str, reason: str, now: float) -> bool:
        """Note a failed attempt; True when ``reason`` is news (to be told), False when told already."""
        before: str | None
        before, tries, _ = self._waiting.get(key, (None, 0, 0.0))
        self._waiting[key] = (reason, tries + 1, now + min(FIRST_RETRY * 2**tries, LAST_RETRY))
        return reason != before

    def done(self, key: str) -> None:
        self._waiting.pop(key, None)


def pending(config: "Config", register: "SqlRegister") -> list[Pending]:
    """Committed filings in this host's staging, each with what stands in its way now."""
    folder = config.staging_dir
    found: list[Pending] = []
    for temp in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else ():
        meta = read_metadata(temp) or {}
        rel = meta.get("folder")
        if not (rel and register.folder_known(rel)):
            continue  # not committed: discarded at the next start
        outbox = [config.outbox / path for path in (meta.get("outbox") or {}).values()]
        anchor = locate(config, meta["induk"]) if meta.get("induk") else None
        reason = obstacle(config, locate(config, rel), anchor, outbox) or LATER
        found.append(Pending(relative(locate(config, rel), config.root), str(meta.get("kasus") or ""), reason))
    return found
