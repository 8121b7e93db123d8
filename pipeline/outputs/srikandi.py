"""The SRIKANDI bundle: what staff upload by hand to ANRI's national e-office.

SRIKANDI is the mandated system of record and has no public API, so
``pipeline export srikandi [KASUS] DIR`` writes, per sent letter, a folder
holding the signed letter and the fields SRIKANDI's registration form asks
(jenis naskah, nomor, tanggal, sifat, klasifikasi, hal, tujuan,
penandatangan) as ``isian-srikandi.txt`` for a person and
``isian-srikandi.json`` for a program, plus ``daftar-kiriman.csv`` over the
whole bundle (docs/architecture.md, "The SRIKANDI bundle").
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import ExportError, PipelineError, os_reason
from pipeline.fields import format_nip
from pipeline.filing.archive import locate, sha256_file, within
from pipeline.filing.klasifikasi import of_outgoing
from pipeline.letters.signed_copies import SCANS
from pipeline.register.keys import letter_key

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pipeline.config import Config
    from pipeline.register.records import AgendaEntry
    from pipeline.register.sql import SqlRegister

JENIS_NASKAH = "Nota Dinas"
SIGNED_COPIES = ("surat_tte", "surat_ttd")
FIELDS = (
    ("jenis_naskah", "Jenis Naskah"),
    ("nomor", "Nomor"),
    ("tanggal", "Tanggal"),
    ("sifat", "Sifat"),
    ("klasifikasi", "Klasifikasi"),
    ("klasifikasi_judul", "Judul Klasifikasi"),
    ("hal", "Hal"),
    ("tujuan", "Tujuan"),
    ("penandatangan", "Penandatangan"),
    ("nip_penandatangan", "NIP Penandatangan"),
    ("jabatan_penandatangan", "Jabatan Penandatangan"),
    ("tanda_tangan", "Tanda Tangan"),
    ("tanggal_kirim", "Tanggal Kirim"),
    ("berkas", "Berkas"),
)


@dataclass(frozen=True)
class Item:
    """One sent letter ready for SRIKANDI: its fields and its signed file."""

    key: str
    fields: dict[str, Any]
    source: Path


@dataclass(frozen=True)
class Skipped:
    """A sent letter that cannot go to SRIKANDI yet, and why."""

    nomor: str
    alasan: str


def klasifikasi(pattern: str) -> str:
    """The archival classification code that opens the outgoing number format (``027`` of
    ``027/{nomor}/Pusdatinkomtel/{tahun}``, as Kemendagri numbers letters); empty when it does not."""
    head = pattern.split("/", 1)[0].strip()
    return head if head and "{" not in head else ""


def signed_file(config: Config, register: SqlRegister, letter: AgendaEntry) -> tuple[Path, str] | tuple[None, None]:
    """(path, how it was signed) of the signed form of a letter SRIKANDI should hold, or (None, None):
    an electronic signature before ink, and of each the newest."""
    from pipeline.letters.signing import has_signature

    copies = [
        d for d in register.documents(letter.kasus) if d.jenis in SIGNED_COPIES and within(d.folder, letter.folder)
    ]
    electronic = [d for d in copies if d.jenis == "surat_tte"]
    own = register.letter_pdf(letter)
    if not electronic and own and letter.ditandatangani and has_signature(locate(config, own)):
        return locate(config, own), "elektronik (sertifikat instansi)"
    chosen_copies = electronic or copies
    if not chosen_copies:
        return None, None
    newest = max(chosen_copies, key=lambda d: (d.versi, d.dibuat))
    files = sorted(
        rel for name, rel in newest.berkas.items() if name.startswith("asli_") and name.lower().endswith(SCANS)
    )
    chosen = next((rel for rel in files if rel.lower().endswith(".pdf")), files[0] if files else None)
    how = "elektronik (BSrE)" if newest.jenis == "surat_tte" else "basah (pindaian)"
    return (locate(config, chosen), how) if chosen else (None, None)


def one_case(register: SqlRegister, kasus: str) -> str:
    """The id of the one case ``kasus`` names (its id or its memo's nomor); PipelineError when
    it names none or several."""
    found = register.find_cases(kasus)
    if len(found) != 1:
        raise PipelineError(
            f"Kasus \u201c{kasus}\u201d tidak ditemukan (atau cocok dengan lebih dari satu "
            "kasus; tulis nomor kasusnya)."
        )
    return found[0].id


def collect(
    config: Config, register: SqlRegister, kasus: str | None = None
) -> tuple[list[Item], list[Skipped], list[str]]:
    """The sent letters (of ``kasus`` when given) as Items, and those that cannot go yet, with why."""
    from pipeline.formats import tanggal

    kapus = config.officials["kapus"]
    items: list[Item] = []
    skipped: list[Skipped] = []
    voided: list[str] = []
    for letter in register.agenda("keluar"):
        if letter.batal:
            voided.append(letter_key(letter.nomor_surat))
        if (kasus and letter.kasus != kasus) or letter.batal or not letter.dikirim:
            continue
        path, how = signed_file(config, register, letter)
        if path is None or not path.is_file():
            skipped.append(
                Skipped(
                    letter.nomor_surat,
                    (
                        "belum ada salinan bertanda tangan di arsip. Pindai Nota Dinas yang sudah ditandatangani dan "
                        "letakkan di inbox dengan nama sesuai nomornya, lalu ekspor lagi."
                    ),
                )
            )
            continue
        key = letter_key(letter.nomor_surat)
        code = of_outgoing(letter.nomor_surat, config.numbering["surat_keluar"])
        fields = {
            "jenis_naskah": JENIS_NASKAH,
            "nomor": letter.nomor_surat,
            "tanggal": tanggal(letter.tanggal_surat),
            "sifat": letter.sifat or "Biasa",
            "klasifikasi": code["kode"],
            "klasifikasi_judul": code["judul"],
            "hal": letter.hal,
            "tujuan": letter.kepada,
            "penandatangan": kapus.nama,
            "nip_penandatangan": format_nip(kapus.nip),
            "jabatan_penandatangan": kapus.jabatan,
            "tanda_tangan": how,
            "tanggal_kirim": tanggal(letter.dikirim),
            "berkas": f"{key}{path.suffix.lower()}",
            "tanggal_iso": letter.tanggal_surat[:10],
            "tanggal_kirim_iso": letter.dikirim[:10],
            "kasus": letter.kasus,
            "sha256": sha256_file(path),
        }
        items.append(Item(key, fields, path))
    return items, skipped, voided


def write(items: list[Item], target: Path, voided: Iterable[str] = ()) -> list[Path]:
    """Write the bundle into ``target``: a folder per letter, each made whole before it appears. The
    folder of a letter voided since an earlier export leaves the bundle: it must not be uploaded."""
    try:
        return _write(items, target, voided)
    except OSError as exc:
        raise ExportError(
            f"Bahan unggahan SRIKANDI tidak dapat ditulis di {target} ({os_reason(exc)}). Pilih "
            "folder lain yang dapat ditulis."
        ) from None


def _write(items: list[Item], target: Path, voided: Iterable[str]) -> list[Path]:
    if not items and not target.is_dir():
        return []
    target.mkdir(parents=True, exist_ok=True)
    for key in voided:
        if (target / key / "isian-srikandi.json").is_file():
            shutil.rmtree(target / key)
    for item in items:
        temp = target / f".{item.key}.{uuid.uuid4().hex[:8]}.tmp"
        temp.mkdir()
        try:
            shutil.copyfile(item.source, temp / item.fields["berkas"])
            (temp / "isian-srikandi.json").write_text(
                json.dumps(item.fields, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            (temp / "isian-srikandi.txt").write_text(_form(item.fields), encoding="utf-8")
            _replace(temp, target / item.key)
        finally:
            shutil.rmtree(temp, ignore_errors=True)
    _index(target, target / "daftar-kiriman.csv")
    return [target / item.key for item in items]


def _form(fields: dict[str, Any]) -> str:
    width = max(len(label) for _, label in FIELDS)
    lines = [f"{label.ljust(width)} : {fields[key]}" for key, label in FIELDS]
    return (
        "Isian registrasi naskah keluar SRIKANDI\n\n" + "\n".join(lines) + f"\n\nSHA-256 berkas: {fields['sha256']}\n"
        "Unggah berkas di folder ini pada SRIKANDI dan salin isian di atas ke formulir registrasinya.\n"
    )


def _replace(temp: Path, final: Path) -> None:
    """Put a fresh folder where an older export of the same letter may lie."""
    old = None
    if final.exists():
        old = final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}.lama")
        os.replace(final, old)
    os.replace(temp, final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _index(target: Path, path: Path) -> None:
    """One line per letter folder in the bundle, this export's and earlier ones'."""
    from pipeline.outputs.exports import csv_cell

    found = []
    for form in sorted(target.glob("*/isian-srikandi.json")):
        try:
            found.append((form.parent.name, json.loads(form.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue  # not ours, or damaged: left as it is
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(temp, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow([label for _, label in FIELDS] + ["Folder"])
            for folder, fields in found:
                writer.writerow([csv_cell(str(fields.get(key, ""))) for key, _ in FIELDS] + [folder])
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
