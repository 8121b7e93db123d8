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
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from pipeline.documents import codes as verification
from pipeline.errors import (
    ArchiveError,
    CommitUncertain,
    ConversionStopped,
    PipelineError,
    PublishPending,
    RegisterError,
    RenderError,
    os_reason,
)
from pipeline.filing.archive import (
    READ_ONLY,
    fsync_dir,
    fsync_file,
    in_archive,
    locate,
    read_metadata,
    relative,
    remove_tree,
    sha256_file,
)
from pipeline.filing.publishing import Backoff, obstacle, told
from pipeline.register.records import Code

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.documents.pdf import Converter
    from pipeline.register.sql import SqlRegister

TEMP_PREFIX = ".tmp-"
ATTEMPTS = 5

Result = TypeVar("Result")
Numbers = dict[tuple[str, int], int]  # (book, year) -> the number it will have


class Bound(NamedTuple):
    """The verification code a filed document carries, and what it belongs to."""

    code: str
    kasus: str
    jenis: str


class Owed(NamedTuple):
    """A PDF a filing could not make yet: the outbox copy it will have, and why (None: not tried)."""

    keluaran: str
    problem: str | None


@dataclass(frozen=True)
class Filing:
    """What one filing puts in the archive (the request to ``Filer.prepare``).

    ``final`` is the archive folder it becomes; ``copies`` maps file names to
    source paths copied byte for byte; ``writers`` maps names to callables
    writing the file at a path; ``metadata`` goes into metadata.json;
    ``outbox`` maps archive names to outbox paths filled when it is published;
    ``anchor`` is a folder that must already be in the archive when it is;
    ``codes`` maps file names to their verification code, recorded with the
    files' digests when the filing commits. With ``pdf`` every written .docx
    also gets its PDF (beside it, and in the outbox), and a code is bound to
    the PDF, the form that is printed. ``after(folder)`` runs last, before the
    digests (the letter is signed there).
    """

    final: Path
    copies: Mapping[str, Path] = field(default_factory=dict)
    writers: Mapping[str, Callable[[Path], object]] = field(default_factory=dict)
    metadata: Mapping[str, Any] = field(default_factory=dict)
    outbox: Mapping[str, Path] = field(default_factory=dict)
    anchor: Path | None = None
    codes: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)  # (code, kasus, jenis): a Bound
    pdf: bool = False
    after: Callable[[Path], object] | None = None


@dataclass
class Prepared:
    """A folder built in staging, waiting for its records to commit."""

    temp: Path
    final: Path
    rel: str  # the final folder relative to the archive, as the register stores it
    digests: dict[str, str]
    outbox: dict[str, Path] = field(default_factory=dict)  # archive file name -> outbox path
    anchor: Path | None = None  # a folder that must be in place first (a case document's memo folder)
    codes: dict[str, Bound] = field(default_factory=dict)  # file name -> its verification code
    rantai: str = ""  # the chain head when it was prepared
    owed: dict[str, Owed] = field(default_factory=dict)  # .docx name -> the PDF it owes

    @property
    def berkas(self) -> dict[str, str]:
        """Archive file name -> path relative to the archive."""
        return {name: f"{self.rel}/{name}" for name in self.digests}

    def path(self, name: str) -> str:
        return f"{self.rel}/{name}"


class NumberTaken(Exception):
    """Raised inside a commit when another host took the number the documents show."""


class FolderExists(ArchiveError):
    """Raised when the folder a filing would become is already in the archive."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        super().__init__(
            f"Folder arsip {rel} sudah ada; arsip tidak ditimpa. Periksa folder itu dengan \u201cpipeline verify\u201d."
        )


class Filer:
    """The filing service of one workspace: its folders and its register.

    ``office`` is the office's clock (the time filings are recorded at);
    ``clock`` counts seconds for the back-off of filings that cannot be
    published yet.
    """

    def __init__(
        self,
        config: "Config",
        register: "SqlRegister",
        office: "Clock",
        converter: "Converter | None" = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.register = register
        self.office = office
        self.converter = converter
        self.clock = clock
        self.backoff = Backoff()

    def new_code(self, kasus: str, jenis: str) -> tuple[str, dict[str, Any]]:
        """A verification code for a document about to be prepared, and what its template prints."""
        code = verification.new_code(self.register.chain_head()[1], kasus, jenis)
        return code, verification.context(self.config, code)

    def prepare(self, request: Filing) -> Prepared:
        """Build the folder that will become ``request.final`` in staging; return it as Prepared.

        metadata.json also records the head of the register's chain, an
        anchor of the chain outside the database. A PDF LibreOffice cannot
        make now is owed, made later (``owed.drain``), and never holds the
        filing back.
        """
        config, final, anchor = self.config, request.final, request.anchor
        if final.exists():
            raise FolderExists(in_archive(final, config.archive))
        temp = config.staging_dir / uuid.uuid4().hex
        rel = in_archive(final, config.archive)
        urut, head = self.register.chain_head()
        try:
            temp.mkdir(parents=True)
            written, outbox, codes, owed = self._fill(temp, request)
            if request.after is not None:
                request.after(temp)
            digests = {name: sha256_file(temp / name) for name in [*request.copies, *written]}
            meta = dict(
                request.metadata,
                folder=rel,
                sha256=digests,
                outbox={name: relative(path, config.outbox) for name, path in outbox.items()},
                induk=in_archive(anchor, config.archive) if anchor else None,
                rantai={"urut": urut, "hash": head},
                kode={name: bound.code for name, bound in codes.items()},
            )
            digests["metadata.json"] = self._seal(temp, meta)
        except OSError as exc:
            remove_tree(temp)
            raise ArchiveError(f"Arsip tidak dapat ditulis di {config.staging_dir}: {os_reason(exc)}.") from None
        except BaseException:
            remove_tree(temp)
            raise
        return Prepared(temp, final, rel, digests, outbox, anchor, codes, head, owed)

    def _fill(
        self, temp: Path, request: Filing
    ) -> tuple[list[str], dict[str, Path], dict[str, Bound], dict[str, Owed]]:
        """Copy and write the files into ``temp``; with ``pdf`` add the PDFs, their outbox copies,
        and bind each code to the PDF (the form that is printed). Returns (written, outbox, codes, owed)."""
        outbox = dict(request.outbox)
        codes = {name: Bound(*bound) for name, bound in request.codes.items()}
        for name, source in request.copies.items():
            shutil.copyfile(source, temp / name)
        for name, write in request.writers.items():
            write(temp / name)
        written: list[str] = list(request.writers)
        owed: dict[str, Owed] = {}
        if request.pdf and self.converter is not None:
            docx = [n for n in request.writers if n.endswith(".docx")]
            made, problem = self._convert(temp, docx)
            written += [path.name for path in made]
            outbox = {
                **outbox,
                **{
                    path.name: outbox[path.stem + ".docx"].with_suffix(".pdf")
                    for path in made
                    if path.stem + ".docx" in outbox
                },
            }
            codes = {_printed(temp, name): bound for name, bound in codes.items()}
            owed = {
                name: Owed(
                    relative(outbox[name].with_suffix(".pdf"), self.config.outbox) if name in outbox else "",
                    problem,
                )
                for name in docx
                if not made and self.converter.available
            }
        return written, outbox, codes, owed

    def _convert(self, temp: Path, names: list[str]) -> tuple[list[Path], str | None]:
        """The PDFs of ``names`` made now: (paths, None); or, when LibreOffice fails, was stopped
        or rests after a failure, none: ([], why), and the filing owes them. A long document
        (a registration of thousands of packages) is owed at once: made after the pass with
        its own, longer time limit, it never holds the filing."""
        from pipeline.documents.owed import scale

        converter = self.converter
        if converter is None or not converter.available or not names:
            return [], None
        if converter.resting or converter.stopping or any(scale(temp / n) > 1 for n in names):
            return [], None  # made by owed.drain (once the rest is over, or on a later start)
        try:
            return converter.convert([temp / n for n in names], temp), None
        except ConversionStopped:
            return [], None
        except RenderError as exc:
            converter.rest(self.config.pdf_retry)
            return [], str(exc)

    def _seal(self, temp: Path, meta: dict[str, Any]) -> str:
        """Write metadata.json, make every file durable and read-only; returns metadata.json's digest."""
        (temp / "metadata.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=2, default=str), encoding="utf-8"
        )
        digest = sha256_file(temp / "metadata.json")
        for item in temp.iterdir():
            fsync_file(item)
            item.chmod(READ_ONLY)
        fsync_dir(temp)
        fsync_dir(self.config.staging_dir)
        return digest

    def publish(self, prepared: Prepared) -> Path:
        """Copy to the outbox, then rename the staged folder into place (after commit)."""
        config = self.config
        problem = obstacle(config, prepared.final, prepared.anchor, prepared.outbox.values())
        if problem:
            raise ArchiveError(problem)
        for name, target in prepared.outbox.items():
            copy_atomic(config, prepared.temp / name, target)
        try:
            prepared.final.parent.mkdir(parents=True, exist_ok=True)
            if prepared.final.exists():
                raise ArchiveError(f"Folder arsip {prepared.final} sudah ada; arsip tidak ditimpa.")
            os.rename(prepared.temp, prepared.final)
            fsync_dir(prepared.final.parent)
        except OSError as exc:
            raise ArchiveError(
                f"Arsip tidak dapat ditulis di {prepared.final.parent}: {os_reason(exc)}. "
                "Periksa ruang disk dan hak tulis folder itu."
            ) from None
        return prepared.final

    @staticmethod
    def discard(prepared: "Prepared | Sequence[Prepared]") -> None:
        """Forget staged folders whose records did not commit."""
        for item in [prepared] if isinstance(prepared, Prepared) else prepared:
            remove_tree(item.temp)

    def file(
        self,
        prepare_all: Callable[[Numbers], Iterable[Prepared]],
        record: Callable[[Numbers, list[Prepared]], Result],
        numbers: Iterable[tuple[str, int]] = (),
        unchanged: Callable[[], object] | None = None,
    ) -> Result:
        """Prepare, commit, publish; return what ``record`` returned.

        ``numbers`` are (book, year) pairs to allocate; ``prepare_all(predicted)``
        gets the numbers they will have and returns the Prepared folders;
        ``record(predicted, prepared)`` writes the register inside the
        transaction; ``unchanged()``, called just before the commit, raises
        when the input changed meanwhile. When another host took a number,
        the folders are rendered again with the next one; a folder in the
        way that the register does not know is set aside in ``archive/.tersisih/``.
        """
        for _ in range(ATTEMPTS):
            predicted = {key: self.register.peek_number(*key) for key in numbers}
            try:
                prepared = list(prepare_all(predicted))
            except FolderExists as exc:
                self._set_aside_stray(exc)
                continue
            try:
                result = self._commit_records(predicted, prepared, record, unchanged)
            except NumberTaken:
                continue
            self._publish_all(prepared)
            self._note_failures(prepared)
            return result
        raise RegisterError("Nomor surat terus diambil proses lain; pemberkasan akan dicoba lagi.")

    def _commit_records(
        self,
        predicted: Numbers,
        prepared: list[Prepared],
        record: Callable[[Numbers, list[Prepared]], Result],
        unchanged: Callable[[], object] | None,
    ) -> Result:
        """The one transaction of a filing: the numbers as predicted (else NumberTaken), the
        records, codes and owed PDFs. Folders whose records did not commit are discarded."""
        register = self.register
        try:
            with register.transaction():
                for key, number in predicted.items():
                    if register.allocate_number(*key) != number:
                        raise NumberTaken()
                result = record(predicted, prepared)
                self._record_codes(prepared)
                self._record_owed(prepared)
                if unchanged is not None:
                    unchanged()
        except CommitUncertain:
            raise  # perhaps committed: recover() publishes what the register knows, discards the rest
        except BaseException:
            self.discard(prepared)  # NumberTaken too: rendered again with the next number
            raise
        return result

    def _publish_all(self, prepared: list[Prepared]) -> None:
        """Publish committed folders; one that cannot be yet is published by recover(), with back-off."""
        try:
            for item in prepared:
                self.publish(item)
        except ArchiveError as exc:
            self.backoff.failed(item.temp.name, str(exc), self.clock())  # told here, by PublishPending
            raise PublishPending(
                f"Sudah dicatat di register, tetapi berkasnya belum dapat ditempatkan: "
                f"{exc} Pipeline menempatkannya sendiri pada pemrosesan berikutnya; "
                "berkas ini tidak perlu diletakkan lagi."
            ) from None

    def _record_codes(self, prepared: list[Prepared]) -> None:
        """The verification codes of what is filed, bound to the files' digests."""
        stamp = self.office.stamp()
        for item in prepared:
            for name, (code, kasus, jenis) in item.codes.items():
                self.register.add_code(Code(code, kasus, jenis, item.rel, name, item.digests[name], stamp, item.rantai))

    def _record_owed(self, prepared: list[Prepared]) -> None:
        """The PDFs this filing owes, in its own transaction: durable, whatever happens next."""
        stamp = self.office.stamp()
        for item in prepared:
            for name, (keluaran, _problem) in item.owed.items():
                bound = item.codes.get(name)
                kasus = bound.kasus if bound else ""
                self.register.owe_pdf(item.rel, name, kasus, keluaran, stamp)

    def _note_failures(self, prepared: list[Prepared]) -> None:
        """A conversion that failed while filing counts as the owed PDF's first attempt (back-off)."""
        from pipeline.documents.owed import failure_note, next_try

        now = self.office.now()
        for item in prepared:
            for name, (_keluaran, problem) in item.owed.items():
                if not problem:
                    continue
                when = next_try(self.config, now, 1)
                logging.getLogger("pipeline").warning(
                    failure_note(f"{item.rel}/{Path(name).with_suffix('.pdf').name}", problem, when)
                )
                try:
                    self.register.pdf_tried(item.rel, name, 1, when, problem)
                except PipelineError:
                    pass  # a cache: without it the owed PDF is only tried again sooner

    def _set_aside_stray(self, exc: FolderExists) -> None:
        """A folder the register does not know is in the way (left by an older release): keep it aside."""
        if self.register.folder_known(exc.rel):
            raise exc
        aside = self.config.archive / ".tersisih" / f"{uuid.uuid4().hex[:8]}_{Path(exc.rel).name}"
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.rename(locate(self.config, exc.rel), aside)

    def recover(self) -> list[str]:
        """Finish what a crash interrupted: publish committed filings, discard the rest.

        Looks only where a crash can leave work: the two staging folders. A
        filing that cannot be published yet is tried again with back-off;
        returns one Indonesian line for each, once per reason.
        """
        config = self.config
        if config.outbox_staging_dir.is_dir():
            for path in config.outbox_staging_dir.iterdir():
                path.unlink(missing_ok=True)
        problems = self._recover_staging(config.staging_dir, own=True)
        if config.shared:
            problems += self._recover_stopped_hosts()
        return problems

    def _recover_staging(self, folder: Path, own: bool) -> list[str]:
        """Publish the committed filings staged in ``folder``; discard the rest when ``own``
        (another host's uncommitted work may still be in flight, or is its own to drop)."""
        if not folder.is_dir():
            return []
        config = self.config
        staged = [(temp, read_metadata(temp) or {}) for temp in folder.iterdir() if temp.is_dir()]
        problems: list[str] = []
        for temp, meta in sorted(staged, key=lambda item: str(item[1].get("folder", "")).count("/")):
            rel = meta.get("folder")
            if not (rel and self.register.folder_known(rel)):
                if own:
                    remove_tree(temp)
                continue
            if not self.backoff.due(temp.name, self.clock()):
                continue  # failed lately, and told: tried again when its back-off ends
            outbox = (
                {name: config.outbox / path for name, path in (meta.get("outbox") or {}).items()} if own else {}
            )  # another host's outbox is its own share
            anchor = locate(config, meta["induk"]) if meta.get("induk") else None
            try:
                self.publish(Prepared(temp, locate(config, rel), rel, meta.get("sha256", {}), outbox, anchor))
            except ArchiveError as exc:
                if self.backoff.failed(temp.name, str(exc), self.clock()):
                    problems.append(told(relative(locate(config, rel), config.root), exc))
                continue
            self.backoff.done(temp.name)
        return problems

    def _recover_stopped_hosts(self) -> list[str]:
        """A host that stopped after a commit and before publishing (and is not running now)
        would leave the shared archive short of what the register holds until it starts
        again: its committed filings and log records are put in place by this host."""
        from pipeline.register import RegisterLog

        problems: list[str] = []
        root = self.config.archive / ".staging"
        others = [p for p in root.iterdir() if p.is_dir() and p.name != self.config.host] if root.is_dir() else []
        for folder in others:
            with self.register.standing_in(folder.name) as stopped:
                if stopped:
                    self.register.publish_staged(RegisterLog(self.config.archive, folder), discard=False)
                    problems += self._recover_staging(folder, own=False)
        return problems


def _printed(folder: Path, name: str) -> str:
    """The file a document's code stands for: its PDF when there is one."""
    pdf = Path(name).with_suffix(".pdf").name
    return pdf if name.endswith(".docx") and (folder / pdf).is_file() else name


def copy_atomic(config: "Config", source: Path, destination: Path) -> None:
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
        raise ArchiveError(f"Berkas tidak dapat disalin ke {destination.parent}: {os_reason(exc)}.") from None
