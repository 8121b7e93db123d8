"""``pipeline verify``: does the archive hold what the register says, and is the register
what its log in the archive says?

Six checks, each naming what it finds (docs/architecture.md, "Verify"):
every archived file against its SHA-256; nothing in the archive the
register does not know (folders, or extra files in known folders); the
register's log whole and chained; and the register itself equal to the
log replayed, so a row edited, added or deleted directly in the database is
found even when whoever did it recomputed the chain. The chain heads that
metadata.json files carry must be the log's own. Every signed PDF is judged
as intake judges it, and nothing may lie among the verification pages that
the register never issued; the lines stored for finished cases (``status --all``)
must be what their cases say.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.filing.archive import archive_key, locate, relative, sha256_file, shown, within
from pipeline.register.log import RegisterLog
from pipeline.register.replay import differences, replay
from pipeline.states import CodeStatus

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.letters.signing import SignatureCheck, SigningSettings
    from pipeline.register.records import AgendaEntry
    from pipeline.register.sql import SqlRegister

    Filed = tuple[
        str | None, dict[str, str], dict[str, str]
    ]  # a record's label, its files and their digests (register.filed)

FILED_FOLDERS = (
    "*/surat-masuk/*",
    "*/masukan/*",
    "*/surat-keluar/*",
    "*/surat-masuk/*/dokumen/*",
    "*/surat-keluar/*/ttd_v*",
)


@dataclass(frozen=True)
class Problem:
    """One thing verify found: its kind, where, and what it means (Indonesian)."""

    jenis: str
    lokasi: str
    pesan: str


def verify(config: Config, register: SqlRegister) -> tuple[list[Problem], int, int]:
    """Every problem, and how many files and records were checked.

    The register is read as one snapshot and the log replayed up to that
    snapshot's head, so a service committing meanwhile is not mistaken for
    tampering; a folder reported as unknown is looked up again afterwards.
    """
    log = RegisterLog(config.archive)
    with register.reading():
        head = register.chain_head()[0]
        filed = list(register.filed())
        problems = _files(config, filed) + _strays(config, register, filed) + _log_files(config, log)
        rebuilt, log_problems = replay(log, upto=head)
        try:
            problems += [Problem("catatan_register", relative(log.root, config.root), p) for p in log_problems]
            problems += [Problem("register_diubah", config.register_name, p) for p in differences(register, rebuilt)]
            problems += _anchors(config, filed, dict((u, h) for u, h, _ in rebuilt.chain()))
        finally:
            rebuilt.close()
    problems = [p for p in problems if p.jenis != "folder_tak_dikenal" or not register.folder_known(p.lokasi)]
    problems += _signatures(config, register) + _code_pages(config, register) + _stored_lines(config, register)
    return problems, sum(len(berkas) for _, berkas, _ in filed), len(filed)


def signed_files(config: Config, register: SqlRegister, letter: AgendaEntry) -> list[str]:
    """The electronically signed PDFs of a letter.

    Signed here (pkcs12) the letter's own PDF carries the signature. Signed at a
    gateway (BSrE) the signed copy is filed beside it as ``surat_tte``; signed in
    ink, the scan as ``surat_ttd`` (not electronic, not checked). With copies
    beside it, the letter's own PDF is checked when it carries a signature.
    """
    from pipeline.letters.signing import has_signature

    copies = [
        d
        for d in register.documents(letter.kasus)
        if d.jenis in ("surat_tte", "surat_ttd") and within(d.folder, letter.folder)
    ]
    files = [
        rel for d in copies if d.jenis == "surat_tte" for name, rel in d.berkas.items() if name.lower().endswith(".pdf")
    ]
    own = register.letter_pdf(letter)
    if own and letter.ditandatangani and (not copies or has_signature(locate(config, own))):
        files.insert(0, own)
    return files


def approved_at(register: SqlRegister, letter: AgendaEntry) -> dt.datetime | None:
    """When this letter was approved: its verification code was drawn as its approval was filed."""
    made = [c.dibuat for c in register.codes(folder=letter.folder) if c.dibuat]
    return dt.datetime.fromisoformat(min(made)) if made else None


def _signatures(config: Config, register: SqlRegister) -> list[Problem]:
    """Every signed PDF: intact, its signer trusted by signing.trust_roots, signed after its approval."""
    from pipeline.letters.signing import SigningError, check_pdf

    problems = []
    for letter in register.agenda("keluar"):
        approved = approved_at(register, letter)
        for rel in signed_files(config, register, letter):
            try:
                problems += _signature(config, rel, letter, approved, check_pdf)
            except SigningError as exc:
                return [*problems, Problem("tanda_tangan", "signing.trust_roots", str(exc))]
    return problems


def _signature(
    config: Config,
    stored: str,
    letter: AgendaEntry,
    approved: dt.datetime | None,
    check_pdf: Callable[[SigningSettings, Path], list[SignatureCheck]],
) -> list[Problem]:
    from pipeline.letters.signing import fault

    path, rel = locate(config, stored), shown(config, stored)
    if not path.is_file():
        return []
    checks = check_pdf(config.signing, path)
    if not checks:
        return [Problem("tanda_tangan", rel, f"{letter.nomor_surat}: {rel} tidak memuat tanda tangan elektronik.")]
    found = []
    for check in checks:
        why = fault(check)
        if why:
            found.append(Problem("tanda_tangan", rel, f"{letter.nomor_surat}: {rel}: {why}"))
        if check.signed_at and approved and check.signed_at + dt.timedelta(minutes=1) < approved:
            found.append(
                Problem(
                    "tanda_tangan", rel, f"{letter.nomor_surat}: {rel} ditandatangani sebelum Nota Dinas itu disetujui."
                )
            )
    return found


def _stored_lines(config: Config, register: SqlRegister) -> list[Problem]:
    """The lines stored for finished cases (``status --json --all`` reads them: register/shown.py)
    are a cache outside the log: each must still be what describing its case gives."""
    from pipeline.clock import Clock
    from pipeline.sop.procedure import Procedure
    from pipeline.sop.views import stale_lines

    with register.reading():
        stale = list(stale_lines(config, register, Procedure(config.steps), Clock(config.timezone)))
    return [
        Problem(
            "ringkasan_diubah",
            config.register_name,
            f"Ringkasan kasus {kasus} yang tersimpan di register berbeda dari catatan kasusnya (diubah di "
            "luar pipeline). Periksa siapa yang mengubahnya; ringkasan itu dibuat ulang dengan "
            "\u201cpipeline rebuild-register\u201d.",
        )
        for kasus in stale
    ]


def _code_pages(config: Config, register: SqlRegister) -> list[Problem]:
    """Nothing in ``outbox/status/kode/`` but the pages of codes the register issued: a page planted
    there would answer "SAH" for a document the office never made."""
    from pipeline.documents.codes import normalise
    from pipeline.documents.proof import key, strays

    problems = []
    for item in strays(
        config.outbox / "status" / "kode", key(config.archive, create=False), [c.kode for c in register.codes()]
    ):
        rel = relative(item, config.root)
        code = normalise(item.name) if item.is_dir() else None
        if code and register.code(code):
            problems.append(
                Problem(
                    "halaman_tak_dikenal",
                    rel,
                    (
                        f"Folder {rel} adalah halaman verifikasi bentuk lama yang dinamai dengan kodenya, sehingga kode "
                        "dokumen dapat didaftar oleh siapa pun. Hapus folder itu."
                    ),
                )
            )
        else:
            problems.append(
                Problem(
                    "halaman_tak_dikenal",
                    rel,
                    (
                        f"Halaman {rel} ada di folder halaman verifikasi tetapi bukan halaman kode yang diterbitkan register; "
                        "halaman itu dapat menyatakan sah dokumen yang tidak pernah dibuat. Hapus halaman itu dan periksa "
                        "siapa yang menaruhnya."
                    ),
                )
            )
    return problems


def _log_files(config: Config, log: RegisterLog) -> list[Problem]:
    """Nothing but the log's own records may lie in its folder."""
    problems = []
    for path in log.files():
        rel = relative(path, config.root)
        group, name = path.parent.name, path.name
        if not (
            len(group) == 6
            and group.isdigit()
            and name.endswith(".json")
            and name[:-5].isdigit()
            and path.parent.parent == log.root
        ):
            problems.append(
                Problem(
                    "berkas_tak_dikenal",
                    rel,
                    f"Berkas {rel} ada di folder catatan register tetapi bukan catatan register.",
                )
            )
    return problems


def _files(config: Config, filed: list[Filed]) -> list[Problem]:
    problems = []
    for label, berkas, digests in filed:
        for name, stored in sorted(berkas.items()):
            path, rel = locate(config, stored), shown(config, stored)
            if not path.is_file():
                problems.append(Problem("berkas_hilang", rel, f"{label}: berkas {rel} tidak ditemukan di arsip."))
            elif sha256_file(path) != digests.get(name):
                problems.append(
                    Problem("berkas_berubah", rel, f"{label}: berkas {rel} telah berubah sejak diarsipkan.")
                )
    return problems


def _strays(config: Config, register: SqlRegister, filed: list[Filed]) -> list[Problem]:
    """Folders no record files, and files in filed folders that no record names."""
    problems = []
    known_files = {archive_key(rel) for _, berkas, _ in filed for rel in berkas.values()}
    known_folders = {key.rsplit("/", 1)[0] for key in known_files if key}
    for pattern in FILED_FOLDERS:
        for folder in sorted(config.archive.glob(pattern)):
            rel = relative(folder, config.root)
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            if folder.relative_to(config.archive).as_posix() not in known_folders:
                problems.append(Problem("folder_tak_dikenal", rel, f"Folder arsip {rel} tidak tercatat di register."))
                continue
            for item in sorted(folder.iterdir()):
                item_rel, key = relative(item, config.root), item.relative_to(config.archive).as_posix()
                if item.is_dir() and (item.name == "dokumen" or key in known_folders):
                    continue
                if key not in known_files:
                    problems.append(
                        Problem(
                            "berkas_tak_dikenal",
                            item_rel,
                            f"Berkas {item_rel} ada di folder arsip tetapi tidak tercatat di register.",
                        )
                    )
    return problems


def _anchors(config: Config, filed: list[Filed], chain: dict[int, str]) -> list[Problem]:
    """The chain head each metadata.json recorded must be the log's own record of that number."""
    problems = []
    for label, berkas, _ in filed:
        stored = berkas.get("metadata.json")
        if not stored:
            continue
        rel = shown(config, stored)
        anchor = _anchor(locate(config, stored))
        if anchor and anchor.get("urut") and chain.get(anchor["urut"]) != anchor.get("hash"):
            problems.append(
                Problem(
                    "jangkar_rantai",
                    rel,
                    (
                        f"{label}: rantai register yang tercatat di {rel} (nomor {anchor['urut']}) tidak cocok dengan "
                        "catatan register di arsip; catatan register telah diubah."
                    ),
                )
            )
    return problems


def _anchor(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("rantai")
    except (OSError, ValueError, AttributeError):
        return None


VALID, REPLACED, VOID, UNKNOWN = CodeStatus
_SAYS = {
    VALID: "Dokumen ini sah: tercatat di register dan isinya sama dengan yang diarsipkan.",
    REPLACED: "Dokumen ini tercatat, tetapi sudah diganti dengan versi yang lebih baru. Pakai versi terbaru.",
    VOID: "Nomor surat dokumen ini telah dibatalkan; dokumen ini tidak berlaku.",
    UNKNOWN: "Kode ini tidak tercatat di register. Periksa kembali penulisannya; bila benar, dokumen ini "
    "tidak dibuat oleh {organisasi}.",
}
# The keys ``verify --kode --json`` shows, in order; a code the register does not know has no
# document kind nor date.
_KNOWN_KEYS = (
    "kode",
    "status",
    "kasus",
    "dokumen",
    "jenis",
    "nomor",
    "sha256",
    "dibuat",
    "utuh",
    "pesan",
    "isi",
    "periksa",
)
_UNKNOWN_KEYS = ("kode", "status", "kasus", "dokumen", "nomor", "sha256", "utuh", "pesan", "isi", "periksa")


@dataclass(frozen=True)
class CodeCheck:
    """What a printed document's code says (``verify --kode``, the verification pages)."""

    kode: str
    status: CodeStatus
    pesan: str
    kasus: str | None = None
    dokumen: str | None = None
    jenis: str | None = None
    nomor: str | None = None
    sha256: str | None = None
    dibuat: str | None = None
    utuh: bool = False
    isi: dict | None = None  # what the genuine document says (``proof.content``)
    periksa: str | None = None  # how to compare it with the paper in hand

    @property
    def genuine(self) -> bool:
        """A valid code whose archived file is intact: the only answer ``verify --kode`` exits 0 for."""
        return self.status == CodeStatus.VALID and self.utuh

    def to_json(self) -> dict:
        """As ``verify --kode --json`` shows it."""
        keys = _UNKNOWN_KEYS if self.status == CodeStatus.UNKNOWN else _KNOWN_KEYS
        return {key: getattr(self, key) for key in keys}


def check_code(config: Config, register: SqlRegister, typed: str) -> CodeCheck:
    """What a printed document's code says: status, case, document, number, SHA-256, and what the
    genuine document says (``isi``) for the reader to compare with the paper (``periksa``)."""
    from pipeline.documents.codes import normalise
    from pipeline.documents.proof import COMPARE, content

    code = normalise(typed)
    found = register.code(code) if code else None
    if found is None:
        return CodeCheck(
            kode=code or str(typed),
            status=UNKNOWN,
            pesan=_SAYS[UNKNOWN].format(organisasi=config.organisation["short_name"]),
        )
    path = locate(config, f"{found.folder}/{found.berkas}")
    intact = path.is_file() and sha256_file(path) == found.sha256
    letter = register.letter_in(found.folder)
    status = VOID if letter and letter.batal else REPLACED if register.newer_code(found) else VALID
    memo = register.incoming(found.kasus) if found.kasus else None
    message = _SAYS[status]
    if not intact:
        message += " Namun berkas arsipnya hilang atau berubah; laporkan kepada pengelola arsip."
    return CodeCheck(
        kode=found.kode,
        status=status,
        kasus=found.kasus,
        dokumen=shown(config, f"{found.folder}/{found.berkas}"),
        jenis=found.jenis,
        nomor=letter.nomor_surat if letter else (memo.nomor_agenda if memo else None),
        sha256=found.sha256,
        dibuat=found.dibuat,
        utuh=intact,
        pesan=message,
        isi=content(config, register, found),
        periksa=COMPARE,
    )
