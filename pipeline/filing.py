"""The one filing service: prepare, commit, publish (docs/architecture.md).

Every kind of filing (an incoming memo, a kept input, a case document, an
outgoing letter) goes the same way:

1. **prepare**, outside any register transaction: copy and render the files
   into ``archive/.staging/<token>/``, write metadata.json, fsync, make them
   read-only. A slow template, PDF conversion or signing never holds the
   register.
2. **commit**: one register transaction allocates any number (checked
   against the one the documents were rendered with) and writes the records.
3. **publish**: copy to the outbox, then rename the staged folder into its
   place in the archive. The rename is the last act: a staged folder whose
   records are committed is published again at the next start; one whose
   records are not is discarded, and its input, still claimed, is filed anew.
"""

import json
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .archive import READ_ONLY, fsync_dir, fsync_file, read_metadata, relative, remove_tree, sha256_file
from .errors import ArchiveError, PublishPending, RegisterError

TEMP_PREFIX = ".tmp-"
ATTEMPTS = 5


@dataclass
class Prepared:
    """A folder built in staging, waiting for its records to commit."""

    temp: Path
    final: Path
    rel: str  # the final folder relative to the workspace, as the register stores it
    digests: dict
    outbox: dict = field(default_factory=dict)  # archive file name -> outbox path

    @property
    def berkas(self):
        """Archive file name -> path relative to the workspace."""
        return {name: f"{self.rel}/{name}" for name in self.digests}

    def path(self, name):
        return f"{self.rel}/{name}"


class NumberTaken(Exception):
    """Raised inside a commit when another host took the number the documents show."""


def prepare(config, final, copies=None, writers=None, metadata=None, outbox=None):
    """Build the folder that will become ``final`` in staging; return it as Prepared.

    ``copies`` maps file names to source paths copied byte for byte;
    ``writers`` maps names to callables writing the file at a path;
    ``outbox`` maps archive names to outbox paths filled when it is published.
    """
    copies, writers, outbox = copies or {}, writers or {}, outbox or {}
    if final.exists():
        raise ArchiveError(f"Folder arsip {final} sudah ada; arsip tidak ditimpa. Periksa folder itu "
                           "dengan \u201cpipeline verify\u201d.")
    temp = config.staging_dir / uuid.uuid4().hex
    rel = relative(final, config.root)
    try:
        temp.mkdir(parents=True)
        for name, source in copies.items():
            shutil.copyfile(source, temp / name)
        for name, write in writers.items():
            write(temp / name)
        digests = {name: sha256_file(temp / name) for name in [*copies, *writers]}
        meta = dict(metadata or {}, folder=rel, sha256=digests,
                    outbox={name: relative(path, config.outbox) for name, path in outbox.items()})
        (temp / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2, default=str),
                                            encoding="utf-8")
        digests["metadata.json"] = sha256_file(temp / "metadata.json")
        for item in temp.iterdir():
            fsync_file(item)
            item.chmod(READ_ONLY)
        fsync_dir(temp)
    except OSError as exc:
        remove_tree(temp)
        raise ArchiveError(f"Arsip tidak dapat ditulis di {config.staging_dir}: {exc.strerror or exc}.") from None
    except BaseException:
        remove_tree(temp)
        raise
    return Prepared(temp, final, rel, digests, dict(outbox))


def publish(config, prepared):
    """Copy to the outbox, then rename the staged folder into place (after commit)."""
    for name, target in prepared.outbox.items():
        copy_atomic(config, prepared.temp / name, target)
    try:
        prepared.final.parent.mkdir(parents=True, exist_ok=True)
        if prepared.final.exists():
            raise ArchiveError(f"Folder arsip {prepared.final} sudah ada; arsip tidak ditimpa.")
        os.rename(prepared.temp, prepared.final)
        fsync_dir(prepared.final.parent)
    except OSError as exc:
        raise ArchiveError(f"Arsip tidak dapat ditulis di {prepared.final.parent}: "
                           f"{exc.strerror or exc}.") from None
    return prepared.final


def discard(prepared):
    """Forget a staged folder whose records did not commit."""
    for item in prepared if isinstance(prepared, (list, tuple)) else [prepared]:
        remove_tree(item.temp)


def file(register, config, prepare_all, record, numbers=()):
    """Prepare, commit, publish; return what ``record`` returned.

    ``numbers`` are (book, year) pairs to allocate; ``prepare_all(predicted)``
    gets the numbers they will have and returns the Prepared folders;
    ``record(predicted, prepared)`` writes the register inside the
    transaction. When another host took a number meanwhile, the folders are
    rendered again with the next one.
    """
    for _ in range(ATTEMPTS):
        predicted = {key: register.peek_number(*key) for key in numbers}
        prepared = list(prepare_all(predicted))
        try:
            with register.transaction():
                for key, number in predicted.items():
                    if register.allocate_number(*key) != number:
                        raise NumberTaken()
                result = record(predicted, prepared)
        except NumberTaken:
            discard(prepared)
            continue
        except BaseException:
            discard(prepared)
            raise
        try:
            for item in prepared:
                publish(config, item)
        except ArchiveError as exc:
            raise PublishPending(f"{exc} Catatan register sudah tersimpan; berkasnya ditempatkan "
                                 "pada putaran berikutnya.") from None
        return result
    raise RegisterError("Nomor agenda terus diambil proses lain; pemberkasan akan dicoba lagi.")


def copy_atomic(config, source, destination):
    """Copy through a temporary file in the outbox's staging, so a reader never sees half."""
    staging = config.outbox_staging_dir
    temp = staging / f"{TEMP_PREFIX}{uuid.uuid4().hex}"
    try:
        staging.mkdir(parents=True, exist_ok=True)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, temp)
        os.replace(temp, destination)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ArchiveError(f"Berkas tidak dapat disalin ke {destination.parent}: {exc.strerror or exc}.") from None


def recover(config, register):
    """Finish what a crash interrupted: publish committed filings, discard the rest.

    Looks only where a crash can leave work: the two staging folders.
    """
    if config.outbox_staging_dir.is_dir():
        for path in config.outbox_staging_dir.iterdir():
            path.unlink(missing_ok=True)
    if not config.staging_dir.is_dir():
        return
    for temp in sorted(config.staging_dir.iterdir()):
        meta = read_metadata(temp) or {}
        rel = meta.get("folder")
        if rel and register.folder_known(rel):
            outbox = {name: config.outbox / path for name, path in (meta.get("outbox") or {}).items()}
            publish(config, Prepared(temp, config.root / rel, rel, meta.get("sha256", {}), outbox))
        else:
            remove_tree(temp)
