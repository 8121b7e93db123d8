"""The static pages in ``outbox/status/`` that need no server (docs/architecture.md, "Pages").

For now: one verification page per code, ``outbox/status/kode/<KODE>/index.html``,
so a QR code holding ``verification.base_url`` + code lands on it when an
intranet web server serves the folder. Pages escape all data, load nothing
from the internet and are written whole (a reader never sees half a page).
"""

import html
import os
import uuid

from .verify import check_code

_STATUS = {"sah": ("SAH", "#1b5e20", "#e8f5e9"), "diganti": ("DIGANTI", "#8a5a00", "#fff8e1"),
           "batal": ("BATAL", "#b71c1c", "#ffebee"), "tidak_dikenal": ("TIDAK DIKENAL", "#424242", "#eeeeee")}
_CSS = ("body{font-family:Arial,Helvetica,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}"
        "h1{font-size:1.3rem;margin-bottom:.2rem}.kop{font-size:.85rem;color:#555}"
        ".status{display:inline-block;padding:.4rem .9rem;border-radius:.3rem;font-weight:bold;font-size:1.2rem}"
        "table{border-collapse:collapse;margin-top:1rem;width:100%}td{padding:.35rem .5rem;border-bottom:1px solid #ddd;"
        "vertical-align:top}td:first-child{color:#555;width:9rem}code{word-break:break-all}")


def write_atomic(path, text):
    """Write a page through a temporary file beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def code_page(config, found):
    """The verification page of one code, as HTML."""
    e = html.escape
    label, color, background = _STATUS[found["status"]]
    rows = [("Kode verifikasi", found["kode"]), ("Kasus", found.get("kasus")), ("Nomor", found.get("nomor")),
            ("Dokumen", (found.get("dokumen") or "").rsplit("/", 1)[-1]), ("Dibuat", found.get("dibuat")),
            ("SHA-256", found.get("sha256"))]
    cells = "".join(f"<tr><td>{e(name)}</td><td><code>{e(str(value))}</code></td></tr>"
                    for name, value in rows if value)
    org = config.organisation
    return (f"<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Verifikasi dokumen {e(found['kode'])}</title><style>{_CSS}</style></head><body>"
            f"<div class=\"kop\">{e(org['ministry'])}<br>{e(org['name'])}</div>"
            f"<h1>Verifikasi Dokumen</h1>"
            f"<p><span class=\"status\" style=\"color:{color};background:{background}\">{e(label)}</span></p>"
            f"<p>{e(found['pesan'])}</p><table>{cells}</table>"
            f"<p class=\"kop\">Untuk memastikan berkas yang Anda pegang sama dengan arsip, hitung SHA-256 "
            f"berkasnya dan bandingkan dengan nilai di atas.</p></body></html>")


def refresh_codes(config, register, kasus):
    """Write (again) the verification page of every code of a case: a status may have changed."""
    for code in register.codes(kasus=kasus):
        found = check_code(config, register, code.kode)
        write_atomic(config.outbox / "status" / "kode" / code.kode / "index.html", code_page(config, found))
