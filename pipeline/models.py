"""Dataclasses passed between the stages."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Inbound:
    """A file claimed from the inbox into the work folder."""

    path: Path  # where it lies now (the work folder)
    name: str  # the name staff gave it in the inbox (made safe to store, see intake.safe_name)
    sha256: str
    size: int
    mtime_ns: int = 0  # as claimed: a later change means its writer was not done


@dataclass(frozen=True)
class Parsed:
    """What a reader made of a file: its kind, format and raw fields."""

    kind: str  # nota_dinas | registrasi | tindakan | pindaian
    fmt: str  # docx | doc | yaml | csv | pdf | jpg | png
    fields: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # field -> where it was read, when not the format's text


@dataclass(frozen=True)
class Memo:
    """The header of an incoming Nota Dinas, validated and cleaned."""

    nomor: str
    tanggal: dt.date
    dari: str
    hal: str
    kepada: str = ""
    sifat: str = "Biasa"
    lampiran: str = ""
    tembusan: str = ""
    unit: str = ""
    tte_masuk: tuple[
        Any, ...
    ] = ()  # its electronic signatures as judged (incoming_signatures), never read from the letter

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> "Memo":
        names = cls.__dataclass_fields__.keys() - {"tte_masuk"}
        values: dict[str, Any] = {k: (v if v is not None else "") for k, v in fields.items() if k in names}
        return cls(**values)


@dataclass
class Outcome:
    """What became of one inbox file in one pass, for the CLI to report."""

    name: str
    hasil: str  # diterima | ditolak | duplikat | diabaikan | menunggu
    jenis: str = ""
    kasus: str = ""
    alasan: list[str] = field(default_factory=list)
    detail: str = ""
    klaim: str = ""
    released: bool = False  # put back in the inbox, to be tried again later
