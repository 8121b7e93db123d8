"""A test certificate authority and a signer's PKCS#12, made inside the tests (never shipped)."""

import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def _name(common):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "BSrE Uji"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _cert(subject, issuer, key, signing_key, ca, days=365):
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


def make_ca(folder, signer="Dr. Ir. Suryo Wibowo, M.T.", passphrase="rahasia-uji", days=365):
    """(root certificate PEM path, signer PKCS#12 path, valid ``days`` more) in ``folder``."""
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = _cert(_name("Root CA Uji"), _name("Root CA Uji"), ca_key, ca_key, True, 3650)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = _cert(_name(signer), _name("Root CA Uji"), key, ca_key, False, days)
    root = folder / "root-ca-uji.pem"
    root.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "kapus.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"kapus", key, cert, [ca_cert], serialization.BestAvailableEncryption(passphrase.encode())
        )
    )
    return root, p12
