"""The inbox pass, reading like a table of contents.

For each ready file: claim it, read it, judge it, and either file it (a
memo opens a case; registration data and actions are kept for their step),
set it aside as a duplicate, or refuse it with a reason; then carry its case
on. Nothing here prints; the caller reports the returned outcomes.

An ``InboxPass`` holds the collaborators the pass uses, handed in by the
workspace; each stage it calls gets only what that stage uses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from pipeline import readers
from pipeline.documents.contexts import HARAP
from pipeline.errors import (
    ArchiveError,
    IncompleteLetter,
    InputChanged,
    InputRefused,
    PipelineError,
    PublishPending,
    RenderError,
)
from pipeline.inbox import completion, decisions, groups, intake, journal, placing, quiet, reasons
from pipeline.letters import signed_copies, voiding
from pipeline.models import Outcome, Parsed
from pipeline.readers import decision_form as decision_forms
from pipeline.sop import access, cases, inputs, memo
from pipeline.states import Hasil

if TYPE_CHECKING:
    import datetime as dt
    import logging
    import threading

    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.filer import Filer
    from pipeline.models import Inbound
    from pipeline.register.records import JournalEntry
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

# progress(more=N), then progress(advance=1, current=name) per group: ``pipeline run``'s bar
Progress = Callable[..., None]


class Stages(TypedDict):
    """The collaborators the SOP's stages take, by keyword."""

    config: Config
    register: SqlRegister
    procedure: Procedure
    filer: Filer
    clock: Clock


class InboxPass:
    """One pass over the inbox and everything it settles, with its collaborators."""

    def __init__(
        self,
        config: Config,
        register: SqlRegister,
        procedure: Procedure,
        filer: Filer,
        clock: Clock,
        stop: threading.Event,
        log: logging.Logger,
        pdf_available: bool,
    ) -> None:
        self.config = config
        self.register = register
        self.procedure = procedure
        self.filer = filer
        self.clock = clock
        # Set when the process is asked to stop: a pass ends at the next group boundary.
        self.stop = stop
        self.log = log
        self.pdf_available = pdf_available  # whether a decision that needs a PDF can be taken now
        # Cases a settled group filed into or carried on: what is derived from them for people
        # (their verification pages) is written after the pass, outside it.
        self.touched: set[str] = set()

    def run_all(self, patience: float = 60.0, progress: Progress | None = None) -> list[Outcome]:
        """``pipeline run``: pass over the inbox until no file is still being written and every file
        seen settling has been looked at again (a long pass may outlast a file's settling time).

        A file still changing after ``patience`` seconds is left for the next run, and
        so is every file not yet taken when ``stop`` is set (SIGTERM, Ctrl+C).
        """
        stable_seconds = self.config.watch.stable_seconds
        stability = intake.Stability(stable_seconds)
        outcomes: dict[Any, Outcome] = {}
        deadline = time.monotonic() + patience + stable_seconds
        while True:
            for outcome in self.run_once(stability, progress):
                waiting_scan = outcome.hasil == Hasil.WAITING and outcome.jenis == "pindaian"
                outcomes[outcome.name if waiting_scan else id(outcome)] = outcome
            if not (stability.settling() or stability.unsettled()) or time.monotonic() > deadline or self.stop.is_set():
                return self.refresh(list(outcomes.values()))
            self.stop.wait(min(0.5, max(stable_seconds / 4, 0.05)))

    def run_once(self, stability: intake.Stability | None = None, progress: Progress | None = None) -> list[Outcome]:
        """Process every ready file in the inbox once; return one Outcome per file.

        Once ``stop`` is set it returns at the next group boundary: each group is
        settled whole, the groups not yet claimed stay untouched in the inbox.
        ``progress(more=N)`` is told how many groups of files this pass takes, then
        ``progress(advance=1)`` after each (``pipeline run``'s bar on a terminal).
        """
        stability = stability or intake.Stability(0)
        progress = progress or _quiet
        outcomes = []
        for problem in self.recover():
            self.log.warning(problem)
        outcomes += self.settle_left_claims()
        units = list(groups.ready_units(self.config, self.register, stability, outcomes))
        progress(more=len(units))
        for files in units:
            if self.stop.is_set():
                break
            progress(advance=0, current=files[0].name)
            outcomes += self.take(files, stability)
            progress(advance=1)
        for account, files in list(decisions.ready_units(self.config, stability)):
            if self.stop.is_set():
                break
            outcomes += self.take_decision(account, files, stability)
        return outcomes

    def take_decision(self, account: str, files: Sequence[Path], stability: intake.Stability) -> list[Outcome]:
        """Claim files from an official's folder ``keputusan/<account>/`` and settle them as that
        account's (``decisions``); a link is set aside unread."""
        if len(files) == 1 and (files[0].is_symlink() or not intake.is_regular(files[0])):
            try:
                return [decisions.not_a_file(self.config, account, files[0])]
            except OSError as exc:
                self.log.warning("%s tidak dapat disisihkan: %s", files[0], exc)
                return []
        claim_id = intake.new_claim()
        work = decisions.work_folder(self.config, account)
        inbounds: list[Inbound] = []
        try:
            for path in files:
                inbounds.append(intake.claim(path, work, claim_id))
        except OSError:
            for inbound in inbounds:
                intake.release(inbound, self.config.decision_folder(account))
            for path in files:
                stability.defer(path, self.config.watch.rescan_seconds)
            return []
        results = self.settle_safely(claim_id, inbounds, account, own=True)
        for path in files:
            stability.done(path)
        return results

    def recover(self) -> list[str]:
        """Publish committed filings a crash or a full disk left in staging; never raises."""
        try:
            return self.filer.recover()
        except PipelineError as exc:
            return [f"Pemberkasan yang tertunda belum dapat diselesaikan: {exc}"]

    def settle_left_claims(self) -> list[Outcome]:
        """The groups a crash (or a failure) left claimed in the work folder, settled first."""
        outcomes = []
        for claim_id, inbounds in intake.claimed(self.config.work_dir).items():
            if not self.filer.backoff.due(claim_id, self.filer.clock()):
                continue  # committed, its files could not be put in place lately (told): tried when its back-off ends
            if not self.register.journal_of_claim(claim_id):
                inbounds += groups.partners(self.config, claim_id, inbounds)
            outcomes += self.settle_safely(claim_id, inbounds)
        for account in decisions.accounts(self.config):
            for claim_id, inbounds in intake.claimed(decisions.work_folder(self.config, account)).items():
                if self.filer.backoff.due(claim_id, self.filer.clock()):
                    outcomes += self.settle_safely(claim_id, inbounds, account, own=True)
        return outcomes

    def take(self, files: Sequence[Path], stability: intake.Stability) -> list[Outcome]:
        """Claim one group of inbox files and settle it; a file not taken for good is looked at later."""
        claim_id = intake.new_claim()
        inbounds = groups.claim_all(self.config, files, claim_id)
        results = self.settle_safely(claim_id, inbounds) if inbounds else []
        released = {o.name for o in results if o.released}
        taken: list[Inbound | None] = list(inbounds) or [None] * len(files)
        for path, inbound in zip(files, taken):
            if inbound is None or inbound.name in released:
                name = inbound.name if inbound else path.name
                stability.defer(self.config.inbox / name, self.config.watch.rescan_seconds)
            else:
                stability.done(path)
        return results

    def settle_safely(
        self, claim_id: str, inbounds: Sequence[Inbound], account: str | None = None, own: bool = False
    ) -> list[Outcome]:
        """settle(), but a failure to move or record one group never stops the batch.

        ``account``: who records it when known first-hand (``pipeline act``; with ``own``, the
        account whose folder ``keputusan/<account>/`` it was taken from).

        The group stays in the work folder with its claim; the next pass (or the
        next start) settles it again from where the journal says it got.
        """
        inbounds = sorted(
            inbounds, key=lambda i: (intake.is_scan(i.path), not completion.is_yaml(i.name))
        )  # YAML first
        names = ", ".join(i.name for i in inbounds)
        try:
            outcomes = self.settle(claim_id, inbounds, account, own)
        except PipelineError as exc:
            if isinstance(exc, PublishPending) and not self.filer.backoff.failed(claim_id, "", self.filer.clock()):
                return []  # told at its first attempt; doctor and status say what still stands in the way
            self.log.warning("Berkas %s belum selesai diproses: %s", names, exc)
            reason = str(exc) if isinstance(exc, PublishPending) else f"{exc} Berkas akan dicoba lagi."
            return [Outcome(i.name, Hasil.WAITING, alasan=[reason]) for i in inbounds]
        except Exception as exc:
            self.log.exception("Berkas %s belum selesai diproses", names)
            return [Outcome(i.name, Hasil.WAITING, alasan=[reasons.unexpected_fault(exc)]) for i in inbounds]
        self.filer.backoff.done(claim_id)
        return outcomes

    def settle(
        self, claim_id: str, inbounds: Sequence[Inbound], account: str | None = None, own: bool = False
    ) -> list[Outcome]:
        """Bring one claimed group to its end state; safe to call again after a crash."""
        entries = self.register.journal_of_claim(claim_id)
        home = self.config.decision_folder(account) if own and account else None
        if not entries:
            now = self.clock.now()
            try:
                entries = self.decide(claim_id, inbounds, now, account, own)
            except InputChanged as exc:
                return self.put_back(inbounds, exc, home)
            except PublishPending:
                raise  # committed: the claim stays, the next pass publishes and finishes it
            except (ArchiveError, RenderError) as exc:
                entries = journal.retry_later(self.register, claim_id, inbounds, now, exc)
        strays = journal.unaccounted(inbounds, entries)
        if strays:
            entries = entries + journal.set_aside_strays(self.config, self.register, claim_id, strays, self.clock.now())
        outcomes = placing.finish(self.config, inbounds, entries, home)
        for outcome in outcomes:
            self.log.info("%s: %s %s", outcome.name, outcome.hasil, " ".join(outcome.alasan))
        kasus = entries[0].kasus
        problem = self.advance_case(kasus) if kasus else None
        if kasus:
            self.touched.add(kasus)  # its verification pages are written after the pass (Workspace)
        self.refresh(outcomes)
        if problem:
            outcomes[0].alasan.append(problem)
        return outcomes

    def decide(
        self,
        claim_id: str,
        inbounds: Sequence[Inbound],
        now: dt.datetime,
        account: str | None = None,
        own: bool = False,
    ) -> list[JournalEntry]:
        """Read and judge the group; commit its journal entries (and filing) in one transaction.

        The barrier around one input: anything unexpected while judging it
        refuses it with a reason; it never stops the batch.
        """
        aside = decisions.aside_folder(self.config, account) if own and account else None
        try:
            return self.judge(claim_id, inbounds, now, account, own)
        except IncompleteLetter as exc:
            if not own and completion.holds(self.config, self.register, inbounds):
                return journal.hold(self.config, self.register, claim_id, inbounds, now, exc)
            return self.set_aside(claim_id, inbounds, now, Hasil.REFUSED, exc.reasons, exc.kind or "", aside)
        except InputRefused as exc:
            return self.set_aside(claim_id, inbounds, now, Hasil.REFUSED, exc.reasons, exc.kind or "", aside)
        except (PipelineError, OSError):
            raise
        except Exception as exc:
            self.log.exception("Berkas %s tidak dapat diproses", inbounds[0].name)
            return self.set_aside(claim_id, inbounds, now, Hasil.REFUSED, [reasons.unexpected_content(exc)], "", aside)

    def judge(
        self,
        claim_id: str,
        inbounds: Sequence[Inbound],
        now: dt.datetime,
        account: str | None = None,
        own: bool = False,
    ) -> list[JournalEntry]:
        """Duplicate, memo, registration data or action: each to its own stage. ``own``: taken from
        the folder of ``account`` (``decisions``), where only that account's decisions count."""
        zone = self.config.timezone
        aside = decisions.aside_folder(self.config, account) if own and account else None
        if own and account:
            decisions.check_own(inbounds, account)
        earlier = [e for e in map(self.register.accepted_file, (i.sha256 for i in inbounds)) if e]
        # An action's scan seen before may be the evidence of another decision (one signed Lembar
        # Disposisi carries the Kapus's and the Kabid's); judged once the YAML is read.
        scan_again = bool(earlier) and completion.is_yaml(inbounds[0].name) and earlier[0].sha256 != inbounds[0].sha256
        if earlier and not scan_again:
            return self.set_aside(
                claim_id, inbounds, now, Hasil.DUPLICATE, [reasons.already_accepted(earlier[0], zone)], "", aside
            )
        waiting = completion.waiting_copy(self.config, inbounds)
        if waiting:
            return self.set_aside(claim_id, inbounds, now, Hasil.DUPLICATE, [waiting], "", aside)
        form = decision_forms.is_form(inbounds[0].path) if inbounds[0].name.lower().endswith(".docx") else False
        if form:
            parsed = self.read_form(inbounds[0], account, own)
        else:
            scan_of_ours = self.own_letter_scan(inbounds)
            parsed = (
                read_input(self.config, inbounds[0], as_letter=False)
                if scan_of_ours
                else read_input(self.config, inbounds[0])
            )
        if scan_again and parsed.kind != "tindakan":
            return self.set_aside(
                claim_id, inbounds, now, Hasil.DUPLICATE, [reasons.already_accepted(earlier[0], zone)], "", aside
            )
        self.may_decide_here(parsed, inbounds, account, own)
        # A form carries the digest of the state it was written for, so a void decision's form is
        # stale anyway; an official's form refused from another account's folder must not bar his own.
        replayable = parsed.kind == "tindakan" and not (own and form)
        seen = self.register.decided_file(inbounds[0].sha256) if replayable else None
        if seen is not None:  # a refused or void decision put back in the inbox is not made again
            return self.set_aside(
                claim_id, inbounds, now, Hasil.DUPLICATE, [reasons.already_decided(seen, zone)], "", aside
            )
        stages = self.stages()

        def unchanged() -> None:
            intake.check_unchanged(inbounds)

        if parsed.kind == "nota_dinas":
            return memo.file_memo(claim_id, inbounds, parsed, now, **stages, unchanged=unchanged)
        if parsed.kind in ("registrasi", "tindakan"):
            return inputs.receive(
                claim_id,
                inbounds,
                parsed,
                now,
                account,
                **stages,
                pdf_available=self.pdf_available,
                unchanged=unchanged,
            )
        if parsed.kind == voiding.REQUEST:  # ``pipeline batal`` handed to the service: voided as its account
            who = account or inputs.file_account(self.config, inbounds[0])
            return voiding.receive_request(claim_id, inbounds, parsed.fields, now, who, **stages, unchanged=unchanged)
        if parsed.kind == "surat_keluar_ttd" or self.register.letter(Path(inbounds[0].name).stem):
            return signed_copies.receive_scan(claim_id, inbounds, parsed, now, account, **stages)
        raise InputRefused("Pindaian harus disertai berkas YAML pendamping dengan nama yang sama.")

    def read_form(self, inbound: Inbound, account: str | None, own: bool) -> Parsed:
        """A filled decision form read as the action it records, as the account whose folder it is
        in (from the inbox, only where ``access.keputusan_dari_inbox`` allows: as its owner)."""
        if not own and not self.config.decisions_from_inbox:
            raise decisions.not_from_inbox(self.config, "Formulir keputusan")
        who = account or inputs.file_account(self.config, inbound)
        fields = decisions.form_action(
            decision_forms.read(inbound.path, HARAP),
            who,
            config=self.config,
            register=self.register,
            procedure=self.procedure,
        )
        return Parsed(kind="tindakan", fmt="docx", fields=fields)

    def may_decide_here(self, parsed: Parsed, inbounds: Sequence[Inbound], account: str | None, own: bool) -> None:
        """Decisions and what records an approval's consequence (a signed copy) count only from the
        official's own folder (or, with ``access.keputusan_dari_inbox``, from the inbox too); an
        official's folder takes nothing else. Raises InputRefused saying where it belongs."""
        signed = parsed.kind == "surat_keluar_ttd" or self.own_letter_scan(inbounds)
        if own:
            if parsed.kind not in ("tindakan", voiding.REQUEST) and not signed:
                raise InputRefused(
                    f"Folder keputusan/{account}/ hanya menerima keputusan pejabat (formulir keputusan yang "
                    "diisi, berkas tindakan, atau salinan surat bertanda tangan). Letakkan Nota Dinas, data "
                    "registrasi dan berkas lain di folder inbox.",
                    kind=parsed.kind,
                )
            completes = self.completed_by(inbounds) if signed else None
            refusal = access.refusal(self.config, completes, account or "") if completes else None
            if refusal:
                raise InputRefused(f"Salinan surat bertanda tangan tidak dicatat: {refusal}", kind="surat_keluar_ttd")
            return
        if account is not None or self.config.decisions_from_inbox:
            return  # ``pipeline act`` (the account known first-hand), or a single-user workspace
        if parsed.kind in ("tindakan", voiding.REQUEST):
            raise decisions.not_from_inbox(self.config, "Berkas tindakan")
        if signed:
            raise decisions.not_from_inbox(self.config, "Salinan surat bertanda tangan")

    def completed_by(self, inbounds: Sequence[Inbound]) -> Step | None:
        """The step a signed copy completes, whose role its account must hold: the approval for a
        letter signed electronically (``signed_copies``), the sending (``kirim``) for a scan."""
        from pipeline.letters.signing import has_signature

        pdfs = [i for i in inbounds if i.name.lower().endswith(".pdf")]
        if pdfs and has_signature(pdfs[0].path):
            return self.procedure.sealing()
        return self.procedure.sending()

    def stages(self) -> Stages:
        """What the SOP's stages are handed: the configuration, the register, the procedure, the
        filer and the clock (docs/architecture.md, "The shape")."""
        return {
            "config": self.config,
            "register": self.register,
            "procedure": self.procedure,
            "filer": self.filer,
            "clock": self.clock,
        }

    def own_letter_scan(self, inbounds: Sequence[Inbound]) -> bool:
        """True for a scan alone named by an outgoing letter's number: the signed copy of our own
        letter (signed_copies.receive_scan), never read as an incoming letter."""
        name = Path(inbounds[0].name)
        return len(inbounds) == 1 and intake.is_scan(name) and self.register.letter(name.stem) is not None

    def set_aside(
        self,
        claim_id: str,
        inbounds: Sequence[Inbound],
        now: dt.datetime,
        hasil: Hasil,
        said: Sequence[str],
        jenis: str = "",
        aside: Path | None = None,
    ) -> list[JournalEntry]:
        """Journal a group as refused or duplicate (``journal.set_aside``; ``aside``: an official's
        ``ditolak/`` instead of the inbox's)."""
        return journal.set_aside(self.config, self.register, claim_id, inbounds, now, hasil, said, jenis, aside)

    def put_back(self, inbounds: Sequence[Inbound], error: InputChanged, home: Path | None = None) -> list[Outcome]:
        """A file that changed after its claim goes back where it came from, whole, to be taken again."""
        for inbound in inbounds:
            try:
                intake.release(inbound, home or self.config.inbox)
            except OSError:
                continue  # still claimed: the next pass judges it again
        self.log.info("%s", error)
        return [Outcome(i.name, Hasil.WAITING, alasan=[str(error)], released=True) for i in inbounds]

    def advance_case(self, kasus: str) -> str | None:
        """Run the case's SOP steps; a failure is reported, never raised: it is retried later.
        Where several hosts share the register, a case another host is carrying on is left to it."""
        problem, _mine = self.carry_on(kasus)
        return problem

    def carry_on(self, kasus: str) -> tuple[str | None, bool]:
        """(the problem or None, whether this host carried the case on)."""
        try:
            with self.register.advancing(kasus) as mine:
                if mine:
                    cases.advance(kasus, **self.stages(), stop=self.stop)
        except PipelineError as exc:
            self.log.warning("Kasus %s belum dapat dilanjutkan: %s", kasus, exc)
            return f"Kasus {kasus} belum dapat dilanjutkan: {exc}", False
        return None, mine

    def advance_open_cases(self) -> list[str]:
        """Carry on every unfinished case that has something to do (``quiet.advance_open_cases``)."""
        return quiet.advance_open_cases(self.config, self.register, self.stop, self.carry_on)

    def refresh(self, outcomes: list[Outcome]) -> list[Outcome]:
        """Bring reported outcomes up to date (a kept input may have been applied since)
        and say in words what became of accepted files."""
        for outcome in outcomes:
            if not outcome.klaim:
                continue
            entries = reversed(self.register.journal_of_claim(outcome.klaim))  # the newest, a stray's refusal included
            entry = next((e for e in entries if e.berkas == outcome.name), None)
            if entry is not None and entry.hasil != outcome.hasil:
                outcome.hasil, outcome.kasus, outcome.alasan = entry.hasil, entry.kasus, list(entry.alasan)
            if outcome.hasil == Hasil.ACCEPTED:
                outcome.detail = self.accepted_detail(outcome)
        return outcomes

    def accepted_detail(self, outcome: Outcome) -> str:
        """Where an accepted file went, in words."""
        if outcome.jenis == "nota_dinas":
            entry = self.register.incoming(outcome.kasus)
            assert entry is not None  # an accepted memo opened its case in the same transaction
            return f"Nomor agenda {entry.nomor_agenda}; dokumen di outbox/{outcome.kasus}/"
        return f"Diterapkan pada kasus {outcome.kasus}."


def read_input(config: Config, inbound: Inbound, as_letter: bool = True) -> Parsed:
    """Read one input (a scan alone ``as_letter``: its text or OCR); any parser failure on a
    hostile file becomes a refusal."""
    try:
        if not as_letter:
            return readers.read(inbound.path, config.limits, inbound.name)
        return readers.read_letter(inbound.path, config.limits, inbound.name, config.ocr)
    except InputRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - hostile input can break any parser; refuse, go on
        raise InputRefused(reasons.unreadable(exc)) from None


def _quiet(**_told: object) -> None:
    """No progress shown (the service, tests, ``--json`` and pipes)."""
