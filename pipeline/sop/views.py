"""A case as ``status`` and the status site show it: typed records, and their JSON.

``to_json`` gives exactly the keys and values of ``pipeline status --json``
(docs/cli.md), in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class StepView:
    """One step of a case: its place in the table, where it stands, its times and documents."""

    no: int
    key: str
    nama: str
    peran: str
    jenis: str
    status: str
    mulai: str | None
    selesai: str | None
    oleh: str
    target_menit: int
    menit: float | None
    dokumen: tuple[str, ...] = ()

    @property
    def late(self) -> bool:
        """Over its SOP target (running or done)."""
        return bool(self.target_menit) and self.menit is not None and self.menit > self.target_menit

    def to_json(self) -> dict:
        return {
            "no": self.no,
            "key": self.key,
            "nama": self.nama,
            "peran": self.peran,
            "jenis": self.jenis,
            "status": self.status,
            "mulai": self.mulai,
            "selesai": self.selesai,
            "oleh": self.oleh,
            "target_menit": self.target_menit,
            "menit": self.menit,
            "dokumen": list(self.dokumen),
        }


@dataclass(frozen=True)
class CaseView:
    """A case: what it waits for, its steps, its data's totals, its problems, its incoming memo's
    electronic signatures and the PDFs its filings still owe."""

    kasus: str
    rujukan: str
    unit: str
    status: str
    langkah_sekarang: int | None
    menunggu: str
    langkah: tuple[StepView, ...]
    data: dict
    masalah: tuple[str, ...] = ()
    tte_masuk: tuple[dict, ...] = ()
    pdf_terutang: tuple[dict, ...] = ()
    awaited_roles: tuple[str, ...] = field(default=(), compare=False)  # whose action it waits for (not in JSON)

    @property
    def current(self) -> StepView | None:
        """The step the case stands at, or None once it is done."""
        return next((s for s in self.langkah if s.no == self.langkah_sekarang), None)

    def to_json(self) -> dict:
        return {
            "kasus": self.kasus,
            "rujukan": self.rujukan,
            "unit": self.unit,
            "status": self.status,
            "langkah_sekarang": self.langkah_sekarang,
            "menunggu": self.menunggu,
            "langkah": [step.to_json() for step in self.langkah],
            "data": self.data,
            "masalah": list(self.masalah),
            "tte_masuk": list(self.tte_masuk),
            "pdf_terutang": list(self.pdf_terutang),
        }
