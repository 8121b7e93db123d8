"""The decision form: a Word document in an official's own folder for a decision a case waits for.

For every human step a case stands at that takes an action (the dispositions,
otentikasi, periksa, setujui, kirim), the workspace writes, after a pass and
outside any register transaction, one form per account holding the step's
role into ``keputusan/<account>/``: the letterhead, the case summary, links to
the case's documents in the outbox, and Word content controls (``w:sdt``) the
official fills. Each form carries a tag naming the case, the step and a
digest of what it asked, so a form for a state the case has left is known as
stale (``readers.decision_form`` reads it back). The forms written are listed
in ``keputusan/.formulir.json``: an unchanged form is the pipeline's
own (never taken as a decision); a form for a step the case has left is taken
away, or, once filled, set aside in ``ditolak/`` with the reason beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from pipeline.documents.contexts import HARAP
from pipeline.errors import os_reason
from pipeline.filing.archive import sha256_file
from pipeline.sop.procedure import REJECT
from pipeline.states import CaseStatus

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.register import AgendaEntry, Case
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

MARK = "spse-keputusan"  # the tag prefix of the form's marker control: spse-keputusan|kasus|langkah|digest
MANIFEST = ".formulir.json"
REFUSED = "ditolak"
# What the official chooses in a periksa/setujui form (the tag's value, as shown).
APPROVE, REJECT_CHOICE = "Setujui", "Tolak"
PLACEHOLDER = "Klik di sini untuk menulis catatan."
CHOOSE = "Pilih salah satu."
# Which fields a step's form has.
DISPOSITION, VERDICT, NOTE = "disposisi", "keputusan", "catatan"
_LABELS = {"disposisi": "Disposisi", "periksa": "Pemeriksaan", "setujui": "Persetujuan", "kirim": "Pengiriman"}


@dataclass(frozen=True)
class Wanted:
    """One form that should lie in an official's folder."""

    account: str
    kasus: str
    step: Step
    digest: str
    path: Path


def form_kind(step: Step) -> str:
    """The fields a step's form asks for: a disposition, a verdict (Setujui/Tolak), or a note."""
    if step.handler == "disposisi":
        return DISPOSITION
    if step.reject_to:
        return VERDICT
    return NOTE


def title(step: Step) -> str:
    """How the form names the decision: ``Disposisi Kapusdatinkomtel``, ``Persetujuan Kapusdatinkomtel``."""
    label = _LABELS.get(step.handler or "", "") or _LABELS.get(step.key, "") or step.key.replace("_", " ").title()
    return f"{label} {step.actor.replace('/', ' atau ')}"


def form_name(kasus: str, step: Step, unit: str) -> str:
    """``2026-0001 Disposisi Kapusdatinkomtel - BPSDM.docx`` (characters a share refuses replaced)."""
    text = f"{kasus} {title(step)} - {unit or '-'}"
    clean = "".join("-" if ch in '\\/:*?"<>|' or not ch.isprintable() else ch for ch in text)
    return clean[:150].strip() + ".docx"


def digest(kasus: str, step: Step, choices: tuple[str, ...], records_said: str) -> str:
    """A short digest of what a form asks: the case, the step, the choices and the step's state."""
    text = json.dumps([kasus, step.key, step.role, form_kind(step), choices, records_said], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def forward_choices(config: Config, step: Step) -> tuple[str, ...]:
    """The officials (their jabatan) a disposition form offers under ``Diteruskan kepada``."""
    roles = config.forward_to.get(step.key, ())
    return tuple(config.officials[role].jabatan for role in roles if role in config.officials)


def waiting_step(register: SqlRegister, procedure: Procedure, case: Case) -> Step | None:
    """The human step a case waits for a decision on, or None (running by itself, held, done)."""
    if case.status not in (CaseStatus.RUNNING,):
        return None
    records = register.steps(case.id)
    current = procedure.current(records)
    if current is None or not procedure.awaited_roles(current, case.status):
        return None
    return current


def wanted_forms(config: Config, register: SqlRegister, procedure: Procedure, case: Case) -> list[Wanted]:
    """The forms a case asks for now: one per account holding the awaited step's role."""
    step = waiting_step(register, procedure, case)
    if step is None:
        return []
    record = register.steps(case.id).get(step.key)
    said = f"{record.status}|{record.mulai}" if record is not None else ""
    made = digest(case.id, step, forward_choices(config, step), said)
    accounts = sorted({a for role in step.role for a in config.roles.get(role, ())})
    name = form_name(case.id, step, case.unit)
    return [
        Wanted(account, case.id, step, made, config.decision_folder(account) / name)
        for account in accounts
        if "/" not in account and not account.startswith(".")
    ]


# -- the manifest of forms written ---------------------------------------------------------------


def manifest_path(config: Config) -> Path:
    """``keputusan/.formulir.json``: the service's own, beside the officials' folders."""
    return config.decisions_dir / MANIFEST


def load_manifest(config: Config) -> dict[str, dict[str, str]]:
    """relative path -> {kasus, langkah, digest, sha256, akun} of every form the pipeline wrote."""
    try:
        data = json.loads(manifest_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_manifest(config: Config, manifest: dict[str, dict[str, str]]) -> None:
    path = manifest_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    temp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temp, path)


def _key(config: Config, path: Path) -> str:
    return path.relative_to(config.root).as_posix()


def is_blank(config: Config, path: Path, manifest: dict[str, dict[str, str]] | None = None) -> bool:
    """True when ``path`` is a form exactly as the pipeline wrote it (not yet filled)."""
    manifest = load_manifest(config) if manifest is None else manifest
    entry = manifest.get(_key(config, path))
    if entry is None:
        return False
    try:
        return sha256_file(path) == entry.get("sha256")
    except OSError:
        return False


# -- writing and taking away ---------------------------------------------------------------------


def refresh(config: Config, register: SqlRegister, procedure: Procedure, kasus: str) -> list[str]:
    """Bring the forms of one case up to date: write the forms it asks for now, take away the
    unfilled forms it no longer asks for, set aside filled ones for a step it has left.
    Returns what was done, for the log."""
    case = register.case(kasus)
    memo = register.incoming(kasus)
    wanted = wanted_forms(config, register, procedure, case) if case is not None and memo is not None else []
    manifest = load_manifest(config)
    done = []
    keep = {_key(config, w.path) for w in wanted}
    for key, listed in list(manifest.items()):
        if listed.get("kasus") != kasus or key in keep:
            continue
        path = config.root / key
        if not path.exists():
            del manifest[key]
        elif is_blank(config, path, manifest):
            path.unlink()
            del manifest[key]
            done.append(f"Formulir {key} diambil kembali: kasus {kasus} tidak lagi menunggu keputusan itu.")
        else:
            set_aside_stale(path, kasus)
            del manifest[key]
            done.append(f"Formulir terisi {key} disisihkan: kasus {kasus} sudah berpindah langkah.")
    for form in wanted:
        key = _key(config, form.path)
        known = manifest.get(key)
        if known is not None and known.get("digest") == form.digest and form.path.exists():
            continue
        if form.path.exists() and not is_blank(config, form.path, manifest):
            continue  # the official is filling it (or saved it): the pass takes it
        assert case is not None and memo is not None
        try:
            _write_listed(config, form, case, memo, procedure, manifest, key)
        except OSError as exc:  # one folder that cannot be written never keeps the other officials' forms
            done.append(
                f"Formulir {key} belum dapat ditulis ({os_reason(exc)}); dicoba lagi pada perubahan berikutnya."
            )
            continue
        done.append(f"Formulir {key} ditulis.")
    save_manifest(config, manifest)
    return done


def _write_listed(
    config: Config, form: Wanted, case: Case, memo: AgendaEntry, procedure: Procedure, manifest: dict, key: str
) -> None:
    """Write one form, listed in the manifest before it appears (a crash never leaves a blank form
    unlisted); a form that could not be placed is written again by the next refresh."""
    form.path.parent.mkdir(parents=True, exist_ok=True)
    temp = write(config, form, case, memo, procedure)
    manifest[key] = {
        "kasus": case.id,
        "langkah": form.step.key,
        "digest": form.digest,
        "akun": form.account,
        "sha256": sha256_file(temp),
    }
    save_manifest(config, manifest)
    try:
        place(temp, form.path)
    except OSError:
        temp.unlink(missing_ok=True)
        raise


def set_aside_stale(path: Path, kasus: str) -> Path:
    """A filled form for a step its case has left goes to ``ditolak/`` beside its reason."""
    folder = path.parent / REFUSED
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / path.name
    counter = 2
    while target.exists():
        target = folder / f"{path.stem} ({counter}){path.suffix}"
        counter += 1
    target.with_name(target.name + ".alasan.txt").write_text(
        f"Formulir ini untuk langkah yang sudah ditinggalkan kasus {kasus}; isinya tidak dicatat. "
        "Bila kasus menunggu keputusan Anda lagi, formulir baru ada di folder keputusan Anda; isi dan "
        "simpan formulir yang baru itu.\n",
        encoding="utf-8",
    )
    os.rename(path, target)
    return target


def missing(config: Config) -> set[str]:
    """Cases with a form listed that is no longer in its folder (taken as a decision, refused, or
    removed): their forms are brought up to date after the pass, so a refused form is followed by
    a fresh one."""
    return {entry["kasus"] for key, entry in load_manifest(config).items() if not (config.root / key).exists()}


def place(temp: Path, path: Path) -> None:
    """A written form put in the official's folder whole (a rename)."""
    os.replace(temp, path)


def write(config: Config, form: Wanted, case: Case, memo: AgendaEntry, procedure: Procedure) -> Path:
    """Write one form beside ``form.path`` under a hidden name (never taken, never seen
    half-written); returns it, for ``place``."""
    step = form.step
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    _heading(document, config.organisation, step)
    _summary(document, case, memo, step)
    document.add_paragraph()
    _case_documents(document, config.outbox / case.id, form.path.parent)
    document.add_paragraph()
    _decision_fields(document, config, procedure, step)
    _line(document.add_paragraph(), "Catatan:", 11, True)
    document.add_paragraph()._p.append(_text_control("catatan", "Catatan"))
    marker = document.add_paragraph()
    marker._p.append(_marker(form))
    document.add_paragraph(
        "Cara mengisi: pilih atau centang isian di atas, tulis catatan bila perlu, lalu simpan "
        "formulir ini di folder yang sama (Ctrl+S) dengan nama dan format yang sama (.docx). Pipeline "
        "mencatat keputusan Anda, mengarsipkan formulir ini sebagai buktinya, lalu mengambilnya dari folder."
    )
    document.core_properties.title = f"Formulir keputusan {case.id}"
    document.core_properties.subject = title(step)
    document.core_properties.keywords = _mark_text(form)
    temp = form.path.with_name(f".{form.path.name}.part")
    document.save(str(temp))
    return temp


def _heading(document: Any, kop: dict[str, Any], step: Step) -> None:
    """The letterhead, then the form's title and the step it decides."""
    for text, size, bold in (
        (kop["ministry"], 12, True),
        (kop["name"], 12, True),
        (kop["address"], 9, False),
        (kop["contact"], 9, False),
    ):
        _line(document.add_paragraph(), text, size, bold, WD_ALIGN_PARAGRAPH.CENTER)
    _line(document.add_paragraph(), "FORMULIR KEPUTUSAN", 13, True, WD_ALIGN_PARAGRAPH.CENTER)
    _line(document.add_paragraph(), title(step).upper(), 12, True, WD_ALIGN_PARAGRAPH.CENTER)


def _summary(document: Any, case: Case, memo: AgendaEntry, step: Step) -> None:
    """The case in a table: its memo, and what is asked of the official by when."""
    summary = document.add_table(rows=0, cols=2)
    summary.style = "Table Grid"
    target = f"{step.target_minutes} menit" if step.target_minutes else "-"
    for label, value in (
        ("Kasus", case.id),
        ("Unit kerja", case.unit or "-"),
        ("Nomor Nota Dinas", memo.nomor_surat),
        ("Hal", memo.hal),
        ("Yang diminta", f"Langkah {step.number}: {step.activity}"),
        ("Target SOP", target),
    ):
        row = summary.add_row().cells
        row[0].text, row[1].text = label, str(value or "-")
        row[0].width, row[1].width = Cm(4.5), Cm(11)


def _case_documents(document: Any, outbox: Path, folder: Path) -> None:
    """Links to the case's documents in its outbox folder (the first twenty), relative to the form's ``folder``."""
    _line(document.add_paragraph(), "Dokumen kasus (folder outbox):", 11, True)
    files = sorted(p for p in outbox.iterdir() if p.is_file()) if outbox.is_dir() else []
    for path in files[:20]:
        _hyperlink(document.add_paragraph(style="List Bullet"), path.name, _relative_link(folder, path))
    if not files:
        document.add_paragraph("Belum ada dokumen di outbox untuk kasus ini.")


def _decision_fields(document: Any, config: Config, procedure: Procedure, step: Step) -> None:
    """What the official chooses: whom to forward to and what is asked (a disposition), or approve or
    reject (a verdict, saying where a rejection returns the case); a note-only step has none."""
    kind = form_kind(step)
    if kind == DISPOSITION:
        paragraph = _line(document.add_paragraph(), "Diteruskan kepada: ", 11, True)
        paragraph._p.append(_dropdown("kepada", "Diteruskan kepada", forward_choices(config, step)))
        _line(document.add_paragraph(), "Dengan hormat harap:", 11, True)
        for number, option in enumerate(HARAP, start=1):
            paragraph = document.add_paragraph()
            paragraph._p.append(_checkbox(f"harap:{number}", option))
            paragraph.add_run(f" {option}")
    elif kind == VERDICT:
        paragraph = _line(document.add_paragraph(), "Keputusan: ", 11, True)
        paragraph._p.append(_dropdown("keputusan", "Keputusan", (APPROVE, REJECT_CHOICE)))
        reject = procedure.step(step.reject_to)
        if reject is not None:
            document.add_paragraph(
                f"Tolak mengembalikan kasus ke langkah {reject.number} ({reject.activity}); "
                "tuliskan alasannya pada Catatan."
            )


def _mark_text(form: Wanted) -> str:
    return f"{MARK}|{form.kasus}|{form.step.key}|{form.digest}"


def _line(paragraph: Paragraph, text: str, size: int, bold: bool, align: Any = None) -> Paragraph:
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(2)
    return paragraph


def _relative_link(folder: Path, target: Path) -> str:
    """A link from the form's folder to an outbox file, relative (it works wherever the share is mounted)."""
    return quote(os.path.relpath(target, folder).replace(os.sep, "/"))


def _hyperlink(paragraph: Paragraph, text: str, url: str) -> None:
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{rel}"><w:r><w:rPr><w:color w:val="0563C1"/>'
            f'<w:u w:val="single"/></w:rPr><w:t xml:space="preserve">{_esc(text)}</w:t></w:r></w:hyperlink>'
        )
    )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _dropdown(tag: str, alias: str, choices: tuple[str, ...]) -> Any:
    items = "".join(f'<w:listItem w:displayText="{_esc(c)}" w:value="{_esc(c)}"/>' for c in choices)
    return parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:tag w:val="{tag}"/>'
        f"<w:showingPlcHdr/><w:dropDownList>{items}</w:dropDownList></w:sdtPr>"
        f'<w:sdtContent><w:r><w:rPr><w:color w:val="808080"/></w:rPr><w:t>{CHOOSE}</w:t></w:r></w:sdtContent></w:sdt>'
    )


def _checkbox(tag: str, alias: str) -> Any:
    return parse_xml(
        f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:tag w:val="{tag}"/>'
        '<w14:checkbox><w14:checked w14:val="0"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
        "</w:rPr><w:t>\u2610</w:t></w:r></w:sdtContent></w:sdt>"
    )


def _text_control(tag: str, alias: str) -> Any:
    return parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{_esc(alias)}"/><w:tag w:val="{tag}"/>'
        '<w:showingPlcHdr/><w:text w:multiLine="1"/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:color w:val="808080"/>'
        f"</w:rPr><w:t>{PLACEHOLDER}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def _marker(form: Wanted) -> Any:
    """A locked, small control whose tag names the case, the step and the digest of what was asked."""
    return parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="Penanda formulir"/><w:tag w:val="{_esc(_mark_text(form))}"/>'
        '<w:lock w:val="sdtContentLocked"/><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:color w:val="808080"/>'
        f'<w:sz w:val="14"/></w:rPr><w:t>Formulir {_esc(form.kasus)} / {_esc(form.step.key)} / {form.digest}</w:t>'
        "</w:r></w:sdtContent></w:sdt>"
    )


def is_reject(choice: str) -> bool:
    return choice.strip().lower() == REJECT_CHOICE.lower()


__all__ = ["REJECT", "is_reject", "refresh", "wanted_forms"]
