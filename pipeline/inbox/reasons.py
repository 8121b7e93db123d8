"""What staff read about an inbox file: the reasons the journal records and the
``.alasan.txt`` beside a file set aside (formal Indonesian, word for word)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.formats import waktu
from pipeline.states import Hasil

if TYPE_CHECKING:
    import datetime as dt

    from pipeline.register.records import JournalEntry


def reason_text(entry: JournalEntry, name: str) -> str:
    """The .alasan.txt a civil servant reads beside a set-aside file."""
    lines = [
        _HEADINGS[entry.hasil],
        "",
        f"Berkas   : {entry.berkas}",
        f"Diterima : {waktu(entry.diterima)}",
        "Alasan   :",
    ]
    lines += [f"  {n}. {reason}" for n, reason in enumerate(entry.alasan, start=1)]
    lines += ["", "Langkah selanjutnya:", "  " + _NEXT[entry.hasil], ""]
    return "\n".join(lines)


def already_accepted(earlier: JournalEntry, zone: dt.tzinfo) -> str:
    """A file whose very content was accepted before."""
    return (
        f"Berkas dengan isi yang sama persis sudah diterima pada {waktu(earlier.diterima, zone)} "
        f"sebagai {earlier.berkas} (kasus {earlier.kasus or '-'}). Berkas ini tidak diproses lagi."
    )


def already_decided(seen: JournalEntry, zone: dt.tzinfo) -> str:
    """An action file refused or voided before, put back in the inbox."""
    return (
        f"Berkas tindakan yang sama persis sudah diproses pada {waktu(seen.diterima, zone)} "
        f"({seen.hasil}). "
        "Tindakan tidak dicatat dua kali dari berkas yang sama; bila memang perlu dicatat lagi, buat "
        "berkas tindakan baru atau pakai \u201cpipeline act\u201d."
    )


def unexpected_content(error: Exception) -> str:
    """Judging a file failed on something no rule foresaw."""
    return (
        f"Berkas tidak dapat diproses karena isinya tidak terduga ({type(error).__name__}), misalnya "
        "karakter yang tidak lazim atau angka yang terlalu besar. Bila berkas ini surat masuk, laporkan "
        "kepada pengelola sistem dengan menyertakan log layanan; bila berkas ini data yang disiapkan "
        "petugas, periksa isinya lalu letakkan versi yang sudah diperiksa di inbox."
    )


def unreadable(error: Exception) -> str:
    """A reader broke on the file (a hostile or damaged file)."""
    return (
        f"Berkas tidak dapat dibaca ({type(error).__name__}). Bila berkas ini surat masuk, mintalah "
        "kiriman ulang berkas aslinya kepada pengirimnya; bila berkas ini data yang disiapkan petugas, "
        "simpan lagi dari aplikasinya lalu letakkan di inbox."
    )


def unexpected_fault(error: Exception) -> str:
    """Settling a group failed on something no rule foresaw: it stays claimed and is tried again."""
    return (
        f"Berkas belum selesai diproses karena galat yang tidak terduga ({type(error).__name__}). Berkas tetap "
        "di folder kerja dan dicoba lagi pada pemrosesan berikutnya; bila terus berulang, laporkan kepada "
        "pengelola sistem dengan menyertakan log layanan."
    )


def stray(where: str, claim_id: str) -> str:
    """A work-folder file its claim's journal does not record."""
    return (
        f"Berkas ini ditemukan di folder kerja {where} dengan nama klaim {claim_id}, tetapi buku agenda "
        "tidak mencatatnya sebagai bagian dari klaim itu, sehingga asal dan isinya tidak dapat dipastikan. "
        "Berkas disisihkan tanpa diubah dan tidak diproses. Bila berkas ini memang surat atau data yang "
        "harus diproses, letakkan kembali di folder inbox."
    )


def waiting_for_sidecar(stem: str) -> str:
    """A scan alone named like an outgoing number."""
    return f"Pindaian menunggu berkas YAML pendamping bernama {stem}.yaml."


_HEADINGS: dict[str, str] = {
    Hasil.REFUSED: "BERKAS DITOLAK",
    Hasil.DUPLICATE: "BERKAS GANDA (SUDAH PERNAH DITERIMA)",
}
_NEXT: dict[str, str] = {
    Hasil.REFUSED: "Surat masuk tidak pernah diubah: bila berkas ini surat masuk, ikuti alasan di atas tanpa "
    "mengubah suratnya. Bila berkas ini data yang disiapkan petugas (YAML, CSV atau Excel), "
    "perbaiki sesuai alasan di atas, lalu letakkan kembali di folder inbox. "
    "Berkas ini disimpan di sini tanpa diubah.",
    Hasil.DUPLICATE: "Tidak perlu tindakan apa pun. Bila berkas ini memang surat baru, periksa "
    "apakah yang terkirim adalah berkas yang benar.",
}
