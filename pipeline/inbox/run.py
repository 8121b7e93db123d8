"""One pass over the inbox, reading like a table of contents.

For each ready file: claim it, read it, judge it, and either file it (a
memo opens a case; registration data and actions are kept for their step),
set it aside as a duplicate, or refuse it with a reason; then carry its case
on. Nothing here prints; the caller reports the returned outcomes.
"""

import hashlib
import time
from pathlib import Path

from pipeline import __version__, readers
from pipeline.errors import (
    ArchiveError,
    IncompleteLetter,
    InputChanged,
    InputRefused,
    PipelineError,
    PublishPending,
    RenderError,
)
from pipeline.filing.archive import locate, relative, shown
from pipeline.formats import waktu
from pipeline.inbox import completion, intake
from pipeline.letters import signed_copies
from pipeline.models import Outcome
from pipeline.outputs import site
from pipeline.register import JournalEntry
from pipeline.sop import cases, inputs, memo


def run_once(ws, stability=None, progress=None):
    """Process every ready file in the inbox once; return one Outcome per file.

    Once ``ws.stop`` is set it returns at the next group boundary: each group is
    settled whole, the groups not yet claimed stay untouched in the inbox.
    ``progress(more=N)`` is told how many groups of files this pass takes, then
    ``progress(advance=1)`` after each (``pipeline run``'s bar on a terminal).
    """
    stability = stability or intake.Stability(0)
    progress = progress or _quiet
    outcomes = []
    for problem in recover(ws):
        ws.log.warning(problem)
    for claim_id, inbounds in intake.claimed(ws.config.work_dir).items():
        if not ws.filer.backoff.due(claim_id, ws.filer.clock()):
            continue  # committed, its files could not be put in place lately (told): tried when its back-off ends
        if not ws.register.journal_of_claim(claim_id):
            inbounds += partners(ws.config, claim_id, inbounds)
        outcomes.extend(settle_safely(ws, claim_id, inbounds))
    units = list(ready_units(ws, stability, outcomes))
    progress(more=len(units))
    for files in units:
        if ws.stop.is_set():
            break
        progress(advance=0, current=files[0].name)
        claim_id = intake.new_claim()
        inbounds = claim_all(ws.config, files, claim_id)
        results = settle_safely(ws, claim_id, inbounds) if inbounds else []
        outcomes.extend(results)
        released = {o.name for o in results if o.released}
        for path, inbound in zip(files, inbounds or [None] * len(files)):
            if inbound is None or inbound.name in released:
                stability.defer(
                    ws.config.inbox / (inbound.name if inbound else path.name), ws.config.watch.rescan_seconds
                )
            else:
                stability.done(path)
        progress(advance=1)
    return outcomes


def _quiet(**_told):
    """No progress shown (the service, tests, ``--json`` and pipes)."""


def recover(ws):
    """Publish committed filings a crash or a full disk left in staging; never raises."""
    try:
        return ws.filer.recover()
    except PipelineError as exc:
        return [f"Pemberkasan yang tertunda belum dapat diselesaikan: {exc}"]


def partners(config, claim_id, inbounds):
    """A crash between claiming a sidecar and its scan leaves one of them in the inbox:
    claim it into the same group, so the memo is filed whole."""
    names = {i.name for i in inbounds}
    found = []
    for inbound in inbounds:
        source = config.inbox / inbound.name
        partner = (
            (intake.sidecar_scan(source) or completion.original_for(config, source, inbound.path))
            if inbound.name.lower().endswith((".yaml", ".yml"))
            else intake.sidecar_of(source)
            if intake.is_scan(source)
            else None
        )
        if partner is not None and partner.name not in names:
            try:
                found.append(intake.claim(partner, config.work_dir, claim_id))
            except OSError:
                continue
            names.add(partner.name)
    return found


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


def settle_safely(ws, claim_id, inbounds, account=None):
    """settle(), but a failure to move or record one group never stops the batch.

    The group stays in the work folder with its claim; the next pass (or the
    next start) settles it again from where the journal says it got.
    """
    inbounds = sorted(inbounds, key=lambda i: (intake.is_scan(i.path), not completion.is_yaml(i.name)))  # YAML first
    try:
        outcomes = settle(ws, claim_id, inbounds, account)
    except PipelineError as exc:
        if isinstance(exc, PublishPending) and not ws.filer.backoff.failed(claim_id, "", ws.filer.clock()):
            return []  # told at its first attempt; doctor and status say what still stands in the way
        ws.log.warning("Berkas %s belum selesai diproses: %s", ", ".join(i.name for i in inbounds), exc)
        reason = str(exc) if isinstance(exc, PublishPending) else f"{exc} Berkas akan dicoba lagi."
        return [Outcome(i.name, "menunggu", alasan=[reason]) for i in inbounds]
    except Exception as exc:
        ws.log.exception("Berkas %s belum selesai diproses", ", ".join(i.name for i in inbounds))
        return [
            Outcome(
                i.name,
                "menunggu",
                alasan=[
                    f"Berkas belum selesai diproses karena galat yang tidak terduga ({type(exc).__name__}). Berkas tetap "
                    "di folder kerja dan dicoba lagi pada pemrosesan berikutnya; bila terus berulang, laporkan kepada "
                    "pengelola sistem dengan menyertakan log layanan."
                ],
            )
            for i in inbounds
        ]
    ws.filer.backoff.done(claim_id)
    return outcomes


def ready_units(ws, stability, outcomes):
    """Groups of inbox files to take together: a YAML sidecar with its scan (or with the letter it
    completes, waiting in inbox/lengkapi/), or one file (a PDF or image scan alone is read as a
    letter, or is the signed copy of an outgoing letter when its name is that letter's number; named
    like an outgoing number no letter has, it waits for the YAML naming its letter)."""
    files = intake.candidates(ws.config.inbox)
    stability.prune(files)
    ready = [path for path in files if stability.ready(path)]
    ready.sort(key=readers.priority)  # stable: oldest first within each kind
    for path in ready:
        if not intake.is_regular(path):
            continue  # taken with its sidecar already
        if intake.is_scan(path):
            if intake.waits_for_sidecar(ws.config, path) and ws.register.letter(path.stem) is None:
                outcomes.append(
                    Outcome(
                        path.name,
                        "menunggu",
                        "pindaian",
                        alasan=[f"Pindaian menunggu berkas YAML pendamping bernama {path.stem}.yaml."],
                    )
                )
            elif not intake.has_sidecar(path):
                yield [path]  # read alone: its text or OCR, else a draft (judge)
            continue
        scan = intake.sidecar_scan(path) if path.suffix.lower() in (".yaml", ".yml") else None
        if scan is None and path.suffix.lower() in (".yaml", ".yml"):
            scan = completion.original_for(ws.config, path)  # a completed draft fetches its letter
        if scan is not None and scan.parent == path.parent and not stability.ready(scan):
            continue
        yield [path, scan] if scan else [path]


def settle(ws, claim_id, inbounds, account=None):
    """Bring one claimed group to its end state; safe to call again after a crash."""
    entries = ws.register.journal_of_claim(claim_id)
    if not entries:
        now = ws.now()
        try:
            entries = decide(ws, claim_id, inbounds, now, account)
        except InputChanged as exc:
            return put_back(ws, inbounds, exc)
        except PublishPending:
            raise  # committed: the claim stays, the next pass publishes and finishes it
        except (ArchiveError, RenderError) as exc:
            entries = retry_later(ws, claim_id, inbounds, now, exc)
    strays = unaccounted(inbounds, entries)
    if strays:
        entries = entries + set_aside_strays(ws, claim_id, strays, ws.now())
    outcomes = finish(ws.config, inbounds, entries)
    for outcome in outcomes:
        ws.log.info("%s: %s %s", outcome.name, outcome.hasil, " ".join(outcome.alasan))
    kasus = entries[0].kasus
    problem = advance_case(ws, kasus) if kasus else None
    if kasus:
        refresh_pages(ws, kasus)
    refresh(ws, outcomes)
    if problem:
        outcomes[0].alasan.append(problem)
    return outcomes


def refresh(ws, outcomes):
    """Bring reported outcomes up to date (a kept input may have been applied since)
    and say in words what became of accepted files."""
    for outcome in outcomes:
        if not outcome.klaim:
            continue
        journal = reversed(ws.register.journal_of_claim(outcome.klaim))  # the newest, a stray's refusal included
        entry = next((e for e in journal if e.berkas == outcome.name), None)
        if entry is not None and entry.hasil != outcome.hasil:
            outcome.hasil, outcome.kasus, outcome.alasan = entry.hasil, entry.kasus, list(entry.alasan)
        if outcome.hasil == "diterima":
            outcome.detail = _accepted_detail(ws, outcome)
    return outcomes


def _accepted_detail(ws, outcome):
    if outcome.jenis == "nota_dinas":
        entry = ws.register.incoming(outcome.kasus)
        return f"Nomor agenda {entry.nomor_agenda}; dokumen di outbox/{outcome.kasus}/"
    return f"Diterapkan pada kasus {outcome.kasus}."


def advance_case(ws, kasus):
    """Run the case's SOP steps; a failure is reported, never raised: it is retried later.
    Where several hosts share the register, a case another host is carrying on is left to it."""
    problem, _mine = _advance(ws, kasus)
    return problem


def _advance(ws, kasus):
    """(the problem or None, whether this host carried the case on)."""
    try:
        with ws.register.advancing(kasus) as mine:
            if mine:
                cases.advance(
                    kasus,
                    config=ws.config,
                    register=ws.register,
                    procedure=ws.procedure,
                    filer=ws.filer,
                    clock=ws.clock,
                    stop=ws.stop,
                )
    except PipelineError as exc:
        ws.log.warning("Kasus %s belum dapat dilanjutkan: %s", kasus, exc)
        return f"Kasus {kasus} belum dapat dilanjutkan: {exc}", False
    return None, mine


def refresh_pages(ws, kasus):
    """The case's verification pages; a page that cannot be written never stops the pass."""
    try:
        site.refresh_codes(ws.config, ws.register, kasus)
    except (OSError, PipelineError) as exc:
        ws.log.warning("Halaman verifikasi kasus %s belum dapat ditulis: %s", kasus, exc)


def advance_open_cases(ws):
    """Carry on every unfinished case that has something to do: a crash or a failure may have
    stopped one mid-way, or the config changed under it.

    A case advanced without anything to do (its state the same after as before) is marked
    quiet, per host, with that state (its records' counts and newest ids) and the config it
    was judged under; while both stay the same, advancing it again would do nothing, so it
    is skipped (docs/architecture.md, "Speed"). A case that failed, or that another host was
    carrying on, is not marked.
    """
    notes, quiet = [], {}
    host, config = ws.config.host, config_mark(ws.config)
    marks = ws.register.quiet_marks(host)
    states = ws.register.case_states()
    for kasus, state in states:
        if ws.stop.is_set():
            break  # the rest are carried on at the next rescan or start
        if marks.get(kasus) == f"{config}|{state}":
            continue
        problem, mine = _advance(ws, kasus)
        if problem:
            notes.append(problem)
            continue
        if ws.stop.is_set():
            break  # it may have stopped at a step boundary: not quiet
        after = dict(ws.register.case_states(kasus))
        if mine and after.get(kasus) == state:  # it had nothing to do: quiet until something changes
            quiet[kasus] = f"{config}|{state}"
    gone = marks.keys() - {kasus for kasus, _ in states}
    if quiet or gone:
        with ws.register.transaction(logged=False):
            ws.register.mark_quiet(host, quiet, gone)
    return notes


def config_mark(config):
    """What a waiting case was judged under: the release, the config as loaded, and the
    reference data files as they are now (verification reads them at its step)."""
    files = [(str(path), *_stat(path)) for path in (config.employees, config.budget) if path]
    text = repr((__version__, config, files)).encode("utf-8")
    return hashlib.sha256(text).hexdigest()[:16]


def _stat(path):
    try:
        status = path.stat()
    except OSError:
        return (None, None)
    return (status.st_size, status.st_mtime_ns)


def decide(ws, claim_id, inbounds, now, account=None):
    """Read and judge the group; commit its journal entries (and filing) in one transaction.

    The barrier around one input: anything unexpected while judging it
    refuses it with a reason; it never stops the batch.
    """
    try:
        return judge(ws, claim_id, inbounds, now, account)
    except IncompleteLetter as exc:
        if completion.holds(ws.config, ws.register, inbounds):
            return hold(ws, claim_id, inbounds, now, exc)
        return set_aside(ws, claim_id, inbounds, now, "ditolak", exc.reasons, exc.kind or "")
    except InputRefused as exc:
        return set_aside(ws, claim_id, inbounds, now, "ditolak", exc.reasons, exc.kind or "")
    except (PipelineError, OSError):
        raise
    except Exception as exc:
        ws.log.exception("Berkas %s tidak dapat diproses", inbounds[0].name)
        return set_aside(
            ws,
            claim_id,
            inbounds,
            now,
            "ditolak",
            [
                f"Berkas tidak dapat diproses karena isinya tidak terduga ({type(exc).__name__}), misalnya "
                "karakter yang tidak lazim atau angka yang terlalu besar. Bila berkas ini surat masuk, laporkan "
                "kepada pengelola sistem dengan menyertakan log layanan; bila berkas ini data yang disiapkan "
                "petugas, periksa isinya lalu letakkan versi yang sudah diperiksa di inbox."
            ],
        )


def judge(ws, claim_id, inbounds, now, account=None):
    """Duplicate, memo, registration data or action: each to its own stage."""
    earlier = [e for e in map(ws.register.accepted_file, (i.sha256 for i in inbounds)) if e]
    if earlier:
        return set_aside(
            ws,
            claim_id,
            inbounds,
            now,
            "duplikat",
            [
                f"Berkas dengan isi yang sama persis sudah diterima pada {waktu(earlier[0].diterima, ws.config.timezone)} "
                f"sebagai {earlier[0].berkas} (kasus {earlier[0].kasus or '-'}). Berkas ini tidak diproses lagi."
            ],
        )
    waiting = completion.waiting_copy(ws.config, inbounds)
    if waiting:
        return set_aside(ws, claim_id, inbounds, now, "duplikat", [waiting])
    own = _own_letter_scan(ws, inbounds)
    parsed = read_input(ws.config, inbounds[0], as_letter=False) if own else read_input(ws.config, inbounds[0])
    seen = ws.register.decided_file(inbounds[0].sha256) if parsed.kind == "tindakan" else None
    if seen is not None:  # a refused or void decision put back in the inbox is not made again
        return set_aside(
            ws,
            claim_id,
            inbounds,
            now,
            "duplikat",
            [
                f"Berkas tindakan yang sama persis sudah diproses pada {waktu(seen.diterima, ws.config.timezone)} "
                f"({seen.hasil}). "
                "Tindakan tidak dicatat dua kali dari berkas yang sama; bila memang perlu dicatat lagi, buat "
                "berkas tindakan baru atau pakai \u201cpipeline act\u201d."
            ],
        )
    config, register, procedure, filer, clock = ws.config, ws.register, ws.procedure, ws.filer, ws.clock
    unchanged = lambda: intake.check_unchanged(inbounds)  # noqa: E731
    if parsed.kind == "nota_dinas":
        return memo.file_memo(
            claim_id,
            inbounds,
            parsed,
            now,
            config=config,
            register=register,
            procedure=procedure,
            filer=filer,
            clock=clock,
            unchanged=unchanged,
        )
    if parsed.kind in ("registrasi", "tindakan"):
        return inputs.receive(
            claim_id,
            inbounds,
            parsed,
            now,
            account,
            config=config,
            register=register,
            procedure=procedure,
            filer=filer,
            clock=clock,
            pdf_available=ws.converter.available,
            unchanged=unchanged,
        )
    if parsed.kind == "surat_keluar_ttd" or register.letter(Path(inbounds[0].name).stem):
        return signed_copies.receive_scan(
            claim_id,
            inbounds,
            parsed,
            now,
            account,
            config=config,
            register=register,
            procedure=procedure,
            filer=filer,
            clock=clock,
        )
    raise InputRefused("Pindaian harus disertai berkas YAML pendamping dengan nama yang sama.")


def _own_letter_scan(ws, inbounds):
    """True for a scan alone named by an outgoing letter's number: the signed copy of our own
    letter (signed_copies.receive_scan), never read as an incoming letter."""
    name = Path(inbounds[0].name)
    return len(inbounds) == 1 and intake.is_scan(name) and ws.register.letter(name.stem) is not None


def hold(ws, claim_id, inbounds, now, error):
    """A letter that cannot be registered as it stands waits, unchanged, in inbox/lengkapi/
    beside a prefilled draft (written when it is moved there, see ``finish``)."""
    placed = completion.places(ws.config, inbounds)
    return _journal(
        ws,
        claim_id,
        inbounds,
        now,
        "menunggu",
        completion.reasons(ws.config, error, placed),
        "nota_dinas",
        lambda i: relative(placed[i.name], ws.config.root),
    )


def put_back(ws, inbounds, error):
    """A file that changed after its claim goes back to the inbox, whole, to be taken again."""
    for inbound in inbounds:
        try:
            intake.release(inbound, ws.config.inbox)
        except OSError:
            continue  # still claimed: the next pass judges it again
    ws.log.info("%s", error)
    return [Outcome(i.name, "menunggu", alasan=[str(error)], released=True) for i in inbounds]


def read_input(config, inbound, as_letter=True):
    """Read one input (a scan alone ``as_letter``: its text or OCR); any parser failure on a
    hostile file becomes a refusal."""
    try:
        if not as_letter:
            return readers.read(inbound.path, config.limits, inbound.name)
        return readers.read_letter(inbound.path, config.limits, inbound.name, config.ocr)
    except InputRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input can break any parser; refuse, go on
        raise InputRefused(
            f"Berkas tidak dapat dibaca ({type(exc).__name__}). Bila berkas ini surat masuk, mintalah "
            "kiriman ulang berkas aslinya kepada pengirimnya; bila berkas ini data yang disiapkan petugas, "
            "simpan lagi dari aplikasinya lalu letakkan di inbox."
        ) from None


_FOLDERS = {"ditolak": "rejected_dir", "duplikat": "duplicate_dir"}


def _archived(config, lokasi):
    """True when the journal files an input inside the archive: its work copy can go."""
    return lokasi not in ("", "inbox") and locate(config, lokasi).resolve().is_relative_to(config.archive)


def _journal(ws, claim_id, inbounds, now, hasil, reasons, jenis, lokasi):
    stamp = now.isoformat(timespec="seconds")
    with ws.register.transaction():
        entries = [
            ws.register.add_journal(
                JournalEntry(i.name, i.sha256, i.size, stamp, hasil, jenis, "", tuple(reasons), lokasi(i), claim_id)
            )
            for i in inbounds
        ]
        intake.check_unchanged(inbounds)
        return entries


def set_aside(ws, claim_id, inbounds, now, hasil, reasons, jenis=""):
    """Journal a group as refused or duplicate, in one transaction."""
    folder = getattr(ws.config, _FOLDERS[hasil])
    return _journal(
        ws,
        claim_id,
        inbounds,
        now,
        hasil,
        reasons,
        jenis,
        lambda i: relative(intake.free_name(folder, i.name), ws.config.root),
    )


def unaccounted(inbounds, entries):
    """Work-folder files under a known claim that its journal does not record (by name and
    content): a stray copy, or a file changed after it was filed. Never moved as if filed."""
    known = {(e.berkas, e.sha256) for e in entries}
    return [i for i in inbounds if (i.name, i.sha256) not in known]


def set_aside_strays(ws, claim_id, strays, now):
    """Journal stray work-folder files as refused under their claim (so a crash before the
    move finds them again), with a reason; they are then set aside, never filed or deleted."""
    where = relative(ws.config.work_dir, ws.config.root)
    return set_aside(
        ws,
        claim_id,
        strays,
        now,
        "ditolak",
        [
            f"Berkas ini ditemukan di folder kerja {where} dengan nama klaim {claim_id}, tetapi buku agenda "
            "tidak mencatatnya sebagai bagian dari klaim itu, sehingga asal dan isinya tidak dapat dipastikan. "
            "Berkas disisihkan tanpa diubah dan tidak diproses. Bila berkas ini memang surat atau data yang "
            "harus diproses, letakkan kembali di folder inbox."
        ],
    )


def retry_later(ws, claim_id, inbounds, now, error):
    """The archive or a template failed: keep the input in the inbox and say why.

    Told once: while the same file waits for the same reason the journal
    is not written again (the file is tried again with back-off).
    """
    reasons = [f"{error} Berkas tetap di inbox dan akan dicoba lagi."]
    told = [ws.register.last_journal(i.sha256) for i in inbounds]
    if all(e is not None and e.hasil == "menunggu" and list(e.alasan) == reasons for e in told):
        stamp = now.isoformat(timespec="seconds")
        return [
            JournalEntry(i.name, i.sha256, i.size, stamp, "menunggu", "", "", tuple(reasons), "inbox", claim_id)
            for i in inbounds
        ]
    return _journal(ws, claim_id, inbounds, now, "menunggu", reasons, "", lambda i: "inbox")


def finish(config, inbounds, entries):
    """Move each claimed file to where its journal entry says it belongs."""
    outcomes = []
    by_file = {(entry.berkas, entry.sha256): entry for entry in entries}
    for inbound in inbounds:
        entry = by_file[(inbound.name, inbound.sha256)]
        if entry.hasil == "diterima" or _archived(config, entry.lokasi):
            if not locate(config, entry.lokasi).is_file():
                raise PublishPending(
                    f"Berkas {entry.berkas} sudah dicatat tetapi salinannya belum ada di "
                    f"{shown(config, entry.lokasi)}; pipeline menempatkannya pada pemrosesan "
                    "berikutnya."
                )
            completion.drop_draft(config, inbound)
            inbound.path.unlink(missing_ok=True)
        elif entry.lokasi == "inbox":
            intake.release(inbound, config.inbox)
        elif completion.held_at(config, entry.lokasi):
            completion.settle(config, inbound, entry, inbounds)
        else:
            target = config.root / entry.lokasi
            intake.set_aside(inbound, target.parent, reason_text(entry, target.name))
        detail = shown(config, entry.lokasi)
        detail = detail.rsplit("/", 1)[0] if entry.hasil == "diterima" else detail
        outcomes.append(
            Outcome(
                inbound.name,
                entry.hasil,
                entry.jenis,
                entry.kasus,
                list(entry.alasan),
                detail,
                entry.klaim,
                released=entry.lokasi == "inbox",
            )
        )
    return outcomes


_HEADINGS = {
    "ditolak": "BERKAS DITOLAK",
    "duplikat": "BERKAS GANDA (SUDAH PERNAH DITERIMA)",
}
_NEXT = {
    "ditolak": "Surat masuk tidak pernah diubah: bila berkas ini surat masuk, ikuti alasan di atas tanpa "
    "mengubah suratnya. Bila berkas ini data yang disiapkan petugas (YAML, CSV atau Excel), "
    "perbaiki sesuai alasan di atas, lalu letakkan kembali di folder inbox. "
    "Berkas ini disimpan di sini tanpa diubah.",
    "duplikat": "Tidak perlu tindakan apa pun. Bila berkas ini memang surat baru, periksa "
    "apakah yang terkirim adalah berkas yang benar.",
}


def reason_text(entry, name):
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


def run_all(ws, patience=60.0, progress=None):
    """``pipeline run``: pass over the inbox until no file is still being written and every file
    seen settling has been looked at again (a long pass may outlast a file's settling time).

    A file still changing after ``patience`` seconds is left for the next run, and
    so is every file not yet taken when ``ws.stop`` is set (SIGTERM, Ctrl+C).
    """
    stable_seconds = ws.config.watch.stable_seconds
    stability = intake.Stability(stable_seconds)
    outcomes = {}
    deadline = time.monotonic() + patience + stable_seconds
    while True:
        for outcome in run_once(ws, stability, progress):
            key = outcome.name if outcome.hasil == "menunggu" and outcome.jenis == "pindaian" else id(outcome)
            outcomes[key] = outcome
        if not (stability.settling() or stability.unsettled()) or time.monotonic() > deadline or ws.stop.is_set():
            return refresh(ws, list(outcomes.values()))
        ws.stop.wait(min(0.5, max(stable_seconds / 4, 0.05)))
