"""Start-up reconciliation: finish or undo whatever a crash interrupted.

Run before the first pass of ``run`` and ``watch``, under the workspace
lock. Temporary folders and half-copied files are removed (they are always
rebuilt); an archive folder whose register row was never committed is
removed only when the input it copied is still waiting in the work folder.
Claimed files are settled again by the next pass, which either finishes
their move (the journal already has them) or processes them from the start.
"""

from . import intake
from .archive import read_metadata, remove_tree, temp_files, temp_folders


def recover(config, register):
    """Clean what an interrupted build left; return notes for staff.

    Claimed files left in the work folder are settled by the next pass of
    ``run_once``, which starts with them.
    """
    for folder in temp_folders(config.archive):
        remove_tree(folder)
    for path in temp_files(config.outbox):
        path.unlink(missing_ok=True)
    claims = {name.split(intake.SEPARATOR, 1)[0] for name in _names(config.work_dir)}
    return _orphans(config, register, claims)


def _names(folder):
    return [p.name for p in folder.iterdir()] if folder.exists() else []


def _orphans(config, register, pending_claims):
    """Archive folders with no register row: undo those whose input is still pending."""
    known = register.folders()
    notes = []
    for folder in sorted(config.archive.glob("*/surat-*/*")):
        rel = folder.relative_to(config.root).as_posix()
        if rel in known or not folder.is_dir():
            continue
        meta = read_metadata(folder) or {}
        if meta.get("klaim") in pending_claims:
            remove_tree(folder)
        else:
            notes.append(
                f"Folder arsip {rel} tidak tercatat di register. Folder ini tidak diubah; "
                "periksa dengan \u201cpipeline verify\u201d."
            )
    return notes
