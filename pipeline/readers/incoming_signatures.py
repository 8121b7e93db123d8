"""Electronic signatures on an incoming letter: judged, recorded with its agenda entry, shown.

A memo between units now often arrives as a PDF signed electronically. Each
signature is validated with ``signing.check_pdf`` and judged by
``signing.fault``, the one judgement of the product, against
``signing.trust_roots``. Unlike the letter that leaves, an incoming letter is
the sender's record: an untrusted or broken signature is recorded and shown
(``status``, ``register --json``, the Lembar Disposisi), never a reason to
refuse it. Where a stamp is drawn is not judged here: an incoming letter has
no ``TTE`` bookmark of ours to compare it with.
"""

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipeline.formats import in_zone, waktu
from pipeline.letters import signing

HEAD = "Surat masuk bertanda tangan elektronik"


def check_files(settings: signing.SigningSettings, paths: Iterable[tuple[str, Path]]) -> tuple[dict[str, Any], ...]:
    """One record per signature in the PDFs among ``paths`` (a dict with the register's keys:
    berkas, utuh, dipercaya, penanda_tangan, waktu, alasan); () when none is signed."""
    found: list[dict[str, Any]] = []
    for name, path in paths:
        if not name.lower().endswith(".pdf") or not signing.has_signature(path):
            continue
        try:
            judged = _checks(settings, path)
        except Exception as exc:  # noqa: BLE001 - a signature that cannot be checked never refuses the letter
            judged = [
                (
                    signing.SignatureCheck(False, False, "", None),
                    f"tanda tangan tidak dapat diperiksa ({type(exc).__name__})",
                )
            ]
        found.extend(_record(name, check, problem) for check, problem in judged)
    return tuple(found)


def _checks(settings: signing.SigningSettings, path: Path) -> list[tuple[signing.SignatureCheck, str | None]]:
    """(SignatureCheck, the reason it is not trusted or "") for each signature in one PDF.

    A trust root that cannot be read does not hold the letter: its signatures are
    checked for integrity alone and the unreadable root is given as why they are
    not trusted."""
    try:
        checks, unread = signing.check_pdf(settings, path), ""
    except signing.SigningError as exc:
        checks, unread = signing.check_pdf(dataclasses.replace(settings, trust_roots=()), path), str(exc)
    judged: list[tuple[signing.SignatureCheck, str | None]] = []
    for check in checks:
        problem = signing.fault(dataclasses.replace(check, drawn_outside=False))
        if check.intact and unread:
            problem = unread
        judged.append((check, problem))
    return judged


def _record(name: str, check: signing.SignatureCheck, problem: str | None) -> dict[str, Any]:
    when = check.signed_at
    if isinstance(when, dt.datetime) and when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return {
        "berkas": name,
        "utuh": bool(check.intact),
        "dipercaya": bool(check.intact and not problem),
        "penanda_tangan": check.signer,
        "waktu": when.isoformat(timespec="seconds") if when else None,
        "alasan": problem,
    }


def sentence(item: Mapping[str, Any], zone: dt.tzinfo) -> str:
    """The line staff read for one signature (status, the Lembar Disposisi)."""
    if not item.get("utuh"):
        return f"{HEAD}: rusak: {_plain(item.get('alasan'))}"
    who = item.get("penanda_tangan") or "penanda tangan yang tidak dikenal"
    when = _when(item.get("waktu"), zone)
    trust = (
        "sertifikat dipercaya"
        if item.get("dipercaya")
        else (f"sertifikat tidak dipercaya ({_plain(item.get('alasan'))})")
    )
    return f"{HEAD}: utuh, ditandatangani oleh {who} pada {when}; {trust}"


def sentences(items: Iterable[Mapping[str, Any]] | None, zone: dt.tzinfo) -> list[str]:
    """The lines of every signature recorded with an agenda entry (none when unsigned)."""
    return [sentence(item, zone) for item in items or ()]


def _when(stamp: str | None, zone: dt.tzinfo) -> str:
    if not stamp:
        return "waktu yang tidak tercatat"
    moment = in_zone(stamp, zone)
    return f"{waktu(moment)} {moment.tzname() or ''}".strip()


def _plain(reason: object) -> str:
    """A reason inside the sentence: no final full stop, one space between words."""
    return " ".join(str(reason or "tidak diketahui").split()).rstrip(".")


def as_json(items: Iterable[Mapping[str, Any]] | None, zone: dt.tzinfo) -> list[dict[str, Any]]:
    """The records as ``status --json`` and ``register --json`` give them: each with its line."""
    return [dict(item, keterangan=sentence(item, zone)) for item in items or ()]
