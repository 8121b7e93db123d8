"""Decisions from the officials' own folders: ``keputusan/<account>/``.

Each account in ``access.roles`` has a folder only it (and the service) can
write. A file there counts as that account's decision only when it is a
regular file with one link owned by that account (``os.lstat``); anything
else is set aside in the folder's ``ditolak/`` with the reason beside it.
Files are taken the way inbox files are (``intake``'s Stability, claim,
journal and placing), claimed into ``keputusan/.kerja/<account>/`` so a
crash is finished from there by the next start, as the same account.
The forms the pipeline wrote and nobody filled yet (``documents.decision_form``)
are never taken.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.documents import decision_form
from pipeline.errors import InputRefused
from pipeline.filing.archive import relative
from pipeline.inbox import intake
from pipeline.models import Outcome
from pipeline.sop import access
from pipeline.sop.procedure import REJECT
from pipeline.states import Hasil

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.models import Inbound
    from pipeline.readers.decision_form import FilledForm
    from pipeline.register import Case
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

REFUSED = "ditolak"


def work_folder(config: Config, account: str) -> Path:
    """Where files taken from an account's folder are claimed: ``keputusan/.kerja/<account>/``, the
    service's own (the officials' share shows each official only his folder)."""
    return config.decisions_dir / ".kerja" / account


def aside_folder(config: Config, account: str) -> Path:
    """Where what cannot count from an account's folder is set aside, beside its reason."""
    return config.decision_folder(account) / REFUSED


def accounts(config: Config) -> list[str]:
    """The accounts whose folders are read (names a folder can carry)."""
    return [a for a in config.decision_accounts() if "/" not in a and not a.startswith(".") and a]


def candidates(config: Config, account: str) -> list[Path]:
    """Entries in an account's folder that may be decisions: every file and link but the forms
    the pipeline wrote and nobody changed, hidden and temporary files, and the folders in it."""
    folder = config.decision_folder(account)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    manifest = decision_form.load_manifest(config)
    found = []
    for entry in entries:
        if entry.name.startswith(".") or intake.ignored(entry.name) or entry.is_dir(follow_symlinks=False):
            continue
        path = Path(entry.path)
        if not entry.is_symlink() and decision_form.is_blank(config, path, manifest):
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.name)


def ready_units(config: Config, stability: intake.Stability) -> Iterator[tuple[str, list[Path]]]:
    """(account, files) to take together from the officials' folders: a YAML with the scan of the
    same name (a signed copy and its sidecar), or one file; once each has stopped changing."""
    for account in accounts(config):
        folder = config.decision_folder(account)
        files = candidates(config, account)
        stability.prune(files, folder)
        for path in files:
            if path.is_symlink() or not intake.is_regular(path):
                yield account, [path]  # never read: set aside (``not_a_file``)
                continue
            if not stability.ready(path) or (intake.is_scan(path) and intake.has_sidecar(path)):
                continue
            scan = intake.sidecar_scan(path) if path.suffix.lower() in (".yaml", ".yml") else None
            if scan is not None and not stability.ready(scan):
                continue
            yield account, [path, scan] if scan else [path]


def not_a_file(config: Config, account: str, path: Path) -> Outcome:
    """A link (or anything not a regular file) in an official's folder is never read: it goes to
    ``ditolak/`` as it is, beside the reason."""
    reason = (
        f"Berkas {path.name} di folder keputusan/{account}/ adalah tautan (symlink) atau bukan berkas biasa, "
        "sehingga tidak dibaca dan tidak dicatat sebagai keputusan. Pejabat menyimpan formulir keputusannya "
        "sendiri di folder ini (buka, isi, simpan)."
    )
    folder = aside_folder(config, account)
    folder.mkdir(parents=True, exist_ok=True)
    target = intake.free_name(folder, path.name)
    target.with_name(target.name + ".alasan.txt").write_text(reason + "\n", encoding="utf-8")
    os.rename(path, target)
    return Outcome(path.name, Hasil.REFUSED, "tindakan", alasan=[reason], detail=relative(target, config.root))


def check_own(inbounds: Sequence[Inbound], account: str) -> None:
    """Raise InputRefused unless every claimed file is a regular file with one link owned by
    ``account``, the folder's own account (a copy or a link someone else put there is not his)."""
    from pipeline.register import NETWORK_FS, filesystem

    kind = filesystem(inbounds[0].path.parent)
    if kind in NETWORK_FS:
        raise InputRefused(
            f"Folder keputusan berada di folder jaringan ({kind}), sehingga pemilik berkas tidak dapat "
            "dipastikan; keputusan tidak dicatat. Jalankan pipeline di server berkas itu sendiri (README, "
            "\u201cPemasangan di server berkas kantor\u201d), atau catat keputusan dengan \u201cpipeline act\u201d "
            "di server pipeline.",
            kind="tindakan",
        )
    for inbound in inbounds:
        info = os.lstat(inbound.path)
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise InputRefused(
                f"Berkas {inbound.name} di folder keputusan/{account}/ mempunyai tautan lain (hard link), "
                "sehingga tidak dapat dipastikan sebagai keputusan akun itu; tidak dicatat. Pejabat "
                "menyimpan formulir keputusannya sendiri di folder ini.",
                kind="tindakan",
            )
        owner = access.account_name(info.st_uid)
        if owner != account:
            raise InputRefused(
                f"Berkas {inbound.name} di folder keputusan/{account}/ dimiliki akun \u201c{owner}\u201d, bukan "
                f"\u201c{account}\u201d; keputusan hanya dihitung dari berkas yang disimpan akun pemilik folder. "
                f"Bila keputusan ini milik {owner}, simpan di folder keputusan/{owner}/.",
                kind="tindakan",
            )


def not_from_inbox(config: Config, what: str) -> InputRefused:
    """The shared inbox takes no decision (``access.keputusan_dari_inbox`` false): where to decide instead."""
    return InputRefused(
        f"{what} tidak diterima dari inbox bersama: keputusan pejabat hanya dicatat dari folder "
        "keputusan/<akun>/ milik akun yang memutuskan. Pejabat membuka formulir keputusan di foldernya "
        "(misalnya keputusan/kapus/), mengisinya dan menyimpannya; atau meletakkan berkas ini di folder "
        "keputusan miliknya sendiri.",
        kind="tindakan",
    )


def official_name(config: Config, account: str, roles: Sequence[str]) -> str:
    """The name of the official ``account`` decides as (the first of ``roles`` it holds that
    ``officials`` names), else the account itself."""
    for role in roles:
        if account in config.roles.get(role, ()) and role in config.officials:
            return config.officials[role].nama
    return account


def form_action(
    form: FilledForm,
    account: str,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
) -> dict[str, Any]:
    """The action a filled form records, as ``account`` decides it (judged afterwards with
    ``fit.fits`` exactly as an action file); InputRefused for a stale or unanswered form."""
    case, step = _asked(form, account, config=config, register=register, procedure=procedure)
    fields: dict[str, Any] = {
        "jenis": "tindakan",
        "rujukan": case.id,
        "langkah": step.key,
        "oleh": official_name(config, account, step.role),
    }
    return fields | _answers(form, step)


def _asked(
    form: FilledForm, account: str, *, config: Config, register: SqlRegister, procedure: Procedure
) -> tuple[Case, Step]:
    """The case and step a form decides, while the case still waits for that very form from ``account``;
    else InputRefused (an unknown case or step, or a stale form)."""
    case = register.case(form.kasus)
    step = procedure.step(form.langkah)
    if case is None or step is None:
        raise InputRefused(
            f"Formulir keputusan ini menyebut kasus {form.kasus} langkah {form.langkah} yang tidak dikenal; "
            "isi formulir yang ditulis pipeline di folder keputusan Anda.",
            kind="tindakan",
        )
    current = [w for w in decision_form.wanted_forms(config, register, procedure, case) if w.account == account]
    if not current or current[0].step.key != step.key or current[0].digest != form.digest:
        raise InputRefused(
            f"Formulir ini dibuat untuk keadaan kasus {case.id} yang sudah berubah (langkah {step.number}, "
            f"{step.activity}); isinya tidak dicatat. Bila kasus masih menunggu keputusan Anda, formulir "
            "yang baru ada di folder keputusan Anda: isi dan simpan formulir itu.",
            kind="tindakan",
        )
    return case, step


def _answers(form: FilledForm, step: Step) -> dict[str, Any]:
    """What the official filled in: whom a disposition goes to (what is asked joins the note), approve
    or reject for a verdict (a rejection, recorded as such, needs its reason), and the note."""
    answers: dict[str, Any] = {}
    kind = decision_form.form_kind(step)
    catatan = form.catatan.strip()
    if kind == decision_form.DISPOSITION:
        if not form.kepada:
            raise InputRefused(
                "Isian \u201cDiteruskan kepada\u201d pada formulir disposisi belum dipilih. Buka formulirnya "
                "lagi, pilih pejabat yang dituju, lalu simpan.",
                kind="tindakan",
            )
        answers["kepada"] = form.kepada
        catatan = "; ".join([*form.harap, catatan] if catatan else form.harap)
    elif kind == decision_form.VERDICT:
        if form.keputusan not in (decision_form.APPROVE, decision_form.REJECT_CHOICE):
            raise InputRefused(
                "Isian \u201cKeputusan\u201d pada formulir belum dipilih. Buka formulirnya lagi, pilih "
                "Setujui atau Tolak, lalu simpan.",
                kind="tindakan",
            )
        if decision_form.is_reject(form.keputusan):
            if not catatan:
                raise InputRefused(
                    "Keputusan Tolak memerlukan alasan. Buka formulirnya lagi, tuliskan alasan penolakan "
                    "pada Catatan, lalu simpan.",
                    kind="tindakan",
                )
            answers["langkah"] = str(REJECT)
    if catatan:
        answers["catatan"] = catatan
    return answers
