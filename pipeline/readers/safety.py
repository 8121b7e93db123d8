"""Limits checked before any parser touches an input (docs/architecture.md, "Limits").

A .docx is a zip: entry count and uncompressed size are read from the
central directory, which costs nothing, before python-docx opens it.
YAML aliases are counted on the event stream before anything is built.
"""

import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from pipeline.errors import InputRefused

if TYPE_CHECKING:
    from pipeline.config import Limits

MB = 1024 * 1024


def check_size(path: Path, limits: "Limits") -> int:
    """Refuse empty files and files larger than the configured limit."""
    size = path.stat().st_size
    if size == 0:
        raise InputRefused(
            "Berkas kosong (0 bita). Isinya tidak ikut tersalin ke inbox: salin lagi berkas aslinya dari "
            "sumbernya ke inbox; bila berkas ini surat masuk, mintalah kiriman ulang kepada pengirimnya."
        )
    if size > limits.max_file_bytes:
        raise InputRefused(
            f"Ukuran berkas {size / MB:.1f} MB melebihi batas {limits.max_file_bytes / MB:.1f} MB. "
            "Perkecil berkasnya (misalnya pindai ulang dengan resolusi lebih rendah)."
        )
    return size


def check_zip(path: Path, limits: "Limits") -> None:
    """Refuse zips that are broken or would expand past the limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputRefused(
            "Berkas rusak atau bukan dokumen Word (.docx) yang utuh, sehingga tidak dapat dibaca. "
            "Bila berkas ini surat masuk, mintalah kiriman ulang berkas aslinya kepada pengirimnya dan "
            "letakkan kiriman itu di inbox."
        ) from None
    if len(entries) > limits.max_zip_entries:
        raise InputRefused(
            f"Dokumen berisi {len(entries)} bagian, melebihi batas {limits.max_zip_entries}. "
            "Berkas ini tidak diproses demi keamanan; minta pengirim mengirim ulang dokumennya."
        )
    expanded = sum(entry.file_size for entry in entries)
    if expanded > limits.max_zip_uncompressed_bytes:
        raise InputRefused(
            f"Isi dokumen bila dibuka berukuran {expanded / MB:.0f} MB, melebihi batas "
            f"{limits.max_zip_uncompressed_bytes / MB:.0f} MB. Berkas ini tidak diproses demi "
            "keamanan; minta pengirim mengirim ulang dokumennya tanpa gambar besar."
        )


def load_yaml(text: str, limits: "Limits") -> Any:
    """``yaml.safe_load`` after counting aliases, so alias bombs are refused cheaply."""
    try:
        aliases, records = 0, 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > limits.max_yaml_aliases:
                    raise InputRefused(
                        f"Berkas YAML memakai lebih dari {limits.max_yaml_aliases} alias (*). "
                        "Tuliskan setiap nilai secara langsung tanpa alias."
                    )
            elif isinstance(event, yaml.MappingStartEvent):
                records += 1
                if records > limits.max_yaml_records + 1:  # the document itself is one mapping
                    raise InputRefused(
                        f"Berkas YAML berisi lebih dari {limits.max_yaml_records} butir data. "
                        "Bagi datanya menjadi beberapa berkas."
                    )
        return yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        raise InputRefused(
            "Berkas YAML memuat tag yang tidak diizinkan "
            f"({exc.problem}). Hapus tag yang diawali tanda seru (!) lalu kirim ulang."
        ) from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" pada baris {where.line + 1}" if where else ""
        raise InputRefused(
            f"Berkas YAML tidak dapat dibaca{line}. Periksa titik dua, tanda kutip "
            "dan indentasinya, lalu letakkan kembali di inbox."
        ) from None


def _bad_character(text: str) -> str | None:
    """The first character no document may hold: a lone surrogate, or a control character."""
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF or (code < 32 and ch not in "\t\n\r") or 0x7F <= code <= 0x9F:
            return ch
    return None


def check_text(value: object, where: str = "berkas") -> None:
    """Refuse data holding characters that cannot be stored or printed, naming where."""
    if isinstance(value, str):
        bad = _bad_character(value)
        if bad is not None:
            shown = value.encode("utf-8", "backslashreplace").decode("utf-8")[:60]
            raise InputRefused(
                f"Isian {where} memuat karakter yang tidak sah (U+{ord(bad):04X}): \u201c{shown}\u201d. "
                "Bila berkas ini surat masuk, mintalah kiriman ulang kepada pengirimnya; bila berkas ini data "
                "yang disiapkan petugas, hapus karakter itu (biasanya terbawa dari salinan teks atau pengodean "
                "yang salah), simpan sebagai UTF-8, lalu letakkan di inbox."
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, where)
            check_text(item, f"\u201c{key}\u201d" if isinstance(key, str) and not _bad_character(key) else where)
    elif isinstance(value, (list, tuple)):
        for item in value:
            check_text(item, where)
