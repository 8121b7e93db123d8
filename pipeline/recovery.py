"""Start-up reconciliation: finish or undo whatever a crash interrupted.

Run before the first pass of ``run`` and ``watch``, under the workspace
lock. Temporary folders and half-copied files are removed (they are always
rebuilt); an archive folder whose register row was never committed is
removed only when the input it copied is still waiting in the work folder;
claimed files are then settled again, which either finishes their move
(the journal already has them) or processes them from the start.
"""

from . import intake
from .archive import read_metadata, remove_tree, temp_files, temp_folders


def recover(config, register, settle, clock):
    """Return Outcomes for the claimed files it settled, and notes for staff."""
    notes = []
    for folder in temp_folders(config.archive):
        remove_tree(folder)
    for path in temp_files(config.outbox):
        path.unlink(missing_ok=True)
    groups = intake.claimed(config.work_dir)
    notes += _orphans(config, register, set(groups))
    outcomes = []
    for claim_id, inbounds in groups.items():
        inbounds.sort(key=lambda i: intake.is_scan(i.path))
        outcomes += settle(config, register, claim_id, inbounds, clock)
    return outcomes, notes


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
