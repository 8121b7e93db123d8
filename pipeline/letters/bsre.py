"""The agency's BSrE esign-client gateway, API v2 (``/api/v2/sign/pdf``).

The signer gives NIK and passphrase (or a TOTP the gateway sends) at the
terminal; they live in memory for one request and are never stored or
logged. The gateway authenticates the pipeline with HTTP Basic (user and
password from the environment variables config names). It may answer an
error status with a valid signed file, or 200 with a broken one: the
returned file is what is checked (docs/architecture.md, "Signing").
"""

import base64
import json
import os
import urllib.error
import urllib.request
from email.message import Message
from typing import IO, Any

from pipeline.errors import os_reason
from pipeline.letters.signing import SigningError, SigningSettings

TIMEOUT = 120


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The gateway's answer is taken where it was asked: a redirect would carry the credentials
    (and the signer's secrets) to another address."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        raise urllib.error.HTTPError(
            req.full_url, code, f"dialihkan ke {newurl}; pengalihan tidak diikuti", headers, fp
        )


_OPENER = urllib.request.build_opener(_NoRedirect)


def _auth(settings: SigningSettings) -> str:
    user = os.environ.get(settings.bsre_user_env)
    password = os.environ.get(settings.bsre_password_env)
    if not user or not password:
        raise SigningError(
            f"Akun gateway BSrE belum diberikan: isi variabel lingkungan {settings.bsre_user_env} dan "
            f"{settings.bsre_password_env}."
        )
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def _post(settings: SigningSettings, path: str, payload: dict[str, Any]) -> tuple[int, Any]:
    """(status, decoded JSON or None) of a POST to the gateway; network failures are SigningError."""
    request = urllib.request.Request(
        settings.bsre_url.rstrip("/") + path,
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json", "Authorization": _auth(settings)},
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:  # https, or http to 127.0.0.1 (config.py)
            status, body = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        why = os_reason(reason) if isinstance(reason, OSError) else "alamat tidak dikenal atau tidak menjawab"
        raise SigningError(
            f"Gateway BSrE di {settings.bsre_url} tidak dapat dihubungi ({why}). Periksa "
            "signing.bsre.url dan jaringannya."
        ) from None
    try:
        return status, json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return status, None


def request_totp(settings: SigningSettings, nik: str) -> None:
    """Ask the gateway to send the signer a one-time code."""
    status, body = _post(settings, "/api/v2/sign/get/totp", {"nik": nik, "data": 1})
    if status != 200 or (isinstance(body, dict) and body.get("error")):
        raise SigningError(f"Gateway BSrE menolak permintaan kode TOTP: {_said(body, status)}.")


def sign_pdf(
    settings: SigningSettings,
    pdf_bytes: bytes,
    nik: str,
    passphrase: str | None = None,
    totp: str | None = None,
    stamp: dict | None = None,
) -> tuple[bytes, int, str]:
    """The PDF signed by the gateway, as bytes; ``stamp`` is the visible signature's place and image."""
    properties = {"tampilan": "INVISIBLE", "reason": "Persetujuan Nota Dinas", "location": ""}
    if stamp:
        properties.update(tampilan="VISIBLE", **stamp)
    payload: dict[str, object] = {
        "nik": nik,
        "signatureProperties": [properties],
        "file": [base64.b64encode(pdf_bytes).decode()],
    }
    payload.update({"passphrase": passphrase} if passphrase else {"totp": totp})
    status, body = _post(settings, "/api/v2/sign/pdf", payload)
    files = body.get("file") if isinstance(body, dict) else None
    if files:
        try:
            return base64.b64decode(files[0], validate=True), status, _said(body, status)
        except (ValueError, TypeError):
            pass
    raise SigningError(f"Gateway BSrE tidak menandatangani surat: {_said(body, status)}.")


def _said(body: Any, status: int) -> str:
    """What the gateway said, for a message (never the secrets: they are not in the answer)."""
    if isinstance(body, dict):
        for key in ("error", "message", "status"):
            if body.get(key):
                return str(body[key])[:300]
    return f"jawaban HTTP {status}"
