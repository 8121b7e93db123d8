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
