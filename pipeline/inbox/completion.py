"""Complete, never alter: a letter that cannot be registered as it stands waits in
inbox/lengkapi/, unchanged, beside a prefilled draft sidecar ``<stem>.yaml``.

Staff check or complete the draft and save it into inbox/ under the same name; the
pipeline then fetches the original from inbox/lengkapi/ itself and files both together,
as a YAML sidecar and its scan are filed (docs/inputs.md, "Complete, never alter").
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from pipeline import readers
from pipeline.errors import ArchiveError, IncompleteLetter, os_reason
from pipeline.filing.archive import relative, sha256_file
from pipeline.formats import waktu
from pipeline.inbox import intake
from pipeline.sop import memo
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.models import Inbound
    from pipeline.register.records import JournalEntry
    from pipeline.register.sql import SqlRegister

MARK = "# DRAF NOTA DINAS UNTUK DILENGKAPI"
YAML_SUFFIXES = (".yaml", ".yml")
FIELDS = ("nomor", "tanggal", "dari", "kepada", "sifat", "lampiran", "hal", "tembusan")
REQUIRED = ("nomor", "tanggal", "dari", "hal")
_LABELS = {
    "nomor": "Nomor",
    "tanggal": "Tanggal",
    "dari": "Dari",
    "kepada": "Kepada",
    "sifat": "Sifat",
    "lampiran": "Lampiran",
    "hal": "Hal",
    "tembusan": "Tembusan",
}
_WHAT = {
    "nomor": "isi dengan nomor surat persis seperti tertulis pada surat, misalnya 005/123/ULP/2026.",
    "tanggal": "isi dengan tanggal surat, misalnya 7 Oktober 2026 atau 2026-10-07.",
    "dari": "isi dengan jabatan pengirim seperti tertulis pada surat, misalnya Kepala ULP Biro Umum.",
    "hal": "isi dengan hal (perihal) surat seperti tertulis pada surat.",
    "kepada": "tidak wajib; isi dengan tujuan surat bila surat menyebutnya.",
    "sifat": "tidak wajib; pilihannya Sangat Segera, Segera, Rahasia atau Biasa (kosong berarti Biasa).",
    "lampiran": "tidak wajib; isi bila surat menyebut lampirannya.",
    "tembusan": "tidak wajib; isi bila surat menyebut tembusannya.",
}


def is_yaml(name: str) -> bool:
    return name.lower().endswith(YAML_SUFFIXES)


def holds(config: Config, register: SqlRegister, inbounds: Sequence[Inbound]) -> bool:
    """True when an incomplete group waits for completion rather than being refused: a letter read
    by itself, or a letter that was already waiting with a YAML that still lacks a field. A YAML
    typed by staff (alone, or beside a scan from the inbox) is their own data: refused to be fixed."""
    letters = [i for i in inbounds if not is_yaml(i.name)]
    if not letters:
        return False
    if len(letters) == len(inbounds):
        return True
    if any(_is_draft(config.completion_dir / i.name) for i in inbounds if is_yaml(i.name)):
        return True  # its draft still lies in inbox/lengkapi/
    earlier = register.last_journal(letters[0].sha256)
    return earlier is not None and earlier.hasil == Hasil.WAITING and held_at(config, earlier.lokasi)


def held_at(config: Config, lokasi: str) -> bool:
    """True when a journal location lies in inbox/lengkapi/."""
    if not lokasi or lokasi == "inbox":
        return False
    return (config.root / lokasi).parent.resolve() == config.completion_dir.resolve()


def places(config: Config, inbounds: Sequence[Inbound]) -> dict[str, Path]:
    """Where each file of a waiting group goes: the letter under a name whose ``.yaml`` is free
    too (a draft left without its letter may be replaced), a YAML of the group as its draft."""
    folder = config.completion_dir
    letter = next(i for i in inbounds if not is_yaml(i.name))
    stem, suffix = Path(letter.name).stem, Path(letter.name).suffix
    candidate, counter = stem, 2
    while (folder / (candidate + suffix)).exists() or _taken_draft(folder / (candidate + ".yaml")):
        candidate, counter = f"{stem} ({counter})", counter + 1
    return {i.name: folder / (candidate + (".yaml" if is_yaml(i.name) else suffix)) for i in inbounds}


def _taken_draft(path: Path) -> bool:
    """A YAML that holds a name: any but a pipeline draft whose letter is gone."""
    if not path.exists():
        return False
    return not (_is_draft(path) and original_for_stem(path.parent, path.stem) is None)


def _is_draft(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.readline().startswith(MARK)
    except OSError:
        return False


def reasons(config: Config, error: IncompleteLetter, placed: Mapping[str, Path]) -> list[str]:
    """The journal's reasons: what could not be read, then where the letter waits and what to do."""
    letter = next(path for name, path in placed.items() if not is_yaml(name))
    draft = letter.with_suffix(".yaml")
    return [
        *error.reasons,
        (
            f"Surat menunggu dilengkapi: surat disimpan tanpa diubah di {relative(letter, config.root)} dan draf "
            f"isiannya di {relative(draft, config.root)}. Periksa dan lengkapi draf itu, lalu simpan di folder "
            f"inbox dengan nama {draft.name}; surat aslinya tidak perlu diubah atau dipindahkan."
        ),
    ]


def settle(config: Config, inbound: Inbound, entry: JournalEntry, inbounds: Sequence[Inbound]) -> None:
    """Move one file of a waiting group to inbox/lengkapi/ (a lone letter after its draft is written);
    safe to repeat after a crash: the draft is written whole again, the move is one rename."""
    target = config.root / entry.lokasi
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not is_yaml(inbound.name) and not any(is_yaml(i.name) for i in inbounds):
            write_draft(target.with_suffix(".yaml"), draft_text(config, inbound, entry))
        os.replace(inbound.path, target)
    except OSError as exc:
        raise ArchiveError(
            f"Surat tidak dapat dipindahkan ke {relative(target.parent, config.root)}: {os_reason(exc)}."
        ) from None


def write_draft(path: Path, text: str) -> None:
    """Write the draft whole: under a hidden name, then renamed into place."""
    temp = path.with_name(f".{path.name}.part")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def draft_text(config: Config, inbound: Inbound, entry: JournalEntry) -> str:
    """The draft sidecar of a letter: a header saying what to do, then every field, each with where
    it came from or what to fill (the letter is read again: the same reading gives the same draft)."""
    error = _reading(config, inbound)
    lines = [
        MARK,
        f"# Surat asli: {Path(entry.lokasi).name} (di folder yang sama, disimpan tanpa diubah).",
        "# Pipeline belum dapat mendaftarkan surat ini:",
    ]
    lines += [f"#   - {_line(reason)}" for reason in error.reasons]
    lines += [
        "# Langkah selanjutnya:",
        "#   1. Periksa setiap isian di bawah terhadap surat aslinya dan lengkapi isian yang kosong.",
        f"#   2. Simpan berkas ini di folder inbox dengan nama {Path(entry.lokasi).stem}.yaml.",
        "#      Pipeline mengambil surat aslinya dari folder ini sendiri, lalu mendaftarkan keduanya.",
        "#   Surat aslinya tidak perlu diubah, dipindahkan atau diletakkan lagi di inbox.",
        "jenis: nota_dinas",
    ]
    for key in FIELDS:
        lines += _field_lines(key, error)
    return "\n".join(lines) + "\n"


def _reading(config: Config, inbound: Inbound) -> IncompleteLetter:
    """What reading the letter gives, as an IncompleteLetter (fields, sources, problems)."""
    try:
        memo.read_memo(readers.read_letter(inbound.path, config.limits, inbound.name, config.ocr), inbound.name)
    except IncompleteLetter as exc:
        return exc
    except Exception as exc:  # noqa: BLE001 - a letter that cannot be read again still gets a draft
        return IncompleteLetter([f"Surat tidak dapat dibaca ({type(exc).__name__})."])
    return IncompleteLetter([])


def _field_lines(key: str, error: IncompleteLetter) -> list[str]:
    """One field of the draft: a comment, then ``key: value`` (empty where nothing usable was read)."""
    value = error.fields.get(key)
    value = "" if value is None else _line(str(value))
    label = _LABELS[key]
    if key in error.problems:
        read = f" Terbaca: \u201c{value}\u201d." if value else ""
        comment = f"# {label} PERLU DIISI: {_line(error.problems[key])}{read} Cara mengisi: {_WHAT[key]}"
        value = ""
    elif value:
        comment = f"# {label}: dibaca dari {error.sources.get(key, 'teks surat')}; periksa terhadap surat aslinya."
    elif key in REQUIRED:
        comment = f"# {label} PERLU DIISI: {_WHAT[key]}"
    else:
        comment = f"# {label}: {_WHAT[key]}"
    return [comment, yaml.safe_dump({key: value}, allow_unicode=True, width=1_000_000).rstrip("\n")]


def _line(text: object) -> str:
    return " ".join(str(text).split())


def original_for(config: Config, sidecar: Path, content: Path | None = None) -> Path | None:
    """The waiting letter a YAML memo saved into the inbox completes: same stem, in inbox/lengkapi/.
    ``content``: where the YAML lies now, when already claimed into the work folder."""
    if readers.priority(content or sidecar) != 0:
        return None  # not a nota_dinas YAML
    found = original_for_stem(config.completion_dir, sidecar.stem)
    if found is None and _is_draft(content or sidecar):  # staff moved the letter back too
        found = next(
            (path for path in map(sidecar.with_suffix, (".docx", ".doc", ".DOCX", ".DOC")) if intake.is_regular(path)),
            None,
        )
    return found


def original_for_stem(folder: Path, stem: str) -> Path | None:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return None
    for path in entries:
        if path.stem == stem and not is_yaml(path.name) and intake.is_regular(path) and not intake.ignored(path.name):
            return path
    return None


def waiting_copy(config: Config, inbounds: Sequence[Inbound]) -> str | None:
    """The reason to set aside a letter already waiting in inbox/lengkapi/ (same SHA-256), else None:
    a letter dropped again is never drafted twice."""
    for inbound in inbounds:
        if is_yaml(inbound.name):
            continue
        for path, _draft, _since in waiting(config):
            if path.stat().st_size == inbound.size and sha256_file(path) == inbound.sha256:
                draft = path.with_suffix(".yaml")
                return (
                    f"Surat yang sama persis sudah menunggu dilengkapi di {relative(path, config.root)}. "
                    f"Lengkapi draf {relative(draft, config.root)}, lalu simpan di folder inbox dengan "
                    f"nama {draft.name}. Berkas ini tidak diproses lagi."
                )
    return None


def waiting(config: Config) -> list[tuple[Path, Path | None, float]]:
    """Letters waiting in inbox/lengkapi/: (letter, its draft or None, since when), oldest first."""
    found: list[tuple[Path, Path | None, float]] = []
    try:
        entries = list(config.completion_dir.iterdir())
    except OSError:
        return found
    for path in entries:
        if is_yaml(path.name) or intake.ignored(path.name) or not intake.is_regular(path):
            continue
        beside = path.with_suffix(".yaml")
        draft = beside if beside.is_file() else None  # the draft is written when the letter is set aside
        found.append((path, draft, (draft or path).stat().st_mtime))
    return sorted(found, key=lambda item: (item[2], item[0].name))


def describe_waiting(config: Config) -> list[str]:
    """One line per waiting letter, as ``status`` and the status site show it."""
    return [
        f"{path.name}: menunggu dilengkapi sejak {waiting_since(config, since)}; draf "
        f"{relative(draft, config.root) if draft else '(belum ada)'}"
        for path, draft, since in waiting(config)
    ]


def waiting_since(config: Config, mtime: float) -> str:
    return waktu(dt.datetime.fromtimestamp(mtime, config.timezone).isoformat(timespec="seconds"), config.timezone)


def drop_draft(config: Config, inbound: Inbound) -> None:
    """After its letter is filed, the pipeline's draft left in inbox/lengkapi/ is removed (the
    completed copy staff saved into the inbox is what is archived)."""
    if not is_yaml(inbound.name):
        return
    draft = config.completion_dir / inbound.name
    if _is_draft(draft) and original_for_stem(config.completion_dir, draft.stem) is None:
        draft.unlink(missing_ok=True)
