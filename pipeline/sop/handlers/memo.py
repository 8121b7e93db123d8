"""The memo's own steps: the Lembar Disposisi filed with it, and the dispositions.

``agenda_masuk`` runs when the memo is filed (``memo.file_memo``) and gives
the documents that go into the memo's archive folder. ``disposisi`` records
an official's disposition and prints the sheet again with every disposition
recorded so far written in.
"""

from pipeline.documents import codes
from pipeline.documents import contexts as documents
from pipeline.documents.render import render
from pipeline.formats import tanggal
from pipeline.sop.handlers.human import note_of, record


def agenda_masuk(ws, step, memo, nomor_agenda, kasus, now):
    """Step 2: the Lembar Disposisi, blank for handwriting, with its verification code;
    returns ({file name: writer}, {file name: (code, kasus, jenis)})."""
    code, printed = ws.filer.new_code(kasus, step.document)
    context = codes.attach(
        documents.disposition_context(ws.config, memo.__dict__, nomor_agenda, kasus, now.date(), now), printed
    )
    template = ws.config.template(step.document)
    name = f"{documents.file_name(step.document)}.docx"
    return {name: lambda path: render(template, context, path)}, {name: (code, kasus, step.document)}


def disposisi(run):
    """A disposition step: the official's action, and the sheet with the chain filled in."""
    action = run.action()
    if action is None:
        return False
    sheet = run.document(run.step.document, _filled_sheet(run, action))
    return record(run, action, [sheet])


def _filled_sheet(run, action):
    """The Lembar Disposisi again, with the recorded dispositions written in."""
    chain, notes = {}, []
    for step in run.procedure.with_handler("disposisi"):
        if step.key == run.step.key:
            date, note = run.when(action).date(), note_of(action.data)
        else:
            record_ = run.records.get(step.key)
            if record_ is None or record_.status != "selesai":
                continue
            date, note = record_.selesai, record_.catatan
        role = next((r for r in step.role if r in run.config.officials), None)
        if role is None:
            continue
        chain[role] = {"tanggal": tanggal(date), "catatan": note}
        notes.append(f"{step.actor} ({chain[role]['tanggal']}): {note or '-'}")
    memo = run.memo
    return documents.disposition_context(
        run.config,
        documents.memo_fields(memo),
        memo.nomor_agenda,
        run.kasus,
        memo.diterima,
        run.now,
        chain,
        "\n".join(notes),
    )
