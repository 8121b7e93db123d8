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
from pathlib import Path

from slugify import slugify

READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def slug(text, max_length=48):
    """A folder-safe name from data: ascii words joined by dashes, bounded, never empty."""
    return slugify(str(text or ""), max_length=max_length, word_boundary=True) or "tanpa-judul"


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path):
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def remove_tree(path):
    """Remove a folder the pipeline built itself, read-only files included."""
    if not path.exists():
        return
    for item in path.rglob("*"):
        if item.is_file():
            item.chmod(stat.S_IWUSR | stat.S_IRUSR)
    path.chmod(stat.S_IRWXU)
    shutil.rmtree(path)


def read_metadata(folder):
    try:
        return json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def relative(path, root):
    """A path as the register stores it: relative to the workspace when inside it."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def verify(root, filed):
    """Compare every archived file with the SHA-256 the register holds for it.

    ``filed`` yields (label, berkas, sha256) per register record. Returns
    Indonesian lines, one per missing or changed file; empty when all match.
    """
    problems = []
    for label, berkas, digests in filed:
        for name, rel in sorted(berkas.items()):
            path = Path(root) / rel
            if not path.is_file():
                problems.append(f"{label}: berkas {rel} tidak ditemukan di arsip.")
            elif sha256_file(path) != digests.get(name):
                problems.append(f"{label}: berkas {rel} telah berubah sejak diarsipkan.")
    return problems


FILED_FOLDERS = ("*/surat-masuk/*", "*/masukan/*", "*/surat-keluar/*", "*/surat-masuk/*/dokumen/*")


def stray_folders(archive, root, known):
    """Archive folders no register record files (``known(rel)`` is False), as Indonesian lines."""
    problems = []
    for pattern in FILED_FOLDERS:
        for folder in sorted(archive.glob(pattern)):
            rel = relative(folder, root)
            if folder.is_dir() and not folder.name.startswith(".") and not known(rel):
                problems.append(f"Folder arsip {rel} tidak tercatat di register.")
    return problems
