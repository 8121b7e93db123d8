"""Typed records the register hands out; the rest of the code never sees rows.

Field names are the register's own Indonesian words, the same keys
``--json`` prints (docs/architecture.md, "The register").
"""

from dataclasses import dataclass, field

from pipeline.states import CaseStatus, InputStatus, NoticeStatus, StepStatus


@dataclass(frozen=True)
class JournalEntry:
    """What became of one file taken from the inbox."""

    berkas: str
    sha256: str
    ukuran: int
    diterima: str
    hasil: str  # diterima | ditolak | duplikat | diabaikan | menunggu
    jenis: str = ""
    kasus: str = ""
    alasan: tuple = ()
    lokasi: str = ""
    klaim: str = ""


@dataclass(frozen=True)
class AgendaEntry:
    """One line of the agenda surat masuk or surat keluar."""

    buku: str  # masuk | keluar
    tahun: int
    nomor_urut: int
    nomor_surat: str
    tanggal_surat: str
    hal: str
    nomor_agenda: str | None = None
    diterima: str | None = None
    dikirim: str | None = None
    dari: str = ""
    kepada: str = ""
    sifat: str = "Biasa"
    lampiran: str = ""
    tembusan: str = ""
    kasus: str = ""
    folder: str = ""
    berkas: dict = field(default_factory=dict)
    sha256: dict = field(default_factory=dict)
    batal: bool = False
    keterangan: str = ""
    kunci: str = ""  # nomor and dari without case and spaces (masuk), to know the same memo again
    alasan_batal: str = ""  # keluar: why the number was voided
    batal_oleh: str = ""  # keluar: who voided the number (account and name)
    batal_waktu: str | None = None
    ditandatangani: str | None = None  # keluar: when the letter was signed
    ditandatangani_oleh: str = ""
    tte_masuk: tuple = ()  # masuk: the letter's electronic signatures as judged on arrival (incoming_signatures)


@dataclass(frozen=True)
class Case:
    """One incoming memo's journey through the SOP."""

    id: str
    rujukan: str
    unit: str
    dibuka: str
    status: str = CaseStatus.RUNNING  # berjalan | tertahan | selesai (CaseStatus)


@dataclass(frozen=True)
class StepRecord:
    """How far one step of one case got, matched to the step table by key."""

    kasus: str
    key: str
    status: str = StepStatus.WAITING  # menunggu | berjalan | selesai (StepStatus)
    mulai: str | None = None
    selesai: str | None = None
    oleh: str = ""
    dokumen: tuple = ()
    catatan: str = ""
    temuan: tuple = ()
    masukan: int | None = None  # the registration data the step last judged


@dataclass(frozen=True)
class KeptInput:
    """Registration data or an action, archived and kept until its step applies it."""

    id: int
    jenis: str  # registrasi | tindakan
    langkah: str
    rujukan: str
    kasus: str
    diterima: str
    data: dict
    folder: str = ""
    berkas: dict = field(default_factory=dict)
    sha256: dict = field(default_factory=dict)
    status: str = InputStatus.WAITING  # menunggu | diterapkan | digantikan | dibatalkan (InputStatus)
    diterapkan: str | None = None
    klaim: str = ""
    dasar: int = 0  # a decision: the newest registration of its case when it came (what it saw)
    catatan: str = ""  # why it was superseded or made void

    @property
    def files(self) -> list[str]:
        """The names staff gave the kept files."""
        return [name[5:] for name in self.berkas if name.startswith("asli_")]


@dataclass(frozen=True)
class Document:
    """One version of a case document, filed in the case's dokumen/ folder."""

    kasus: str
    langkah: int
    jenis: str
    versi: int
    dibuat: str
    folder: str
    berkas: dict = field(default_factory=dict)
    sha256: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    """Something that happened to a case, in the order it happened."""

    waktu: str
    kasus: str
    oleh: str
    aksi: str
    rincian: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Code:
    """A verification code printed on one generated document."""

    kode: str
    kasus: str
    jenis: str
    folder: str
    berkas: str  # the file's name in its folder
    sha256: str
    dibuat: str
    rantai: str  # the chain head the code was drawn from


@dataclass(frozen=True)
class OwedPdf:
    """A filed .docx whose PDF is made later (docs/architecture.md, "PDF"), with its attempts."""

    folder: str
    berkas: str  # the .docx the PDF is made from
    kasus: str
    keluaran: str  # its outbox copy, relative to the outbox ('' for none)
    diminta: str
    percobaan: int = 0
    berikutnya: str = ""  # not tried again before this time ('' for at once)
    galat: str = ""

    @property
    def pdf(self) -> str:
        """The PDF's file name, beside the .docx."""
        return self.berkas.rsplit(".", 1)[0] + ".pdf"


@dataclass(frozen=True)
class Notice:
    """An e-mail owed to (or sent to) one official because a case waits for a decision of theirs
    at one step since ``sejak`` (docs/architecture.md, "Officials told"), with its attempts."""

    kasus: str
    langkah: str  # the step's key
    akun: str
    sejak: str  # when the step began to wait (its record's mulai): a wait after a tolak is a new notice
    alamat: str
    dicatat: str  # when the notice became due
    status: str = NoticeStatus.DUE  # menunggu | terkirim | usang (NoticeStatus)
    dikirim: str | None = None
    percobaan: int = 0
    berikutnya: str = ""  # not tried again before this time ('' for at once)
    galat: str = ""  # why the last attempt failed
    klaim: str = ""  # the process sending it now (host and process), '' when none
