"""Electronic signatures on the letter that leaves (docs/architecture.md, "Signing").

``signing.method`` in config.yaml chooses how the numbered Nota Dinas is
signed: ``none`` (printed and signed in ink; the signed scan is archived
beside the letter), ``pkcs12`` (the pipeline signs the PDF itself, PAdES,
with the institution's certificate; the passphrase comes from an
environment variable) or ``bsre`` (the signer signs at the terminal through
the agency's BSrE gateway, ``pipeline tandatangani``). The stamp sits where
the template's ``TTE`` bookmark puts the room for a signature, and carries
the signer, the time and the document's QR code. ``verify`` validates every
signed PDF against ``signing.trust_roots``.
"""

import datetime as dt
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError

NONE, PKCS12, BSRE = "none", "pkcs12", "bsre"
FIELD = "TTE"
STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(waktu)s"


class SigningError(PipelineError):
    """Raised when a letter cannot be signed (no passphrase, a wrong one, a bad certificate)."""


@dataclass(frozen=True)
class SigningSettings:
    """``signing`` in config.yaml."""

    method: str = NONE
    certificate: Path | None = None
    passphrase_env: str = "SPSE_PASSPHRASE"
    tsa_url: str = ""
    trust_roots: tuple = ()
    scan_sends: bool = False
    bsre_url: str = ""
    bsre_user_env: str = "SPSE_BSRE_USER"
    bsre_password_env: str = "SPSE_BSRE_PASSWORD"

    @property
    def electronic(self) -> bool:
        return self.method in (PKCS12, BSRE)


def stamp_box(pdf_path: Path, width: int = 230, height: int = 40) -> tuple[int, tuple[int, int, int, int]]:
    """(page index, box) where the template's TTE bookmark is; the last page's lower right otherwise."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with open(pdf_path, "rb") as handle:
        reader = PdfFileReader(handle)
        return _place(reader, list(_pages(reader.root["/Pages"])), width, height)


def _place(
    reader: Any, pages: list[tuple[Any, Any]], width: int = 230, height: int = 40
) -> tuple[int, tuple[int, int, int, int]]:
    """``stamp_box`` of an open PDF."""
    # indexing resolves an indirect object; pyhanko's .get() would not (noqa: SIM401)
    dests = reader.root["/Dests"] if "/Dests" in reader.root else {}  # noqa: SIM401
    target = dests["/" + FIELD] if "/" + FIELD in dests else None  # noqa: SIM401
    if target is not None:
        page_ref, left, top = target.raw_get(0), target[2], target[3]
        index = next(i for i, (ref, _) in enumerate(pages) if ref == page_ref.reference)
        left, top = float(left), float(top)
        return index, (int(left), int(top - height), int(left + width), int(top))
    box = [float(v) for v in pages[-1][1]["/MediaBox"]]
    return len(pages) - 1, (int(box[2] - width - 50), 60, int(box[2] - 50), 60 + height)


def _pages(node: Any, ref: Any = None) -> Iterator[tuple[Any, Any]]:
    """(reference, page) of every page, in order."""
    if "/Kids" not in node:
        yield ref, node
        return
    kids = node["/Kids"]
    for i in range(len(kids)):
        yield from _pages(kids[i], kids.raw_get(i).reference)


def sign_pkcs12(
    settings: SigningSettings, pdf_path: Path, qr_url: str, reason: str, location: str, when: dt.datetime
) -> str:
    """Sign ``pdf_path`` in place with the configured PKCS#12 certificate (PAdES; B-T with a TSA)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.stamp import QRStampStyle

    passphrase = os.environ.get(settings.passphrase_env)
    if not passphrase:
        raise SigningError(
            f"Frasa sandi sertifikat belum diberikan: isi variabel lingkungan "
            f"{settings.passphrase_env} pada layanan pipeline, lalu catat persetujuan lagi."
        )
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(settings.certificate), passphrase=passphrase.encode("utf-8"))
    except (OSError, ValueError) as exc:
        raise SigningError(
            f"Sertifikat {settings.certificate} tidak dapat dibuka ({type(exc).__name__}); "
            "periksa berkasnya dan frasa sandinya."
        ) from None
    if signer is None:
        raise SigningError(f"Sertifikat {settings.certificate} tidak dapat dibuka; periksa berkas dan frasa sandinya.")
    page, box = stamp_box(pdf_path)
    signed = pdf_path.with_name(pdf_path.stem + ".ttd.pdf")
    with open(pdf_path, "rb") as source:
        writer = IncrementalPdfFileWriter(source, strict=False)
        fields.append_signature_field(writer, fields.SigFieldSpec(FIELD, on_page=page, box=box))
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD,
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            stamp_style=QRStampStyle(stamp_text=STAMP_TEXT, border_width=0),
            timestamper=HTTPTimeStamper(settings.tsa_url) if settings.tsa_url else None,
        )
        try:
            with open(signed, "wb") as output:
                pdf_signer.sign_pdf(
                    writer, output=output, appearance_text_params={"url": qr_url, "waktu": _waktu(when)}
                )
        except Exception as exc:  # noqa: BLE001 - pyHanko's errors (a TSA down is an IOError) told as what they are
            signed.unlink(missing_ok=True)
            raise _signing_failed(settings, exc) from None
    os.replace(signed, pdf_path)
    return _common_name(signer.signing_cert)


def _signing_failed(settings: SigningSettings, exc: Exception) -> SigningError:
    from pyhanko.sign.timestamps import TimestampRequestError

    if isinstance(exc, TimestampRequestError) or (settings.tsa_url and "timestamp" in type(exc).__name__.lower()):
        return SigningError(
            f"Server cap waktu {settings.tsa_url} (signing.tsa_url) tidak memberi cap waktu; surat "
            "belum ditandatangani dan persetujuan akan dicoba lagi. Periksa alamat dan jaringannya."
        )
    return SigningError(
        f"Surat tidak dapat ditandatangani dengan {settings.certificate} ({type(exc).__name__}); "
        "persetujuan akan dicoba lagi. Periksa sertifikat dan berkas PDF-nya."
    )


def _waktu(moment: dt.datetime) -> str:
    from pipeline.formats import waktu

    return f"{waktu(moment)} {moment.tzname() or ''}".strip()


def _common_name(cert: Any) -> str:
    return cert.subject.native.get("common_name") or cert.subject.human_friendly


@dataclass(frozen=True)
class SignatureCheck:
    """What verify found in one signed PDF."""

    intact: bool
    trusted: bool
    signer: str
    signed_at: dt.datetime | None
    problem: str = ""
    timestamped: bool = False  # the time comes from a time-stamp authority (PAdES B-T), not the signer
    valid_then: bool = False  # the certificate was valid at the signing time
    drawn_outside: bool = False  # its visible stamp lies outside the letter's signature place


def check_pdf(settings: SigningSettings, pdf_path: Path) -> list[SignatureCheck]:
    """Validate every signature in a PDF against the trust roots; one SignatureCheck each.

    A signature counts as intact only when nothing but further signatures or
    validation data was added after it: content changed in a later revision
    (an incremental update drawing over the page, say) makes it not intact.
    Document time-stamps (``/DocTimeStamp``) are not signatures of a person and
    are passed over. Where each signature's stamp is drawn is noted too
    (``fault`` judges it).
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    context = _validation_context(settings)
    results = []
    with open(pdf_path, "rb") as handle:
        try:
            reader = PdfFileReader(handle, strict=False)
            embedded_signatures = reader.embedded_signatures
            place = _signature_place(reader)
        except Exception as exc:  # noqa: BLE001 - a damaged file is a finding
            return [SignatureCheck(False, False, "", None, f"berkas PDF tidak dapat dibaca ({type(exc).__name__})")]
        for embedded in embedded_signatures:
            if embedded.sig_object_type == "/DocTimeStamp":
                continue
            try:
                status = validate_pdf_signature(embedded, context)
                outside = _drawn_outside(embedded, place)
            except Exception as exc:  # noqa: BLE001 - a damaged signature is a finding, not a crash
                results.append(
                    SignatureCheck(False, False, "", None, f"tanda tangan tidak dapat diperiksa ({type(exc).__name__})")
                )
                continue
            results.append(_check(status, outside))
    return results


def fault(check: SignatureCheck) -> str:
    """Why one signature cannot stand for the letter's signature, in Indonesian; "" when it can.

    The one trust judgement intake and ``verify`` both apply: intact with
    nothing but signatures added after it, a certificate chaining to
    ``signing.trust_roots`` with the key usage for signing, valid when it
    signed, and a stamp drawn only in the letter's signature place.
    """
    who = check.signer or "tidak dikenal"
    if not check.intact:
        return f"tanda tangan {who} rusak atau dokumennya diubah setelah ditandatangani. {check.problem}".strip()
    if not check.trusted:
        return (
            f"sertifikat penanda tangan ({who}) tidak dipercaya oleh signing.trust_roots: sertifikatnya tidak "
            "diterbitkan oleh otoritas sertifikat yang dipercaya atau tidak untuk tanda tangan."
        )
    if not check.valid_then:
        return f"sertifikat penanda tangan ({who}) tidak berlaku pada waktu penandatanganan."
    if check.drawn_outside:
        return (
            f"tampilan tanda tangan {who} digambar di luar tempat tanda tangan surat (penanda TTE), di atas "
            "isi yang ditandatangani."
        )
    return ""


def has_signature(pdf_path: Path) -> bool:
    """True when the PDF carries a signature (intact or not); False for a plain or unreadable file."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        with open(pdf_path, "rb") as handle:
            return any(
                e.sig_object_type != "/DocTimeStamp" for e in PdfFileReader(handle, strict=False).embedded_signatures
            )
    except Exception:  # noqa: BLE001 - an unreadable file carries no signature we can speak of
        return False


def _validation_context(settings: SigningSettings) -> Any:
    """The trust roots as pyHanko wants them; a root that cannot be read is a SigningError."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko_certvalidator import ValidationContext

    for name in ("pyhanko", "pyhanko_certvalidator"):  # an untrusted path is our finding, not a log line
        logging.getLogger(name).setLevel(logging.CRITICAL)
    roots = []
    for path in settings.trust_roots:
        try:
            roots.append(load_cert_from_pemder(str(path)))
        except Exception as exc:  # noqa: BLE001 - any unreadable root is the same problem for staff
            raise SigningError(
                f"Sertifikat akar {path} pada signing.trust_roots tidak dapat dibaca "
                f"({type(exc).__name__}). Periksa berkasnya (PEM atau DER)."
            ) from None
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def _check(status: Any, outside: bool = False) -> SignatureCheck:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    untouched = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.modification_level is not None and status.modification_level <= ModificationLevel.FORM_FILLING
    )
    when = status.timestamp_validity.timestamp if status.timestamp_validity else status.signer_reported_dt
    name = _common_name(status.signing_cert) if status.signing_cert else ""
    problem = "" if untouched else "Isi dokumen diubah setelah ditandatangani."
    return SignatureCheck(
        bool(status.intact and status.valid and untouched),
        bool(status.trusted),
        name,
        when,
        problem,
        timestamped=status.timestamp_validity is not None,
        valid_then=_valid_at(status.signing_cert, when),
        drawn_outside=outside,
    )


def _valid_at(cert: Any, when: dt.datetime | None) -> bool:
    """The signer's certificate was within its validity period at the signing time (no time given:
    the chain's validation at the present stands alone)."""
    if cert is None:
        return False
    if when is None:
        return True
    validity = cert["tbs_certificate"]["validity"]
    return validity["not_before"].native <= when <= validity["not_after"].native


def _signature_place(reader: Any) -> tuple[Any, tuple[int, int, int, int]]:
    """(page reference, box) of the letter's signature place: the TTE bookmark, else the last page's
    lower right (where ``stamp_box`` puts a stamp)."""
    pages = list(_pages(reader.root["/Pages"]))
    page, box = _place(reader, pages)
    return pages[page][0], box


def _drawn_outside(embedded: Any, place: tuple[Any, tuple[int, int, int, int]], slack: float = 2) -> bool:
    """True when a signature's visible stamp lies anywhere but the letter's signature place.

    A stamp drawn over the text would hide or replace what was signed while the
    signatures stay intact (a widget is "form filling" to the diff analysis).
    An invisible signature (empty rectangle) draws nothing.
    """
    widget = embedded.sig_field
    if "/Rect" not in widget and "/Kids" in widget:
        widget = widget["/Kids"][0]
    if "/Rect" not in widget:
        return False
    left, bottom, right, top = _sorted_rect([float(v) for v in widget["/Rect"]])
    if right - left < 1 or top - bottom < 1:
        return False
    page_ref, (x1, y1, x2, y2) = place
    on_page = widget.raw_get("/P").reference if "/P" in widget else page_ref
    return on_page != page_ref or left < x1 - slack or bottom < y1 - slack or right > x2 + slack or top > y2 + slack


def _sorted_rect(rect: Sequence[float]) -> tuple[float, float, float, float]:
    """A PDF rectangle as (left, bottom, right, top) whichever corners it names."""
    return min(rect[0], rect[2]), min(rect[1], rect[3]), max(rect[0], rect[2]), max(rect[1], rect[3])
