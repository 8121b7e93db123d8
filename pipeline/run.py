"""The orchestrator: one pass over the inbox, reading like a table of contents.

For each ready file: claim it, read it, validate it, and either file it
(number, render, archive, register in one transaction), keep it for a later
SOP step, set it aside as a duplicate, or refuse it with a reason. Nothing
here prints; the CLI reports the returned outcomes.
"""

import datetime as dt
import time

from . import actions, intake, readers, sop, steps
from .case import Session
from .archive import build_folder, copy_atomic, relative, remove_tree, slug
from .documents import disposition_context
from .errors import ArchiveError, InputRefused, PipelineError, RenderError
from .models import Memo, Outcome
from .render import render, waktu
from .validate import memo_unit, validate_memo


def run_once(config, register, stability=None, clock=None):
    """Process every ready file in the inbox once; return one Outcome per file."""
    clock = clock or (lambda: dt.datetime.now(config.timezone))
    stability = stability or intake.Stability(0)
    outcomes = []
    for claim_id, inbounds in intake.claimed(config.work_dir).items():
        outcomes.extend(settle_safely(config, register, claim_id, inbounds, clock))
    for files in ready_units(config, stability, outcomes):
        claim_id = intake.new_claim()
        inbounds = claim_all(config, files, claim_id)
        if inbounds:
            outcomes.extend(settle_safely(config, register, claim_id, inbounds, clock))
        for path in files:
            stability.forget(path)
    return outcomes


def claim_all(config, files, claim_id):
    """Claim a group whole or not at all (a file may vanish or still be locked)."""
    claimed = []
    try:
        for path in files:
            claimed.append(intake.claim(path, config.work_dir, claim_id))
    except OSError:
        for inbound in claimed:
            intake.release(inbound, config.inbox)
        return []
    return claimed


def settle_safely(config, register, claim_id, inbounds, clock):
    """settle(), but a failure to move or record one group never stops the batch.

    The group stays in the work folder with its claim; the next pass (or the
    next start) settles it again from where the journal says it got.
    """
    inbounds = sorted(inbounds, key=lambda i: intake.is_scan(i.path))
    try:
        return settle(config, register, claim_id, inbounds, clock)
    except PipelineError as exc:
        return [Outcome(i.name, "menunggu", alasan=[f"{exc} Berkas akan dicoba lagi."]) for i in inbounds]


def ready_units(config, stability, outcomes):
    """Groups of inbox files to take together: a YAML sidecar with its scan, or one file."""
    files = intake.candidates(config.inbox)
    stability.prune(files)
    files.sort(key=readers.priority)  # stable: oldest first within each kind
    for path in files:
        if not stability.ready(path):
            continue
        if intake.is_scan(path):
            if not intake.has_sidecar(path):
                outcomes.append(Outcome(path.name, "menunggu", "pindaian", alasan=[
                    f"Pindaian menunggu berkas YAML pendamping bernama {path.stem}.yaml."]))
            continue
        scan = intake.sidecar_scan(path) if path.suffix.lower() in (".yaml", ".yml") else None
        if scan is not None and not stability.ready(scan):
            continue
        yield [path, scan] if scan else [path]


def settle(config, register, claim_id, inbounds, clock):
    """Bring one claimed group to its end state; safe to call again after a crash."""
    rows = register.claimed(claim_id)
    if not rows:
        now = clock()
        try:
            rows = decide(config, register, claim_id, inbounds, now)
        except (ArchiveError, RenderError) as exc:
            rows = retry_later(config, register, claim_id, inbounds, now, exc)
    outcomes = finish(config, inbounds, rows)
    kasus = rows[0]["kasus"]
    problem = advance_case(config, register, kasus, clock) if kasus else None
    refresh(register, outcomes)
    if problem:
        outcomes[0].alasan.append(problem)
    return outcomes


def refresh(register, outcomes):
    """Bring reported outcomes up to date (a kept input may have been applied since)
    and say in words what became of accepted files."""
    for outcome in outcomes:
        if not outcome.klaim:
            continue
        row = next((r for r in register.claimed(outcome.klaim) if r["berkas"] == outcome.name), None)
        if row is not None and row["hasil"] != outcome.hasil:
            outcome.hasil, outcome.kasus, outcome.alasan = row["hasil"], row["kasus"], list(row["alasan"])
        if outcome.hasil == "diterima":
            outcome.detail = _accepted_detail(register, outcome)
    return outcomes


def _accepted_detail(register, outcome):
    if outcome.jenis == "nota_dinas":
        memo = register.memo(outcome.kasus)
        return f"Nomor agenda {memo['nomor_agenda']}; dokumen di outbox/{outcome.kasus}/"
    return f"Diterapkan pada kasus {outcome.kasus}."


def advance_case(config, register, kasus, clock):
    """Run the case's SOP steps; a failure is reported, never raised: it is retried later."""
    try:
        steps.advance(Session(config, register, clock), kasus)
    except PipelineError as exc:
        return f"Kasus {kasus} belum dapat dilanjutkan: {exc}"
    return None


def advance_open_cases(config, register, clock):
    """At start: carry on every unfinished case (a crash may have stopped one mid-way)."""
    notes = []
    for case in register.cases():
        if case["status"] != "selesai":
            problem = advance_case(config, register, case["id"], clock)
            if problem:
                notes.append(problem)
    return notes


def decide(config, register, claim_id, inbounds, now):
    """Read and judge the group; commit its journal rows (and filing) in one transaction."""
    primary = inbounds[0]
    earlier = [row for row in map(register.accepted, (i.sha256 for i in inbounds)) if row]
    if earlier:
        earlier = earlier[0]
        return set_aside(config, register, claim_id, inbounds, now, "duplikat", [
            f"Berkas dengan isi yang sama persis sudah diterima pada {waktu(earlier['diterima'])} "
            f"sebagai {earlier['berkas']} (kasus {earlier['kasus'] or '-'}). Berkas ini tidak diproses lagi."])
    try:
        parsed = read_input(config, primary)
        if parsed.kind == "nota_dinas":
            return file_memo(config, register, claim_id, inbounds, parsed, now)
        if parsed.kind in ("registrasi", "tindakan"):
            return actions.receive(Session(config, register, lambda: now), claim_id, inbounds, parsed, now)
        raise InputRefused("Pindaian harus disertai berkas YAML pendamping dengan nama yang sama.")
    except InputRefused as exc:
        return set_aside(config, register, claim_id, inbounds, now, "ditolak", exc.reasons, exc.kind or "")


def read_input(config, inbound):
    """Read one input; any parser failure on a hostile file becomes a refusal."""
    try:
        return readers.read(inbound.path, config.limits, inbound.name)
    except InputRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input can break any parser; refuse, go on
        raise InputRefused(
            f"Berkas tidak dapat dibaca ({type(exc).__name__}). Buka berkas aslinya, simpan ulang, "
            "lalu letakkan kembali di inbox.") from None


def file_memo(config, register, claim_id, inbounds, parsed, now):
    """Steps 1-2: number the memo, render its Lembar Disposisi, archive, open a case."""
    fields = validate_memo(parsed.fields, "Nota Dinas " + inbounds[0].name)
    fields["unit"] = memo_unit(fields)
    memo = Memo.from_fields(fields)
    known = register.memo_known(memo.nomor, memo.dari)
    if known:
        raise InputRefused(
            f"Nota Dinas nomor {memo.nomor} dari {memo.dari} sudah tercatat dengan nomor agenda "
            f"{known['nomor_agenda']} (kasus {known['kasus']}). Bila ini surat yang berbeda, "
            "periksa kembali nomornya.", kind="nota_dinas")
    with register.transaction():
        tahun = now.year
        nomor_urut = register.next_number("masuk", tahun)
        entry = _agenda_fields(config, memo, tahun, nomor_urut)
        folder, digests = _archive_memo(config, inbounds, memo, entry, claim_id, now)
        try:
            _outbox_copy(config, folder, entry)
            rows = _register_memo(config, register, claim_id, inbounds, memo, entry, folder, digests, now)
        except BaseException:
            remove_tree(folder)
            raise
    return rows


def _agenda_fields(config, memo, tahun, nomor_urut):
    kasus = sop.case_id(tahun, nomor_urut)
    return {
        "tahun": tahun,
        "nomor_urut": nomor_urut,
        "nomor_agenda": config.numbering["agenda_masuk"].format(nomor=nomor_urut, tahun=tahun),
        "kasus": kasus,
        "folder_name": f"{nomor_urut:04d}_{slug(memo.hal)}",
        "sheet": "lembar-disposisi.docx",
    }


def _archive_memo(config, inbounds, memo, entry, claim_id, now):
    parent = config.archive / str(entry["tahun"]) / "surat-masuk"
    copies = {f"asli_{i.name}": i.path for i in inbounds}
    context = disposition_context(config, memo.__dict__, entry["nomor_agenda"], entry["kasus"],
                                  now.date(), now)
    template = config.template("lembar_disposisi")
    writers = {entry["sheet"]: lambda path: render(template, context, path)}
    metadata = {
        "kasus": entry["kasus"], "nomor_agenda": entry["nomor_agenda"], "klaim": claim_id,
        "diterima": now.isoformat(timespec="seconds"), "nota_dinas": memo.__dict__,
        "berkas_asli": {f"asli_{i.name}": i.name for i in inbounds},
    }
    return build_folder(parent, entry["folder_name"], copies, writers, metadata)


def _outbox_copy(config, folder, entry):
    target = config.outbox / entry["kasus"] / f"{entry['kasus']}_lembar-disposisi.docx"
    copy_atomic(folder / entry["sheet"], target)


def _register_memo(config, register, claim_id, inbounds, memo, entry, folder, digests, now):
    stamp = now.isoformat(timespec="seconds")
    rel = relative(folder, config.root)
    files = {name: f"{rel}/{name}" for name in digests}
    register.insert("cases", id=entry["kasus"], rujukan=memo.nomor, unit=memo.unit, dibuka=stamp)
    register.insert(
        "agenda", buku="masuk", tahun=entry["tahun"], nomor_urut=entry["nomor_urut"],
        nomor_agenda=entry["nomor_agenda"], nomor_surat=memo.nomor,
        tanggal_surat=memo.tanggal.isoformat(), diterima=stamp, dari=memo.dari,
        kepada=memo.kepada, hal=memo.hal, sifat=memo.sifat, lampiran=memo.lampiran,
        tembusan=memo.tembusan, kasus=entry["kasus"], folder=rel, berkas=files, sha256=digests,
    )
    for row in sop.opening_steps(config, now, memo.dari, [files[entry["sheet"]]]):
        register.insert("steps", kasus=entry["kasus"], **row)
    register.insert("events", waktu=stamp, kasus=entry["kasus"], oleh="pipeline",
                    aksi="agenda_masuk", rincian={"nomor_agenda": entry["nomor_agenda"]})
    return [register.journal_add(claim_id, i, stamp, "diterima", "nota_dinas", entry["kasus"],
                                 lokasi=f"{rel}/asli_{i.name}") for i in inbounds]


_FOLDERS = {"ditolak": "rejected_dir", "duplikat": "duplicate_dir"}


def _archived(config, lokasi):
    """True when the journal files an input inside the archive: its work copy can go."""
    return lokasi not in ("", "inbox") and (config.root / lokasi).resolve().is_relative_to(config.archive)


def set_aside(config, register, claim_id, inbounds, now, hasil, reasons, jenis=""):
    """Journal a group as refused, duplicate or kept for later, in one transaction."""
    stamp = now.isoformat(timespec="seconds")
    folder = getattr(config, _FOLDERS[hasil])
    with register.transaction():
        return [
            register.journal_add(claim_id, i, stamp, hasil, jenis, alasan=reasons,
                                 lokasi=relative(intake.free_name(folder, i.name), config.root))
            for i in inbounds
        ]


def retry_later(config, register, claim_id, inbounds, now, error):
    """The archive or a template failed: keep the input in the inbox and say why."""
    stamp = now.isoformat(timespec="seconds")
    reasons = [f"{error} Berkas tetap di inbox dan akan dicoba lagi."]
    with register.transaction():
        return [register.journal_add(claim_id, i, stamp, "menunggu", alasan=reasons, lokasi="inbox")
                for i in inbounds]


def finish(config, inbounds, rows):
    """Move each claimed file to where its journal row says it belongs."""
    outcomes = []
    by_name = {row["berkas"]: row for row in rows}
    for inbound in inbounds:
        row = by_name[inbound.name]
        if row["hasil"] == "diterima" or _archived(config, row["lokasi"]):
            inbound.path.unlink(missing_ok=True)
        elif row["lokasi"] == "inbox":
            intake.release(inbound, config.inbox)
        else:
            target = config.root / row["lokasi"]
            intake.set_aside(inbound, target.parent, reason_text(row, target.name))
        detail = row["lokasi"].rsplit("/", 1)[0] if row["hasil"] == "diterima" else row["lokasi"]
        outcomes.append(Outcome(inbound.name, row["hasil"], row["jenis"], row["kasus"],
                                list(row["alasan"]), detail, row["klaim"]))
    return outcomes


_HEADINGS = {
    "ditolak": "BERKAS DITOLAK",
    "duplikat": "BERKAS GANDA (SUDAH PERNAH DITERIMA)",
}
_NEXT = {
    "ditolak": "Perbaiki berkas sesuai alasan di atas, lalu letakkan kembali di folder inbox. "
               "Berkas ini disimpan di sini tanpa diubah.",
    "duplikat": "Tidak perlu tindakan apa pun. Bila berkas ini memang surat baru, periksa "
                "apakah yang terkirim adalah berkas yang benar.",
}


def reason_text(row, name):
    """The .alasan.txt a civil servant reads beside a set-aside file."""
    lines = [_HEADINGS[row["hasil"]], "", f"Berkas   : {row['berkas']}",
             f"Diterima : {waktu(row['diterima'])}", "Alasan   :"]
    lines += [f"  {n}. {reason}" for n, reason in enumerate(row["alasan"], start=1)]
    lines += ["", "Langkah selanjutnya:", "  " + _NEXT[row["hasil"]], ""]
    return "\n".join(lines)


def run_all(config, register, clock=None, patience=60.0):
    """``pipeline run``: pass over the inbox until no file is still being written.

    A file still changing after ``patience`` seconds is left for the next run.
    """
    stability = intake.Stability(config.watch.stable_seconds)
    outcomes = {}
    deadline = time.monotonic() + patience + config.watch.stable_seconds
    while True:
        for outcome in run_once(config, register, stability, clock):
            key = outcome.name if outcome.hasil == "menunggu" and outcome.jenis == "pindaian" else id(outcome)
            outcomes[key] = outcome
        if not stability.settling() or time.monotonic() > deadline:
            return refresh(register, list(outcomes.values()))
        time.sleep(min(0.5, max(config.watch.stable_seconds / 4, 0.05)))
