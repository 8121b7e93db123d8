"""Start-up reconciliation: finish or undo whatever a crash interrupted.

Run before the first pass of ``run`` and ``watch``, under the workspace
lock. Temporary folders and half-copied files are removed (they are always
rebuilt); an archive folder whose register row was never committed is
removed only when the input it copied is still waiting in the work folder.
Claimed files are settled again by the next pass, which either finishes
their move (the journal already has them) or processes them from the start.
"""

from . import intake
from .archive import read_metadata, relative, remove_tree, temp_files, temp_folders


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
    """Archive folders with no register row, left by a crash before their commit.

    Copies of inputs (surat-masuk, masukan) are removed only when their input
    is still waiting in the work folder, so it will be filed again. Documents
    the pipeline renders (a case's dokumen/, surat-keluar) are always rebuilt
    from the register, so an uncommitted one is simply removed.
    """
    known = register.folders()
    notes = []
    for pattern, derived in (("*/surat-masuk/*", False), ("*/masukan/*", False),
                             ("*/surat-masuk/*/dokumen/*", True), ("*/surat-keluar/*", True)):
        for folder in sorted(config.archive.glob(pattern)):
            rel = relative(folder, config.root)
            if rel in known or not folder.is_dir():
                continue
            if derived or (read_metadata(folder) or {}).get("klaim") in pending_claims:
                remove_tree(folder)
            else:
                notes.append(f"Folder arsip {rel} tidak tercatat di register. Folder ini tidak diubah; "
                             "periksa dengan \u201cpipeline verify\u201d.")
    return notes
