"""The static site in ``outbox/status/`` that needs no server (docs/architecture.md, "Pages").

``index.html`` lists the unfinished cases (what each waits for, overdue
against the SOP target highlighted) and the newest finished ones;
``kasus/<ID>.html`` shows a case: its steps against the targets as an SVG
chart, its findings, its documents in the outbox and its codes;
``antrean/<ROLE>.html`` is an official's queue (with, per account of the
role, when its holder was told of each case by e-mail); ``agenda.html`` the day's
agenda masuk and keluar; ``kode/<NAME>.html`` the verification page of a
printed code (NAME derived from the code with the workspace's key, so the
folder reveals no code), where the document's QR lands when an intranet web
server serves the folder; ``kode/index.html`` stands in for a listing.

Pages come from the Jinja templates in ``pipeline/outputs/pages/`` with autoescape
and StrictUndefined, load nothing from outside (no script, no CDN, CSS and
SVG inline) and are written whole (temporary file, then rename).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import itertools
import json
import math
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from markupsafe import Markup, escape

from pipeline.filing.archive import relative
from pipeline.filing.verify import check_code
from pipeline.formats import rupiah, tanggal, waktu
from pipeline.outputs import report_views
from pipeline.states import CaseStatus, CodeStatus, NoticeStatus, ShownStatus

if TYPE_CHECKING:
    import jinja2

    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.filing.verify import CodeCheck
    from pipeline.register.records import AgendaEntry, Notice
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure
    from pipeline.sop.views import CaseView, StepView

HELD, RUNNING = CaseStatus.HELD, ShownStatus.RUNNING

PAGES = Path(__file__).parent / "pages"
FINISHED_SHOWN = 50  # finished cases on the index, newest first
DAY_SHOWN = 300  # entries of each book on the day's agenda, newest first
LETTERS_SCANNED = 2000  # outgoing letters looked at for one sent today (letters are sent within days)
_MARK = ".terakhir"  # what the site was last written from: chain head, newest event id, overdue cases
_ROWS = ".baris"  # the index's rows of the unfinished cases (``_basis``), as of _MARK's newest event
_SHAPE = 1  # the shape of the rows kept in _ROWS: a new shape describes every case again

_STATUS = {
    CodeStatus.VALID: ("SAH", "#1b5e20", "#e8f5e9"),
    CodeStatus.REPLACED: ("DIGANTI", "#8a5a00", "#fff8e1"),
    CodeStatus.VOID: ("BATAL", "#b71c1c", "#ffebee"),
    CodeStatus.UNKNOWN: ("TIDAK DIKENAL", "#424242", "#eeeeee"),
}
_CSS = (
    "body{font-family:Arial,Helvetica,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "h1{font-size:1.3rem;margin-bottom:.2rem}.kop{font-size:.85rem;color:#555}"
    ".status{display:inline-block;padding:.4rem .9rem;border-radius:.3rem;font-weight:bold;font-size:1.2rem}"
    "table{border-collapse:collapse;margin-top:1rem;width:100%}td{padding:.35rem .5rem;border-bottom:1px solid #ddd;"
    "vertical-align:top;overflow-wrap:anywhere}td:first-child{color:#555;width:9rem}code{word-break:break-all}"
    "h2{font-size:1.1rem;margin-top:1.5rem}.periksa{margin-top:1rem;padding:.6rem;background:#fff8e1}"
)


def write_atomic(path: Path, text: str) -> None:
    """Write a page through a temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def code_page(config: Config, found: CodeCheck) -> str:
    """The verification page of one code, as HTML: its status, and what the genuine document says
    for the reader to compare with the paper (a matching code alone proves nothing)."""
    from pipeline.documents.proof import rows

    e = html.escape
    label, color, background = _STATUS[found.status]
    listed = [
        ("Kode verifikasi", found.kode),
        ("Kasus", found.kasus),
        *(rows(found.isi) if found.isi else []),
        ("Berkas arsip", (found.dokumen or "").rsplit("/", 1)[-1]),
        ("Dibuat", waktu(found.dibuat, config.timezone)),
        ("SHA-256", found.sha256),
    ]
    cells = "".join(f"<tr><td>{e(name)}</td><td>{e(str(value))}</td></tr>" for name, value in listed if value)
    check = f'<p class="periksa"><strong>{e(found.periksa)}</strong></p>' if found.periksa else ""
    org = config.organisation
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex">'
        f"<title>Verifikasi dokumen {e(found.kode)}</title><style>{_CSS}</style></head><body>"
        f'<div class="kop">{e(org["ministry"])}<br>{e(org["name"])}</div>'
        f"<h1>Verifikasi Dokumen</h1>"
        f'<p><span class="status" style="color:{color};background:{background}">{e(label)}</span></p>'
        f"<p>{e(found.pesan)}</p><h2>Isi dokumen asli</h2><table>{cells}</table>{check}"
        f'<p class="kop">Untuk salinan digital: hitung SHA-256 berkasnya dan bandingkan dengan nilai di '
        f"atas.</p></body></html>"
    )


def index_page(config: Config) -> str:
    """``kode/index.html``: how to check a document. A web server shows it instead of listing the
    folder, so the pages of codes cannot be enumerated there."""
    e = html.escape
    org = config.organisation
    return (
        f'<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="robots" content="noindex">'
        f"<title>Verifikasi dokumen</title><style>{_CSS}</style></head><body>"
        f'<div class="kop">{e(org["ministry"])}<br>{e(org["name"])}</div><h1>Verifikasi Dokumen</h1>'
        f"<p>Pindai kode QR pada dokumen untuk membuka halaman verifikasinya, atau minta petugas "
        f"{e(org['short_name'])} memeriksa kode verifikasi yang tercetak di kaki dokumen.</p></body></html>"
    )


def refresh_codes(config: Config, register: SqlRegister, kasus: str) -> None:
    """Write (again) the verification page of every code of a case: a status may have changed.

    Pages are named from the code with the workspace's key (``proof.page_name``); a page of the
    earlier layout, a folder named by the bare code, is taken away (it let the codes be listed)."""
    from pipeline.documents.proof import INDEX, key, page_name
    from pipeline.filing.archive import remove_tree

    folder = config.outbox / "status" / "kode"
    secret = key(config.archive)
    if not (folder / INDEX).is_file():
        write_atomic(folder / INDEX, index_page(config))
    for code in register.codes(kasus=kasus):
        found = check_code(config, register, code.kode)
        write_atomic(folder / page_name(secret, code.kode), code_page(config, found))
        if (folder / code.kode).is_dir():
            remove_tree(folder / code.kode)


# -- the status site ----------------------------------------------------------------------------


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PAGES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment


def page(name: str, **context: object) -> str:
    """One page of the site as HTML."""
    return _environment().get_template(name).render(**context)


def refresh(force: bool = False, *, config: Config, register: SqlRegister, procedure: Procedure, clock: Clock) -> None:
    """Rewrite the site after a change of the register (or, with ``force``, because time
    passed: an overdue step is highlighted by the clock). The pages of cases with new
    events, or that became overdue, are written again; the index, the queues and the
    day's agenda always, from the rows kept of the cases that did not change (``_open_rows``)."""
    folder = config.outbox / "status"
    last = _last_written(folder)
    head = register.chain_head()[0]
    if last is not None and last.get("rantai") == head and not force:
        return
    now = clock.now()
    common = page_context(config, procedure, now)
    if last is None:  # the first time: the pages the index links to (not every case of past years)
        changed, newest = None, register.changed_cases(0)[1]
    else:  # cases with new events, and those that became overdue since (a page says when it was written)
        changed, newest = register.changed_cases(last.get("peristiwa", 0))
    judged = _judged_under(config)
    kept = _kept_rows(folder, last, judged)
    bases = _open_rows(kept, changed, clock, now, config=config, register=register, procedure=procedure)
    stamp = now.isoformat(timespec="seconds")
    open_items = [_row(basis, stamp) for basis in bases]
    closed_items = _closed_rows(now, stamp, config=config, register=register, procedure=procedure)
    late = sorted(item["kasus"] for item in open_items if item["terlambat"])
    if changed is None or last is None:
        changed = {item["kasus"] for item in open_items + closed_items}
    else:
        changed = changed | (set(late) - set(last.get("terlambat", [])))
    for kasus in sorted(changed):
        case_page(kasus, common, now, config=config, register=register, procedure=procedure)
    _write_lists(folder, common, open_items, closed_items, config=config, register=register, now=now)
    report_views.refresh_site(config, register, procedure, now, common, head)  # laporan.html
    kept = {basis["kasus"]: basis for basis in bases}
    write_atomic(folder / _ROWS, orjson.dumps({"peristiwa": newest, "tanda": judged, "baris": kept}).decode("utf-8"))
    write_atomic(folder / _MARK, json.dumps({"rantai": head, "peristiwa": newest, "terlambat": late}))


def _kept_rows(folder: Path, last: dict[str, Any] | None, judged: str) -> dict[str, dict] | None:
    """The rows ``_ROWS`` keeps, when they are those of the last refresh (``last``, its newest
    event id) described under the same config and code (``judged``); else None."""
    if last is None:
        return None
    try:
        kept = orjson.loads((folder / _ROWS).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or (kept.get("peristiwa"), kept.get("tanda")) != (last.get("peristiwa"), judged):
        return None  # another shape, another config, or a refresh that stopped between the two files
    rows = kept.get("baris")
    return rows if isinstance(rows, dict) else None


def _write_lists(
    folder: Path,
    common: dict[str, Any],
    open_items: list[dict[str, Any]],
    closed_items: list[dict[str, Any]],
    *,
    config: Config,
    register: SqlRegister,
    now: dt.datetime,
) -> None:
    """The index, each role's queue and the day's agenda."""
    shown = {item["kasus"]: _row_html(item) for item in open_items}
    write_atomic(
        folder / "index.html",
        page(
            "index.html",
            **common,
            root="",
            open_items=_rows_html(shown.values(), ""),
            closed_items=_rows_html(map(_row_html, closed_items), ""),
            counts=_counts(open_items, closed_items),
            waiting=_waiting(config),
        ),
    )
    notices = _notices(config, register)
    for role in common["roles"]:
        waiting = [item for item in open_items if role["key"] in item["peran_sekarang"]]
        write_atomic(
            folder / "antrean" / f"{role['slug']}.html",
            page(
                "queue.html",
                **common,
                root="../",
                role=role,
                items=_rows_html((shown[item["kasus"]] for item in waiting), "../"),
                email=config.email.enabled,
                officials=_told(config, role["key"], waiting, notices),
            ),
        )
    write_atomic(folder / "agenda.html", page("agenda.html", **common, root="", **_agenda(config, register, now)))


def _open_rows(
    kept: dict[str, dict] | None,
    changed: set[str] | None,
    clock: Clock,
    now: dt.datetime,
    *,
    config: Config,
    register: SqlRegister,
    procedure: Procedure,
) -> list[dict[str, Any]]:
    """The rows of the unfinished cases as of their last change (``_basis``), in the index's
    order: those ``kept`` from the last refresh, unless the case has an event since (``changed``)
    or its record says otherwise; the other cases described again. Without ``kept`` (the first
    time, or the config or the SOP's code changed) every case is described."""
    from pipeline.sop import views

    if kept is None or changed is None:
        return [
            _basis(item) for item in views.status(config=config, register=register, procedure=procedure, clock=clock)
        ]
    viewer = views.Viewer(config, now)
    bases = []
    for kasus, *fields in register.open_case_heads():
        basis = kept.get(kasus)
        if basis is None or kasus in changed or not _still(basis, fields):
            case = register.case(kasus)
            if case is None:
                continue  # gone since it was listed (a rebuilt register): the next refresh lists it right
            item = views.describe(case, now, config=config, register=register, procedure=procedure, viewer=viewer)
            basis = _basis(item)
        bases.append(basis)
    return bases


def _still(basis: dict[str, Any], fields: Sequence[str]) -> bool:
    """Whether a kept row agrees with its case's record (status, unit, rujukan): a change
    without an event is seen."""
    status, unit, rujukan = fields
    shown = basis["status"] if basis["sekarang"] is not None else status
    return (shown, basis["unit"], basis["rujukan"]) == (status, unit, rujukan)


def _closed_rows(
    now: dt.datetime, stamp: str, *, config: Config, register: SqlRegister, procedure: Procedure
) -> list[dict[str, Any]]:
    """The rows of the newest finished cases (``FINISHED_SHOWN``)."""
    from pipeline.sop import views

    viewer = views.Viewer(config, now)
    return [
        _row(
            _basis(views.describe(case, now, config=config, register=register, procedure=procedure, viewer=viewer)),
            stamp,
        )
        for case in register.finished_cases(FINISHED_SHOWN)
    ]


def _judged_under(config: Config) -> str:
    """What the kept rows were described under: the config as loaded and the SOP's code
    (``quiet.behaviour_mark``), and the rows' own shape (``_SHAPE``)."""
    from pipeline.inbox.quiet import behaviour_mark

    return f"{_SHAPE}:{behaviour_mark(config)}"


def _notices(config: Config, register: SqlRegister) -> dict[tuple[str, str, str], Notice]:
    """The e-mail notices of unfinished cases by (kasus, step key, account), the newest wait's."""
    if not config.email.enabled:
        return {}
    found: dict[tuple[str, str, str], Notice] = {}
    for notice in register.current_notices():  # oldest wait first: the newest stays
        found[(notice.kasus, notice.langkah, notice.akun)] = notice
    return found


def _told(
    config: Config, role: str, waiting: Sequence[dict[str, Any]], notices: dict[tuple[str, str, str], Notice]
) -> list[dict[str, Any]]:
    """Each account holding ``role``: its address and, per case waiting for it, when it was told
    by e-mail (outputs/notices.py), or why not yet."""
    zone = config.timezone
    officials = []
    for account in config.roles.get(role, ()):
        address = config.email.to.get(account, "")
        rows = []
        for item in waiting:
            notice = notices.get((item["kasus"], item["langkah_kunci"] or "", account))
            if not address:
                told = "tidak diberi tahu: akun ini belum punya alamat e-mail (email.to)"
            elif notice is None:
                told = "akan diberitahukan setelah pemrosesan berikutnya"
            elif notice.status == NoticeStatus.SENT:
                told = f"diberitahukan {waktu(notice.dikirim, zone)}"
            elif notice.percobaan:
                told = (
                    f"belum terkirim ({notice.galat}); dicoba lagi {waktu(notice.berikutnya, zone)}"
                    if notice.berikutnya
                    else f"belum terkirim ({notice.galat})"
                )
            else:
                told = "menunggu giliran ringkasan e-mail berikutnya"
            rows.append({"kasus": item["kasus"], "menunggu": item["menunggu"], "diberitahu": told})
        officials.append({"akun": account, "alamat": address, "kasus": rows})
    return officials


def _waiting(config: Config) -> list[dict[str, str]]:
    """Letters waiting in inbox/lengkapi/ for staff to complete their draft."""
    from pipeline.inbox.completion import waiting, waiting_since

    return [
        {
            "surat": path.name,
            "sejak": waiting_since(config, since),
            "draf": relative(draft, config.root) if draft else "(belum ada)",
        }
        for path, draft, since in waiting(config)
    ]


def case_page(
    kasus: str, common: dict, now: dt.datetime, *, config: Config, register: SqlRegister, procedure: Procedure
) -> None:
    """``kasus/<ID>.html``."""
    from pipeline.sop.views import describe

    case = register.case(kasus)
    if case is None:
        return
    item = describe(case, now, config=config, register=register, procedure=procedure)
    zone = config.timezone
    steps = [
        {
            "no": step.no,
            "nama": step.nama,
            "peran": step.peran,
            "status": step.status,
            "oleh": step.oleh,
            "terlambat": step.late,
            "mulai_teks": waktu(step.mulai, zone),
            "selesai_teks": waktu(step.selesai, zone),
            "menit_teks": _minutes(step.menit),
            "target_teks": _minutes(step.target_menit or None),
        }
        for step in item.langkah
    ]
    outbox = config.outbox / kasus
    documents = sorted(p.name for p in outbox.iterdir() if p.is_file()) if outbox.is_dir() else []
    write_atomic(
        config.outbox / "status" / "kasus" / f"{kasus}.html",
        page(
            "case.html",
            **common,
            root="../",
            item=item,
            steps=steps,
            chart=chart(item.langkah),
            pagu=rupiah(item.data["pagu_total"]),
            documents=documents,
            codes=_codes(config, register, kasus),
        ),
    )


def _codes(config: Config, register: SqlRegister, kasus: str) -> list[dict[str, str]]:
    """A case's codes with their pages' names (``proof.page_name``)."""
    from pipeline.documents.proof import key, page_name

    secret = key(config.archive)
    return [
        {"kode": c.kode, "jenis": c.jenis, "halaman": page_name(secret, c.kode)} for c in register.codes(kasus=kasus)
    ]


def page_context(config: Config, procedure: Procedure, now: dt.datetime) -> dict[str, Any]:
    """What every page shows: the letterhead, the queues in the menu, when it was written."""
    roles, seen = [], set()
    for step in procedure.steps:
        if step.kind != "input" and procedure.handler(step).action:
            for key in step.role:
                if key not in seen:
                    seen.add(key)
                    roles.append({"key": key, "slug": key, "label": role_label(procedure, key)})
    return {
        "org": config.organisation,
        "roles": roles,
        "updated": waktu(now, config.timezone),
        "sop_code": config.sop_code,
    }


def role_label(procedure: Procedure, key: str) -> str:
    """A role as people call it: the actor of the first step only that role does, else the key."""
    for step in procedure.steps:
        if step.role == (key,):
            return step.actor
    return key.replace("_", " ").title()


def _last_written(folder: Path) -> Any:
    try:
        return json.loads((folder / _MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _basis(item: CaseView) -> dict[str, Any]:
    """What a case's row is made from, kept between refreshes (JSON): the case's fields, and its
    current step's status, times and target, from which the row's minutes are counted again."""
    current = item.current
    return {
        "kasus": item.kasus,
        "unit": item.unit,
        "rujukan": item.rujukan,
        "status": item.status,
        "langkah_sekarang": item.langkah_sekarang,
        "menunggu": item.menunggu,
        "peran_sekarang": list(item.awaited_roles),
        "langkah_kunci": current.key if current is not None else None,
        "sekarang": (
            [current.status, current.mulai, current.selesai, current.target_menit] if current is not None else None
        ),
    }


def _row(basis: dict[str, Any], stamp: str) -> dict:
    """A case as a row of the index and the queues at the moment ``stamp`` (``peran_sekarang``:
    the roles whose action it waits for); a running step's minutes count up to it, as
    ``views.Viewer`` counts them."""
    from pipeline.sop.views import minutes_between

    lama = target = None
    terlambat = False
    if basis["sekarang"] is not None:
        status, mulai, selesai, target_menit = basis["sekarang"]
        running = status == RUNNING
        menit = minutes_between(mulai, selesai or (stamp if running else None))
        target = _minutes(target_menit or None)
        if running:
            lama = _minutes(menit)
            over = bool(target_menit) and menit is not None and menit > target_menit
            terlambat = basis["status"] != HELD and over
    return {
        "kasus": basis["kasus"],
        "unit": basis["unit"],
        "rujukan": basis["rujukan"],
        "status": basis["status"],
        "langkah_sekarang": basis["langkah_sekarang"],
        "menunggu": basis["menunggu"],
        "lama": lama,
        "target": target,
        "terlambat": terlambat,
        "peran_sekarang": basis["peran_sekarang"],
        "langkah_kunci": basis["langkah_kunci"],
    }


def _rows_html(rows: Iterable[str], root: str) -> Markup:
    """Rows of a list of cases (``pages/_cases.html``, rows made by ``_row_html``) with their
    links from ``root``, the one part of a row that depends on the page."""
    return Markup("\n".join(row.replace(_LINK, f'<a href="{root}kasus/', 1) for row in rows))


_LINK = '<a href="kasus/'  # a row's link from the site's root; escaped content holds no quote or <


def _row_html(item: dict[str, Any]) -> str:
    """A case as a row of a list of cases, escaped as the templates escape (``_escaped``), its link
    from the site's root. Made here rather than in the template: an index of 10,000 cases takes
    milliseconds, not a second, and each row is made once for the index and the queues."""
    e, late = _escaped, item["terlambat"]
    kasus = e(item["kasus"])
    spent = "—"
    if item["lama"] is not None:
        badge = ' <span class="lencana terlambat-tanda">melewati target</span>' if late else ""
        spent = f"{e(item['lama'])} / {e(item['target'])}{badge}"
    return (
        f'<tr class="{"terlambat" if late else ""}" data-kasus="{kasus}">\n'
        f'<td>{_LINK}{kasus}.html">{kasus}</a></td>\n'
        f"<td>{e(item['unit'])}</td>\n"
        f"<td>{e(item['rujukan'])}</td>\n"
        f"<td>{e(item['langkah_sekarang'] or '—')}</td>\n"
        f"<td>{e(item['menunggu'])}</td>\n"
        f"<td>{spent}</td>\n"
        f'<td><span class="lencana {e(item["status"])}">{e(item["status"])}</span></td>\n'
        "</tr>"
    )


def _escaped(value: object) -> str:
    """A value as Jinja's autoescape (markupsafe) writes it: & < > ' " as entities."""
    text = str(value)
    if not _SPECIAL.search(text):
        return text
    return str(escape(text))


_SPECIAL = re.compile("[&<>'\"]")


def _counts(open_items: Sequence[dict[str, Any]], closed_items: Sequence[dict[str, Any]]) -> dict[str, int]:
    return {
        "berjalan": sum(1 for i in open_items if i["status"] == RUNNING),
        "tertahan": sum(1 for i in open_items if i["status"] == HELD),
        "terlambat": sum(1 for i in open_items if i["terlambat"]),
        "selesai": len(closed_items),
    }


def _agenda(config: Config, register: SqlRegister, now: dt.datetime) -> dict[str, Any]:
    """The day's agenda: memos received today, letters numbered or sent today; the newest
    ``DAY_SHOWN`` of each (the books hold the rest), read from the books' ends only."""
    today = now.date().isoformat()
    masuk = []
    for entry in itertools.islice(register.agenda_newest_first("masuk", now.year), DAY_SHOWN):
        received = entry.diterima or ""
        if received[:10] < today:
            break
        if received[:10] == today:
            masuk.append({**_fields(entry), "diterima_teks": waktu(received, config.timezone)})
    keluar = []
    for entry in itertools.islice(register.agenda_newest_first("keluar", now.year), LETTERS_SCANNED):
        if entry.tanggal_surat[:10] != today and not (entry.dikirim or "").startswith(today):
            continue
        state = (
            "dibatalkan"
            if entry.batal
            else "dikirim"
            if entry.dikirim
            else "ditandatangani"
            if entry.ditandatangani
            else "menunggu tanda tangan"
        )
        keluar.append({**_fields(entry), "tanggal_teks": tanggal(entry.tanggal_surat), "keadaan": state})
        if len(keluar) == DAY_SHOWN:
            break
    return {"today": tanggal(today), "masuk": masuk[::-1], "keluar": keluar[::-1], "batas": DAY_SHOWN}


def _fields(entry: AgendaEntry) -> dict[str, Any]:
    return {
        name: getattr(entry, name)
        for name in ("nomor_agenda", "nomor_surat", "dari", "kepada", "hal", "sifat", "kasus")
    }


def chart(steps: Sequence[StepView], span: int = 360, left: int = 330, row_height: int = 22) -> dict:
    """The geometry of a case's timeline: per step a dashed box for the SOP target and a bar
    for the minutes spent, on a square-root scale (5 minutes and 3 days both readable)."""
    longest = max([s.target_menit or 0 for s in steps] + [s.menit or 0 for s in steps] + [1])
    scale = span / math.sqrt(longest)
    rows = []
    for index, step in enumerate(steps):
        minutes, target = step.menit, step.target_menit
        color = "#1e88e5" if step.status == RUNNING else "#c62828" if step.late else "#43a047"
        caption = (
            f"{_minutes(minutes)} / target {_minutes(target)}"
            if minutes is not None
            else f"{step.status} · target {_minutes(target)}"
        )
        rows.append(
            {
                "no": step.no,
                "label": _short(step.nama, 48),
                "y": index * row_height,
                "target_x": round(math.sqrt(target) * scale, 1) if target else None,
                "actual_x": max(2.0, round(math.sqrt(minutes) * scale, 1)) if minutes is not None else None,
                "color": color,
                "caption": caption,
            }
        )
    return {"rows": rows, "width": left + span + 190, "height": len(steps) * row_height + 4, "left": left, "span": span}


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value >= 1440:
        return f"{value / 1440:.1f} hari".replace(".", ",")
    if value >= 60:
        return f"{value / 60:.1f} jam".replace(".", ",")
    return f"{value:g} mnt".replace(".", ",")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
