"""A test certificate authority and a signer's PKCS#12, made inside the tests (never shipped), and
PDFs signed with them as a sending office signs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import CertificateIssuerPrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

SIGNER = "Dr. Ir. Suryo Wibowo, M.T."
PASSPHRASE = "rahasia-uji"
BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def distinguished_name(common: str) -> x509.Name:
    """A test subject or issuer named ``common`` (country ID, organisation BSrE Uji)."""
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "BSrE Uji"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def certificate(
    subject: x509.Name,
    issuer: x509.Name,
    key: rsa.RSAPrivateKey,
    signing_key: CertificateIssuerPrivateKeyTypes,
    ca: bool,
    days: int = 365,
) -> x509.Certificate:
    """A certificate for ``key``: an authority's (``ca``) or a signer's (e-mail protection), valid ``days``."""
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
    else:
        builder = builder.add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def make_ca(folder: Path, signer: str = SIGNER, passphrase: str = PASSPHRASE, days: int = 365) -> tuple[Path, Path]:
    """(root certificate PEM path, signer PKCS#12 path, valid ``days`` more) in ``folder``."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = certificate(
        distinguished_name("Root CA Uji"), distinguished_name("Root CA Uji"), ca_key, ca_key, True, 3650
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = certificate(distinguished_name(signer), distinguished_name("Root CA Uji"), key, ca_key, False, days)
    root = folder / "root-ca-uji.pem"
    root.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "kapus.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"kapus", key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase.encode())
        )
    )
    return root, p12


def sign(source: Path, p12: Path, target: Path, box: tuple[int, int, int, int] | None = None) -> Path:
    """``source`` signed (PAdES; invisible, or a stamp in ``box`` on page 1) with the certificate
    in ``p12``, written to ``target``."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSPHRASE.encode())
    with open(source, "rb") as handle, open(target, "wb") as output:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        if box:
            fields.append_signature_field(writer, fields.SigFieldSpec("TTE_Pengirim", on_page=0, box=box))
        meta = signers.PdfSignatureMetadata(
            field_name="TTE_Pengirim", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
        )
        signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=output)
    return target


def waktu_wib(stamp: str) -> str:
    """An ISO time as staff read it in Jakarta: 6 Desember 2026 pukul 09.15 WIB."""
    moment = dt.datetime.fromisoformat(stamp).astimezone(ZoneInfo("Asia/Jakarta"))
    return f"{moment.day} {BULAN[moment.month - 1]} {moment.year} pukul {moment:%H.%M} WIB"
