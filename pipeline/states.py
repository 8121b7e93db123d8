"""The states the register records and the pipeline reports, as enums.

Their values are the Indonesian words the register stores and ``--json``,
the journal and the status site show; a ``StrEnum`` member *is* that
string, so files, JSON and SQL read the same as before.
"""

from enum import StrEnum


class StepStatus(StrEnum):
    """Where one step of a case stands (``steps.status``)."""

    WAITING = "menunggu"
    RUNNING = "berjalan"
    DONE = "selesai"


class CaseStatus(StrEnum):
    """Where a case stands (``cases.status``); ``tertahan``: held, it waits for staff."""

    WAITING = "menunggu"
    RUNNING = "berjalan"
    DONE = "selesai"
    HELD = "tertahan"


class ShownStatus(StrEnum):
    """What the status and site say of a step, beyond what the register records."""

    WAITING = "menunggu"
    RUNNING = "berjalan"
    DONE = "selesai"
    HELD = "tertahan"
    SKIPPED = "dilewati"


class InputStatus(StrEnum):
    """A kept input (registration data, an action): waiting, applied, superseded, voided."""

    WAITING = "menunggu"
    APPLIED = "diterapkan"
    SUPERSEDED = "digantikan"
    VOIDED = "dibatalkan"


class Hasil(StrEnum):
    """What became of one inbox file (the journal's ``hasil``)."""

    ACCEPTED = "diterima"
    REFUSED = "ditolak"
    DUPLICATE = "duplikat"
    IGNORED = "diabaikan"
    WAITING = "menunggu"


class Decision(StrEnum):
    """Decisions an action may carry besides its step's own (``langkah: tolak``)."""

    REJECT = "tolak"


class Verdict(StrEnum):
    """The verdict of one verification check (docs/verification.md)."""

    PASS = "sesuai"
    ERROR = "error"
    WARNING = "peringatan"


class Health(StrEnum):
    """The verdict of one ``pipeline doctor`` check."""

    OK = "baik"
    WARNING = "peringatan"
    ERROR = "galat"


class CodeStatus(StrEnum):
    """What a printed verification code says of its document (``verify --kode``)."""

    VALID = "sah"
    REPLACED = "diganti"
    VOID = "batal"
    UNKNOWN = "tidak_dikenal"


class NoticeStatus(StrEnum):
    """An e-mail notice to an official (``pemberitahuan.status``): due, sent, or no longer
    needed (the case stopped waiting for the official before it was sent)."""

    DUE = "menunggu"
    SENT = "terkirim"
    MOOT = "usang"
