"""The memo's own steps: the Lembar Disposisi filed with it, and the dispositions.

``agenda_masuk`` runs when the memo is filed (``memo.file_memo``) and gives
the documents that go into the memo's archive folder. ``disposisi`` records
an official's disposition and prints the sheet again with every disposition
recorded so far written in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.documents import contexts as documents
from pipeline.formats import tanggal
from pipeline.sop import access
from pipeline.sop.handlers import Ran
from pipeline.sop.handlers.human import note_of, record
from pipeline.states import StepStatus

if TYPE_CHECKING:
    from pipeline.register import KeptInput
    from pipeline.sop.step_run import StepRun

# The officials the Lembar Disposisi lists, in the order a disposition passes down (officials in config.yaml).
CHAIN = ("kapus", "kabid", "kasubbid")


def agenda_masuk(run: StepRun) -> Ran:
    """Step 2, run while the memo is filed (``run.opening``): the Lembar Disposisi, blank for
    handwriting, with its verification code, filed with the memo."""
    assert run.opening is not None, "agenda_masuk runs while its memo is filed"
    memo, now = run.opening.memo, run.now
    run.memo_document(
        run.step.document,
        documents.disposition_context(
            run.config, memo.__dict__, run.opening.nomor_agenda, run.kasus, now.date(), now, CHAIN
        ),
    )
    return Ran.DONE


def disposisi(run: StepRun) -> Ran:
    """A disposition step: the official's action, and the sheet with the chain filled in."""
    action = run.action()
    if action is None:
        return Ran.WAITING
    sheet = run.document(run.step.document, _filled_sheet(run, action))
    return record(run, action, [sheet])


def _filled_sheet(run: StepRun, action: KeptInput) -> dict:
    """The Lembar Disposisi again, with the recorded dispositions written in."""
    chain: dict[str, dict[str, str]] = {}
    notes: list[str] = []
    for step in run.procedure.with_handler("disposisi"):
        date: object
        if step.key == run.step.key:
            date, note, paper = run.when(action).date(), note_of(action.data), run.on_behalf(action)
        else:
            record_ = run.records.get(step.key)
            if record_ is None or record_.status != StepStatus.DONE:
                continue
            date, note = record_.selesai, record_.catatan
            paper = record_.oleh if access.is_on_behalf(record_.oleh) else None
        role = next((r for r in step.role if r in run.config.officials), None)
        if role is None:
            continue
        chain[role] = {"tanggal": tanggal(date), "catatan": note}
        # a disposition made on the printed sheet says who recorded it, on whose behalf
        notes.append(f"{step.actor} ({chain[role]['tanggal']}): {note or '-'}" + (f" ({paper})" if paper else ""))
    memo = run.memo
    return documents.disposition_context(
        run.config,
        documents.memo_fields(memo),
        memo.nomor_agenda,
        run.kasus,
        memo.diterima,
        run.now,
        CHAIN,
        chain,
        "\n".join(notes),
    )
