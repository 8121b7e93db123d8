"""A stand-in for the agency's BSrE esign-client gateway (API v2), for tests only.

It speaks the documented endpoints (``/api/v2/sign/pdf``, ``/api/v2/sign/get/totp``)
with HTTP Basic authentication, and returns files really signed with a test CA
(pyHanko). ``mode`` makes it misbehave as real gateways do: ``error-with-file``
answers an error status with a valid signed file, ``broken`` answers 200 with a
file that is not a signed PDF.
"""

from __future__ import annotations

import base64
import io
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from .local_server import LocalServer

NIK, PASSPHRASE, TOTP, USER, PASSWORD = "3171234567890001", "rahasia-bsre", "246810", "pipeline", "kunci-gateway"


def sign(p12: Path, passphrase: str, pdf: bytes) -> bytes:
    """``pdf`` (bytes) signed as the gateway signs, with the test CA's PKCS#12."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=passphrase.encode())
    output = io.BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False),
        signers.PdfSignatureMetadata(field_name="BSrE", md_algorithm="sha256"),
        signer=signer,
        output=output,
    )
    return output.getvalue()


class StandIn(LocalServer):
    """``with StandIn(p12) as gateway: gateway.url``; ``gateway.requests`` records what came (no secrets kept)."""

    def __init__(self, p12: Path, p12_passphrase: str = "rahasia-uji", mode: str = "ok") -> None:
        self.p12, self.p12_passphrase, self.mode = p12, p12_passphrase, mode
        self.requests: list[tuple[str, list[str]]] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
                stand_in.requests.append((self.path, sorted(body)))
                if self.headers.get("Authorization") != expected:
                    return self._answer(401, {"error": "Unauthorized"})
                if self.path == "/api/v2/sign/get/totp":
                    return self._answer(200, {"message": "Kode TOTP dikirim"})
                if self.path != "/api/v2/sign/pdf":
                    return self._answer(404, {"error": "not found"})
                if body.get("nik") != NIK:
                    return self._answer(400, {"error": "NIK tidak terdaftar"})
                if body.get("passphrase", None) not in (PASSPHRASE, None) or (
                    "passphrase" not in body and body.get("totp") != TOTP
                ):
                    return self._answer(400, {"error": "Passphrase anda salah"})
                signed = sign(stand_in.p12, stand_in.p12_passphrase, base64.b64decode(body["file"][0]))
                encoded = base64.b64encode(signed if stand_in.mode != "broken" else b"%PDF-1.4 rusak").decode()
                if stand_in.mode == "error-with-file":
                    return self._answer(500, {"error": "Gagal menyimpan log transaksi", "file": [encoded]})
                return self._answer(200, {"file": [encoded], "time": 1234})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler)
