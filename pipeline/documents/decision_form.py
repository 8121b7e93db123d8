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

import functools
import hashlib
import io
import json
import os
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.shared import Cm, Pt

from pipeline.documents.contexts import HARAP
from pipeline.errors import PipelineError, os_reason
from pipeline.filing.archive import sha256_file
from pipeline.sop.procedure import REJECT
from pipeline.states import CaseStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

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
    """The manifest written whole, a field a line (without ``indent``, which json encodes in
    Python, four times slower at 10,000 forms)."""
    path = manifest_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".part")
    text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",\n", ":"))
    temp.write_text(text, encoding="utf-8")
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


@dataclass(frozen=True)
class _Written:
    """A form written under its hidden name, listed, not yet placed."""

    temp: Path
    form: Wanted
    key: str


def refresh(
    config: Config, register: SqlRegister, procedure: Procedure, cases: Iterable[str]
) -> tuple[list[str], dict[str, Exception]]:
    """Bring the forms of ``cases`` up to date: write the forms each asks for now, take away the
    unfilled forms it no longer asks for, set aside filled ones for a step it has left.

    The manifest is read once and saved once: every form is written under its hidden name,
    the manifest listing them all is saved, then each is put in its folder (a form is listed
    before it appears, so a crash never leaves a blank form unlisted). Returns what was done,
    for the log, and the cases that could not be brought up to date, with why."""
    manifest = load_manifest(config)
    done: list[str] = []
    failed: dict[str, Exception] = {}
    written: list[_Written] = []
    for kasus in sorted(cases):
        try:
            written += _refresh_case(config, register, procedure, kasus, manifest, done)
        except (OSError, PipelineError) as exc:
            failed[kasus] = exc
    try:
        save_manifest(config, manifest)
    except OSError:
        for item in written:
            item.temp.unlink(missing_ok=True)
        raise
    done += [_place_listed(item) for item in written]
    return done, failed


def _refresh_case(
    config: Config, register: SqlRegister, procedure: Procedure, kasus: str, manifest: dict, done: list[str]
) -> list[_Written]:
    """One case's forms: those it no longer asks for taken away (``done`` says so), those it asks
    for written and listed in ``manifest`` (returned, to be placed once it is saved)."""
    case = register.case(kasus)
    memo = register.incoming(kasus)
    wanted = wanted_forms(config, register, procedure, case) if case is not None and memo is not None else []
    done += _take_away(config, manifest, kasus, {_key(config, w.path) for w in wanted})
    written = []
    for form in wanted:
        key = _key(config, form.path)
        known = manifest.get(key)
        if known is not None and known.get("digest") == form.digest and form.path.exists():
            continue
        if form.path.exists() and not is_blank(config, form.path, manifest):
            continue  # the official is filling it (or saved it): the pass takes it
        assert case is not None and memo is not None
        try:
            written.append(_write_listed(config, form, case, memo, procedure, manifest, key))
        except OSError as exc:  # one folder that cannot be written never keeps the other officials' forms
            done.append(_not_written(key, exc))
    return written


def _take_away(config: Config, manifest: dict, kasus: str, keep: set[str]) -> list[str]:
    """The listed forms of ``kasus`` it no longer asks for: gone ones forgotten, blank ones
    removed, filled ones set aside; returns what was done."""
    done = []
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
    return done


def _not_written(key: str, exc: OSError) -> str:
    return f"Formulir {key} belum dapat ditulis ({os_reason(exc)}); dicoba lagi pada perubahan berikutnya."


def _write_listed(
    config: Config, form: Wanted, case: Case, memo: AgendaEntry, procedure: Procedure, manifest: dict, key: str
) -> _Written:
    """Write one form under its hidden name and list it in ``manifest`` (saved before it is placed)."""
    form.path.parent.mkdir(parents=True, exist_ok=True)
    temp = write(config, form, case, memo, procedure)
    manifest[key] = {
        "kasus": case.id,
        "langkah": form.step.key,
        "digest": form.digest,
        "akun": form.account,
        "sha256": sha256_file(temp),
    }
    return _Written(temp, form, key)


def _place_listed(item: _Written) -> str:
    """A listed form put in its folder; one that could not be placed stays listed and missing,
    so the next refresh writes it again."""
    try:
        place(item.temp, item.form.path)
    except OSError as exc:
        item.temp.unlink(missing_ok=True)
        return _not_written(item.key, exc)
    return f"Formulir {item.key} ditulis."


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


class Missing:
    """The cases with a form listed that is no longer in its folder (taken as a decision, refused,
    or removed): their forms are brought up to date after the pass, so a refused form is followed
    by a fresh one. One per workspace: it remembers each official's folder as it last looked at it
    (the folder's time and the forms listed in it) and looks at the forms of a folder again only
    when one of them changed, so an idle pass does not stat every open case's form."""

    RACY_NS = 2_000_000_000  # a folder changed this recently may change again within the same tick

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, frozenset[str], frozenset[str]]] = {}

    def __call__(self, config: Config) -> set[str]:
        listed = load_manifest(config)
        folders: dict[str, list[str]] = {}
        for key in listed:
            folders.setdefault(key.rpartition("/")[0], []).append(key)
        seen: dict[str, tuple[int, frozenset[str], frozenset[str]]] = {}
        gone = [key for folder, keys in folders.items() for key in self._look(config, folder, keys, seen)]
        self._seen = seen
        return {listed[key]["kasus"] for key in gone}

    def _look(
        self, config: Config, folder: str, keys: list[str], seen: dict[str, tuple[int, frozenset[str], frozenset[str]]]
    ) -> frozenset[str]:
        """The listed forms of ``folder`` not in it; remembered (in ``seen``) once the folder's time
        is older than RACY_NS, when a later change is bound to give it another time."""
        try:
            changed = os.stat(config.root / folder).st_mtime_ns
        except OSError:
            changed = -1
        names = frozenset(keys)
        before = self._seen.get(folder)
        if before is not None and before[0] == changed >= 0 and before[1] == names:
            seen[folder] = before
            return before[2]
        gone = frozenset(key for key in keys if not (config.root / key).exists())
        if changed >= 0 and time.time_ns() - changed > self.RACY_NS:
            seen[folder] = (changed, names, gone)
        return gone


def place(temp: Path, path: Path) -> None:
    """A written form put in the official's folder whole (a rename)."""
    os.replace(temp, path)


def write(config: Config, form: Wanted, case: Case, memo: AgendaEntry, procedure: Procedure) -> Path:
    """Write one form beside ``form.path`` under a hidden name (never taken, never seen
    half-written); returns it, for ``place``. The parts no form changes (styles, numbering, theme)
    are python-docx's, made once per process (``_blank``); the body, its links and its
    properties are written as text."""
    step = form.step
    links = _Links()
    body = [
        *_heading(config.organisation, step),
        _summary(case, memo, step),
        "<w:p/>",
        *_case_documents(links, config.outbox / case.id, form.path.parent),
        "<w:p/>",
        *_decision_fields(config, procedure, step),
        _line("Catatan:", 11, True),
        f"<w:p>{_text_control('catatan', 'Catatan')}</w:p>",
        f"<w:p>{_marker(form)}</w:p>",
        _paragraph(HOW_TO_FILL),
    ]
    blank = _blank()
    own = (
        blank.document.replace(BODY_SLOT, "".join(body)),
        blank.rels.replace(RELS_SLOT, "".join(links.relationships)),
        _core(blank.core, case.id, title(step), _mark_text(form)),
    )
    temp = form.path.with_name(f".{form.path.name}.part")
    _save(temp, blank.package, dict(zip(OWN_PARTS, own, strict=True)))
    return temp


HOW_TO_FILL = (
    "Cara mengisi: pilih atau centang isian di atas, tulis catatan bila perlu, lalu simpan "
    "formulir ini di folder yang sama (Ctrl+S) dengan nama dan format yang sama (.docx). Pipeline "
    "mencatat keputusan Anda, mengarsipkan formulir ini sebagai buktinya, lalu mengambilnya dari folder."
)
# Where a form's own text goes in the parts made once (_blank): markers no form contains.
BODY_SLOT, RELS_SLOT = "<!--spse-body-->", "<!--spse-links-->"
TITLE_SLOT, SUBJECT_SLOT, KEYWORDS_SLOT = "spse-slot-title", "spse-slot-subject", "spse-slot-keywords"
# The summary table as python-docx lays it out on its default page: two equal grid columns, cells 4.5 and 11 cm.
_GRID, _LABEL_WIDTH, _VALUE_WIDTH = 4320, int(Cm(4.5).twips), int(Cm(11).twips)


@dataclass(frozen=True)
class _Blank:
    """A form without its case: the parts no case changes, zipped as python-docx zips them, and
    the body, links and properties as text with slots for the form's own."""

    package: bytes
    document: str
    rels: str
    core: str


OWN_PARTS = ("word/document.xml", "word/_rels/document.xml.rels", "docProps/core.xml")


@functools.lru_cache(maxsize=1)
def _blank() -> _Blank:
    """python-docx's default document in Arial 11 pt, saved once per process."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    document.core_properties.title = TITLE_SLOT
    document.core_properties.subject = SUBJECT_SLOT
    document.core_properties.keywords = KEYWORDS_SLOT
    saved, blank = io.BytesIO(), io.BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as package, zipfile.ZipFile(blank, "w", zipfile.ZIP_DEFLATED) as others:
        own = [package.read(name).decode("utf-8") for name in OWN_PARTS]
        for info in package.infolist():
            if info.filename not in OWN_PARTS:
                others.writestr(info, package.read(info))
    body, rels, core = own
    sections, closing = body.index("<w:sectPr"), rels.rindex("</Relationships>")
    return _Blank(
        blank.getvalue(),
        body[: body.index("<w:body>") + len("<w:body>")] + BODY_SLOT + body[sections:],
        rels[:closing] + RELS_SLOT + rels[closing:],
        core,
    )


def _core(core: str, kasus: str, subject: str, keywords: str) -> str:
    return (
        core.replace(TITLE_SLOT, _text(f"Formulir keputusan {kasus}"))
        .replace(SUBJECT_SLOT, _text(subject))
        .replace(KEYWORDS_SLOT, _text(keywords))
    )


def _save(temp: Path, blank: bytes, own: dict[str, str]) -> None:
    """The package: the blank's parts as compressed once (``_blank``), then the form's own."""
    buffer = io.BytesIO(blank)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
        for name, text in own.items():
            package.writestr(name, text.encode("utf-8"))
    temp.write_bytes(buffer.getvalue())


class _Links:
    """The form's hyperlinks: their relationships, numbered after the blank document's own."""

    FIRST = 9  # python-docx's default document has rId1-rId8

    def __init__(self) -> None:
        self.relationships: list[str] = []

    def add(self, url: str) -> str:
        rid = f"rId{self.FIRST + len(self.relationships)}"
        self.relationships.append(
            f'<Relationship Id="{rid}" Type="{RELATIONSHIP_TYPE.HYPERLINK}" Target="{_attr(url)}" TargetMode="External"/>'
        )
        return rid


def _heading(kop: dict[str, Any], step: Step) -> list[str]:
    """The letterhead, then the form's title and the step it decides."""
    return [
        _line(kop["ministry"], 12, True, center=True),
        _line(kop["name"], 12, True, center=True),
        _line(kop["address"], 9, False, center=True),
        _line(kop["contact"], 9, False, center=True),
        _line("FORMULIR KEPUTUSAN", 13, True, center=True),
        _line(title(step).upper(), 12, True, center=True),
    ]


def _summary(case: Case, memo: AgendaEntry, step: Step) -> str:
    """The case in a table: its memo, and what is asked of the official by when."""
    target = f"{step.target_minutes} menit" if step.target_minutes else "-"
    rows = "".join(
        f"<w:tr>{_cell(label, _LABEL_WIDTH)}{_cell(str(value or '-'), _VALUE_WIDTH)}</w:tr>"
        for label, value in (
            ("Kasus", case.id),
            ("Unit kerja", case.unit or "-"),
            ("Nomor Nota Dinas", memo.nomor_surat),
            ("Hal", memo.hal),
            ("Yang diminta", f"Langkah {step.number}: {step.activity}"),
            ("Target SOP", target),
        )
    )
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:type="auto" w:w="0"/><w:tblLook '
        'w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" '
        f'w:val="04A0"/></w:tblPr><w:tblGrid><w:gridCol w:w="{_GRID}"/><w:gridCol w:w="{_GRID}"/></w:tblGrid>'
        f"{rows}</w:tbl>"
    )


def _cell(text: str, width: int) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>{_paragraph(text)}</w:tc>'


def _case_documents(links: _Links, outbox: Path, folder: Path) -> list[str]:
    """Links to the case's documents in its outbox folder (the first twenty), relative to the form's ``folder``."""
    files = sorted(p for p in outbox.iterdir() if p.is_file()) if outbox.is_dir() else []
    return [
        _line("Dokumen kasus (folder outbox):", 11, True),
        *(_hyperlink(links, path.name, _relative_link(folder, path)) for path in files[:20]),
        *([] if files else [_paragraph("Belum ada dokumen di outbox untuk kasus ini.")]),
    ]


def _decision_fields(config: Config, procedure: Procedure, step: Step) -> list[str]:
    """What the official chooses: whom to forward to and what is asked (a disposition), or approve or
    reject (a verdict, saying where a rejection returns the case); a note-only step has none."""
    kind = form_kind(step)
    if kind == DISPOSITION:
        return [
            _line(
                "Diteruskan kepada: ", 11, True, _dropdown("kepada", "Diteruskan kepada", forward_choices(config, step))
            ),
            _line("Dengan hormat harap:", 11, True),
            *(
                f"<w:p>{_checkbox(f'harap:{number}', option)}{_run(f' {option}')}</w:p>"
                for number, option in enumerate(HARAP, start=1)
            ),
        ]
    if kind == VERDICT:
        reject = procedure.step(step.reject_to)
        return [
            _line("Keputusan: ", 11, True, _dropdown("keputusan", "Keputusan", (APPROVE, REJECT_CHOICE))),
            *(
                [
                    _paragraph(
                        f"Tolak mengembalikan kasus ke langkah {reject.number} ({reject.activity}); "
                        "tuliskan alasannya pada Catatan."
                    )
                ]
                if reject is not None
                else []
            ),
        ]
    return []


def _mark_text(form: Wanted) -> str:
    return f"{MARK}|{form.kasus}|{form.step.key}|{form.digest}"


# -- the body as WordprocessingML, written as python-docx writes it ------------------------------


def _line(text: str, size: int, bold: bool, after: str = "", center: bool = False) -> str:
    """A paragraph of one run in ``size`` pt, bold or not, 2 pt after it (centred), then ``after``."""
    jc = '<w:jc w:val="center"/>' if center else ""
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    properties = f'<w:rPr>{weight}<w:sz w:val="{size * 2}"/></w:rPr>'
    return f'<w:p><w:pPr><w:spacing w:after="40"/>{jc}</w:pPr>{_run(text, properties)}{after}</w:p>'


def _paragraph(text: str) -> str:
    return f"<w:p>{_run(text)}</w:p>"


def _run(text: str, properties: str = "") -> str:
    """A run as python-docx writes ``text``: a tab as ``w:tab``, a line break as ``w:br``."""
    pieces: list[str] = []
    chunk: list[str] = []
    for char in text:
        if char in "\t\n\r":
            pieces += [_t("".join(chunk))] if chunk else []
            pieces.append("<w:tab/>" if char == "\t" else "<w:br/>")
            chunk = []
        else:
            chunk.append(char)
    pieces += [_t("".join(chunk))] if chunk else []
    return f"<w:r>{properties}{''.join(pieces)}</w:r>"


def _t(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{_text(text)}</w:t>"


def _text(text: str) -> str:
    """Character data as lxml writes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(text: str) -> str:
    """An attribute's value as lxml writes it."""
    return _text(text).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")


def _relative_link(folder: Path, target: Path) -> str:
    """A link from the form's folder to an outbox file, relative (it works wherever the share is mounted)."""
    return quote(os.path.relpath(target, folder).replace(os.sep, "/"))


def _hyperlink(links: _Links, text: str, url: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:hyperlink r:id="{links.add(url)}"><w:r><w:rPr>'
        f'<w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr><w:t xml:space="preserve">{_text(text)}</w:t>'
        "</w:r></w:hyperlink></w:p>"
    )


def _dropdown(tag: str, alias: str, choices: tuple[str, ...]) -> str:
    items = "".join(f'<w:listItem w:displayText="{_attr(c)}" w:value="{_attr(c)}"/>' for c in choices)
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{_attr(alias)}"/><w:tag w:val="{_attr(tag)}"/>'
        f"<w:showingPlcHdr/><w:dropDownList>{items}</w:dropDownList></w:sdtPr>"
        f'<w:sdtContent><w:r><w:rPr><w:color w:val="808080"/></w:rPr><w:t>{CHOOSE}</w:t></w:r></w:sdtContent></w:sdt>'
    )


def _checkbox(tag: str, alias: str) -> str:
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{_attr(alias)}"/><w:tag w:val="{_attr(tag)}"/>'
        '<w14:checkbox><w14:checked w14:val="0"/><w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
        "</w:rPr><w:t>\u2610</w:t></w:r></w:sdtContent></w:sdt>"
    )


def _text_control(tag: str, alias: str) -> str:
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{_attr(alias)}"/><w:tag w:val="{_attr(tag)}"/>'
        '<w:showingPlcHdr/><w:text w:multiLine="1"/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:color w:val="808080"/>'
        f"</w:rPr><w:t>{PLACEHOLDER}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def _marker(form: Wanted) -> str:
    """A locked, small control whose tag names the case, the step and the digest of what was asked."""
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="Penanda formulir"/><w:tag w:val="{_attr(_mark_text(form))}"/>'
        '<w:lock w:val="sdtContentLocked"/><w:text/></w:sdtPr><w:sdtContent><w:r><w:rPr><w:color w:val="808080"/>'
        f'<w:sz w:val="14"/></w:rPr><w:t>Formulir {_text(form.kasus)} / {_text(form.step.key)} / {form.digest}</w:t>'
        "</w:r></w:sdtContent></w:sdt>"
    )


def is_reject(choice: str) -> bool:
    return choice.strip().lower() == REJECT_CHOICE.lower()


__all__ = ["REJECT", "is_reject", "refresh", "wanted_forms"]
