"""``pipeline doctor``: is this workspace ready to run as a service? (README, "Pemasangan
di server berkas kantor").

Each check returns a ``Finding``: what was checked, whether it is sound
(``baik``), worth a look (``peringatan``) or stops the pipeline (``galat``),
and in Indonesian what to do. Nothing here files or numbers anything: the
register is opened as a reader (as ``status`` opens it, which brings its
schema up to this release's), templates are only compiled.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import PipelineError
from pipeline.states import Health

if TYPE_CHECKING:
    from cryptography.x509 import Certificate

    from pipeline.clock import Clock
    from pipeline.config import Config
    from pipeline.letters.signing import SigningSettings

OK, WARNING, ERROR = Health
EXPIRY_DAYS = 30
CERTIFICATE = "Sertifikat tanda tangan"  # the check's name


@dataclass(frozen=True)
class Finding:
    """One check: what was checked, its verdict, and in Indonesian what to do."""

    check: str
    status: Health
    message: str


def examine(config: Config, clock: Clock) -> list[Finding]:
    """Every check, in the order an administrator would fix them."""
    now = clock.now()
    return [
        *folders(config),
        register(config, now),
        *publications(config),
        *templates(config),
        libreoffice(config),
        *owed_pdfs(config),
        ocr(config),
        *certificate(config, now),
        time_sync(config),
        *roles(config),
        *role_holders(config),
        *decision_folders(config),
        *email(config),
    ]


def folders(config: Config) -> list[Finding]:
    """The folders the pipeline works in exist, are folders and can be written."""
    found = []
    for check, folder in (
        ("Folder inbox", config.inbox),
        ("Folder inbox/ditolak", config.rejected_dir),
        ("Folder inbox/duplikat", config.duplicate_dir),
        ("Folder kerja", config.work_dir),
        ("Folder outbox", config.outbox),
        ("Folder archive", config.archive),
        ("Folder templates", config.templates_dir),
    ):
        if not folder.exists() and folder != config.templates_dir and _creatable(folder):
            found.append(Finding(check, OK, f"{folder} belum ada; dibuat saat pipeline berjalan."))
        elif not folder.exists():
            found.append(
                Finding(
                    check,
                    ERROR,
                    f"{folder} tidak ada dan tidak dapat dibuat oleh akun {_account()}. "
                    "Buat foldernya atau periksa jalurnya di config.yaml.",
                )
            )
        elif not folder.is_dir():
            found.append(Finding(check, ERROR, f"{folder} bukan folder. Pindahkan berkas itu lalu buat foldernya."))
        elif not os.access(folder, os.W_OK | os.X_OK):
            found.append(
                Finding(
                    check,
                    ERROR,
                    f"{folder} tidak dapat ditulis oleh akun {_account()}. Berikan "
                    "hak tulis kepada akun layanan pipeline (chown/chmod).",
                )
            )
        else:
            found.append(Finding(check, OK, str(folder)))
    return found


def _creatable(folder: Path) -> bool:
    """The pipeline can make ``folder``: its nearest existing parent is a folder it may write."""
    parent = next((p for p in folder.parents if p.exists()), None)
    return parent is not None and parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)


def register(config: Config, now: dt.datetime) -> Finding:
    """The register opens (on a local disk, not older than its log) and its newest record is
    not in the future (a clock set back would date the book wrongly). A workspace that has
    never run has none yet: it is made on the first run, not here."""
    from pipeline.register import RegisterLog, open_register, refuse_missing, refuse_network

    check, path = "Register", config.register_path
    shown = str(path)
    try:
        if config.shared:
            shown = "register PostgreSQL"
        elif not path.exists():
            refuse_network(path)
            refuse_missing(config, path, RegisterLog(config.archive).last())
            return Finding(check, OK, f"{path} belum ada; dibuat pada pemrosesan pertama.")
        with open_register(config, writer=False) as book:
            head, newest = book.chain_head()[0], book.chain_newest_time()
    except PipelineError as exc:
        return Finding(check, ERROR, str(exc))
    if newest and dt.datetime.fromisoformat(newest) > now + dt.timedelta(minutes=5):
        return Finding(
            check,
            ERROR,
            f"Catatan register terakhir bertanggal {newest}, sesudah jam server "
            f"sekarang ({now.isoformat(timespec='seconds')}). Betulkan jam server sebelum "
            "menjalankan pipeline, agar tanggal di buku agenda benar.",
        )
    return Finding(check, OK, f"{shown} ({head} catatan transaksi)")


def publications(config: Config) -> list[Finding]:
    """Filings committed to the register but still in staging: each says what stands in its way."""
    from pipeline.filing.publishing import pending
    from pipeline.register import open_register

    if not config.staging_dir.is_dir() or not any(config.staging_dir.iterdir()):
        return [Finding("Pemberkasan tertunda", OK, "Tidak ada.")]
    try:
        with open_register(config, writer=False) as book:
            found = pending(config, book)
    except PipelineError:
        return []  # the register's own finding says why it cannot be read
    return [
        Finding(
            "Pemberkasan tertunda",
            WARNING,
            f"Berkas {item.folder}"
            + (f" (kasus {item.kasus})" if item.kasus else "")
            + f" belum ditempatkan di arsip: {item.alasan}",
        )
        for item in found
    ] or [Finding("Pemberkasan tertunda", OK, "Tidak ada.")]


def templates(config: Config) -> list[Finding]:
    """Every configured template exists and compiles."""
    from pipeline.documents.render import compiled, template_problem

    found = []
    for key, name in config.documents.items():
        path = config.template(key)
        check = f"Templat {name}"
        try:
            compiled(path)
        except FileNotFoundError:
            found.append(
                Finding(
                    check,
                    ERROR,
                    f"{path} tidak ada. Salin templat bawaan dari ruang kerja baru (pipeline init FOLDER_LAIN).",
                )
            )
        except Exception as exc:  # noqa: BLE001 - any failure to compile is what the check reports
            found.append(
                Finding(
                    check,
                    ERROR,
                    f"{path} tidak dapat dipakai: {_template_reason(exc, template_problem)}. "
                    "Perbaiki di Word atau pulihkan templat bawaan.",
                )
            )
        else:
            found.append(Finding(check, OK, str(path)))
    return found


def _template_reason(exc: Exception, template_problem: Callable[[Exception], str]) -> str:
    from jinja2 import TemplateError

    return template_problem(exc) if isinstance(exc, TemplateError) else "bukan dokumen Word yang utuh"


def libreoffice(config: Config) -> Finding:
    """LibreOffice converts the documents to PDF (and signing needs the PDF)."""
    from pipeline.documents.pdf import Converter

    converter = Converter(
        config.pdf_enabled,
        config.pdf_timeout,
        warm=config.pdf_warm,
        restart_after=config.pdf_restart_after,
        python=config.pdf_uno_python,
    )
    if not config.pdf_enabled:
        return Finding("LibreOffice", OK, "PDF tidak diminta (pdf.enabled: false).")
    if converter.binary is None:
        status = ERROR if config.signing.electronic else WARNING
        return Finding(
            "LibreOffice",
            status,
            "Tidak terpasang: dokumen hanya dibuat sebagai .docx. Pasang dengan "
            "\u201capt-get install libreoffice-writer-nogui\u201d.",
        )
    warm, reason = converter.mode()
    if warm:
        return Finding("LibreOffice", OK, f"{converter.binary}; PDF dibuat oleh LibreOffice yang tetap berjalan (UNO).")
    if not config.pdf_warm:
        return Finding("LibreOffice", OK, f"{converter.binary}; satu proses LibreOffice per dokumen (pdf.warm: false).")
    from pipeline.documents.warm import SETUP

    return Finding(
        "LibreOffice",
        OK,
        f"{converter.binary}; satu proses LibreOffice per dokumen (lebih lambat) karena "
        f"{reason}. Untuk mode cepat, {SETUP}.",
    )


def owed_pdfs(config: Config) -> list[Finding]:
    """PDFs filings owe because LibreOffice failed or hung: shown until they are made."""
    from pipeline.register import open_register

    if not config.pdf_enabled or not (config.shared or config.register_path.exists()):
        return []
    try:
        with open_register(config, writer=False) as book:
            owed = book.owed_pdfs()
    except PipelineError:
        return []  # the register check says why
    if not owed:
        return [Finding("PDF tertunda", OK, "Tidak ada.")]
    failing = [item for item in owed if item.galat]
    last = f" Galat terakhir: {failing[-1].galat}" if failing else ""
    return [
        Finding(
            "PDF tertunda",
            WARNING,
            f"{len(owed)} PDF belum dibuat (dokumen .docx-nya sudah diarsipkan), "
            f"{len(failing)} di antaranya gagal dibuat.{last} Perbaiki LibreOffice, "
            "lalu jalankan \u201cpipeline pdf\u201d.",
        )
    ]


def ocr(config: Config) -> Finding:
    """Tesseract and its language model read scanned letters (docs/architecture.md, "Scans")."""
    from pipeline.readers.ocr import ocr_problem

    if not config.ocr.enabled:
        return Finding(
            "OCR",
            OK,
            "OCR tidak diminta (ocr.enabled: false): pindaian menunggu di inbox/lengkapi/ "
            "dengan draf kosong untuk diisi staf.",
        )
    problem = ocr_problem(config.ocr.language)
    if problem:
        return Finding("OCR", WARNING, problem)
    if importlib.util.find_spec("ocrmypdf") is None:
        return Finding(
            "OCR",
            WARNING,
            "OCRmyPDF belum terpasang: pindaian tetap dibaca, tetapi PDF tertelusurnya "
            "tidak dibuat. Pasang dengan \u201cpip install ocrmypdf\u201d di lingkungan "
            "Python pipeline.",
        )
    return Finding("OCR", OK, f"{shutil.which('tesseract')}, bahasa {config.ocr.language}")


def certificate(config: Config, now: dt.datetime) -> list[Finding]:
    """The signing certificate (signing.method pkcs12) opens and is valid for 30 days more."""
    settings = config.signing
    if settings.method != "pkcs12":
        return [Finding(CERTIFICATE, OK, f"Tidak dipakai (signing.method: {settings.method}).")]
    passphrase = os.environ.get(settings.passphrase_env)
    if not passphrase:
        return [
            Finding(
                CERTIFICATE,
                ERROR,
                f"Variabel lingkungan {settings.passphrase_env} (frasa sandi sertifikat) "
                "belum diisi untuk akun ini. Isi di berkas lingkungan layanan "
                "(EnvironmentFile pada unit systemd).",
            )
        ]
    cert = _open_certificate(settings, passphrase)
    if isinstance(cert, Finding):
        return [cert]
    return [_validity(cert, config, now)]


def _open_certificate(settings: SigningSettings, passphrase: str) -> Certificate | Finding:
    """The certificate in ``signing.certificate``, opened with its passphrase; or why it cannot be."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    assert settings.certificate is not None  # config.load requires it for pkcs12
    try:
        _key, cert, _chain = pkcs12.load_key_and_certificates(
            settings.certificate.read_bytes(), passphrase.encode("utf-8")
        )
    except OSError as exc:
        return Finding(CERTIFICATE, ERROR, f"{settings.certificate} tidak dapat dibaca ({exc.strerror}).")
    except ValueError:
        return Finding(
            CERTIFICATE,
            ERROR,
            f"{settings.certificate} tidak dapat dibuka: frasa sandi salah atau berkasnya bukan PKCS#12.",
        )
    if cert is None:
        return Finding(CERTIFICATE, ERROR, f"{settings.certificate} tidak memuat sertifikat.")
    return cert


def _validity(cert: Certificate, config: Config, now: dt.datetime) -> Finding:
    """Whether the certificate is valid now and for ``EXPIRY_DAYS`` more."""
    expires = cert.not_valid_after_utc
    left = expires - now.astimezone(dt.UTC)
    ends = expires.astimezone(config.timezone).date().isoformat()
    if left.total_seconds() <= 0:
        return Finding(
            CERTIFICATE,
            ERROR,
            f"Sertifikat berakhir pada {ends}. Minta sertifikat baru ke BSrE lalu "
            "ganti berkas pada signing.certificate.",
        )
    if left.days < EXPIRY_DAYS:
        return Finding(
            CERTIFICATE,
            WARNING,
            f"Sertifikat berakhir pada {ends} ({left.days} hari lagi). Ajukan perpanjangan ke BSrE sekarang.",
        )
    if cert.not_valid_before_utc > now.astimezone(dt.UTC):
        return Finding(CERTIFICATE, ERROR, "Sertifikat belum berlaku menurut jam server. Periksa jam server.")
    return Finding(CERTIFICATE, OK, f"{config.signing.certificate}, berlaku sampai {ends}")


def time_sync(config: Config) -> Finding:
    """The server's clock follows a time server (a letter's date and the book's order depend on it)."""
    timedatectl = shutil.which("timedatectl")
    if timedatectl is None:
        return Finding(
            "Jam server",
            WARNING,
            "Sinkronisasi jam tidak dapat diperiksa (timedatectl tidak ada). "
            "Pastikan server memakai NTP (chrony atau systemd-timesyncd).",
        )
    try:
        result = subprocess.run(
            [timedatectl, "show", "-p", "NTPSynchronized", "--value"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        result = None
    if result is None or result.returncode != 0:
        return Finding("Jam server", WARNING, "Sinkronisasi jam tidak dapat diperiksa. Pastikan server memakai NTP.")
    if result.stdout.strip() != "yes":
        return Finding(
            "Jam server",
            WARNING,
            "Jam server belum tersinkron dengan server waktu (NTP). Aktifkan "
            "dengan \u201ctimedatectl set-ntp true\u201d.",
        )
    return Finding("Jam server", OK, "Tersinkron dengan NTP.")


def _account() -> str:
    from pipeline.sop.access import current_account

    return current_account()


def roles(config: Config) -> list[Finding]:
    """Every access role holds accounts that exist on this server (an action file is done by
    its owner; an empty role refuses every action of its steps)."""
    import pwd

    found = []
    for role, accounts in config.roles.items():
        check = f"Peran {role}"
        if not accounts:
            found.append(
                Finding(
                    check,
                    WARNING,
                    f"access.roles.{role} belum berisi akun: setiap tindakan peran "
                    "ini ditolak. Isi dengan akun pejabatnya (dan Plt/Plh).",
                )
            )
            continue
        unknown = []
        for account in accounts:
            try:
                pwd.getpwnam(account)
            except KeyError:
                unknown.append(account)
        if unknown:
            found.append(
                Finding(
                    check,
                    WARNING,
                    f"Akun {', '.join(unknown)} tidak dikenal di server ini. Buat "
                    "akunnya (useradd dan smbpasswd -a) atau betulkan ejaannya.",
                )
            )
        else:
            found.append(Finding(check, OK, ", ".join(accounts)))
    return found


def email(config: Config) -> list[Finding]:
    """The officials' e-mail notices: the password the login needs is in the environment, every
    account a decision may wait for has an address, no notice waits for a failed send."""
    settings, check = config.email, "Pemberitahuan e-mail"
    if not settings.enabled:
        return [Finding(check, OK, "Tidak dipakai (email.host kosong); pejabat melihat antreannya di outbox/status.")]
    found = [Finding(check, OK, f"{settings.host}:{settings.port} ({settings.security}), dari {settings.sender}")]
    if settings.user and not os.environ.get(settings.password_env):
        found.append(
            Finding(
                check,
                ERROR,
                f"Variabel lingkungan {settings.password_env} (kata sandi SMTP akun {settings.user}) kosong bagi "
                "layanan. Isi di berkas lingkungan layanan systemd (EnvironmentFile), bukan di config.yaml.",
            )
        )
    from pipeline.sop.procedure import Procedure

    procedure = Procedure(config.steps)
    deciding = {role for step in procedure.steps for role in procedure.awaited_roles(step)}
    missing = sorted({a for role in deciding for a in config.roles.get(role, ()) if a not in settings.to})
    if missing:
        found.append(
            Finding(
                check,
                WARNING,
                f"Akun {', '.join(missing)} memegang peran yang mengambil keputusan tetapi tidak punya alamat "
                "e-mail; pejabatnya tidak diberi tahu. Tambahkan alamatnya pada email.to di config.yaml.",
            )
        )
    if config.shared or config.register_path.exists():
        from pipeline.outputs.notices import PENDING, pending
        from pipeline.register import open_register

        try:
            with open_register(config, writer=False) as book:
                lines = pending(config, book)
        except PipelineError:
            return found  # the register check says why
        found += [Finding(PENDING, WARNING, line) for line in lines] or [Finding(PENDING, OK, "Tidak ada.")]
    return found


def role_holders(config: Config) -> list[Finding]:
    """No role held by accident: not the placeholder ``pipeline init`` wrote (the installing account in
    every role, marked "(GANTI)"), not the account that runs the service (a decision counts as its
    official's only when his own account makes it). A single-user workspace (the demo,
    ``access.keputusan_dari_inbox``) is only warned."""
    check, found = "Pemegang peran", []
    status = WARNING if config.decisions_from_inbox else ERROR
    try:
        text = config.path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    marked = [line.split(":", 1)[0].strip() for line in text.splitlines() if "(GANTI)" in line and ":" in line]
    if marked:
        found.append(
            Finding(
                "Peran dari pipeline init",
                status,
                f"access.roles di {config.path} masih berisi akun yang diisi \u201cpipeline init\u201d (tanda GANTI) "
                f"pada peran {', '.join(marked)}. Ganti dengan akun pejabat yang sebenarnya, lalu hapus tanda "
                "(GANTI).",
            )
        )
    service = _account()
    held = sorted(role for role, accounts in config.roles.items() if service in accounts)
    if held:
        found.append(
            Finding(
                check,
                status,
                f"Akun layanan {service} yang menjalankan pipeline memegang peran {', '.join(held)}: setiap berkas "
                "yang ditulis layanan dapat tercatat sebagai keputusan. Hapus akun itu dari access.roles di "
                f"{config.path.name}; keputusan dicatat oleh akun pejabat masing-masing.",
            )
        )
    return found or [Finding(check, OK, f"Akun layanan {service} tidak memegang peran.")]


def decision_folders(config: Config) -> list[Finding]:
    """Each account in ``access.roles`` has ``keputusan/<account>/``: owned by it, writable by it and
    the service only (mode bits, and POSIX ACLs where ``getfacl`` reads them), on a local disk."""
    from pipeline.inbox.decisions import accounts

    return [_decision_folder(config, account) for account in accounts(config)]


def _decision_folder(config: Config, account: str) -> Finding:
    """One official's folder, with the commands that set it right."""
    import pwd

    from pipeline.register import NETWORK_FS, filesystem

    folder, service = config.decision_folder(account), _account()
    check = f"Folder keputusan/{account}"
    setup = (
        f"sudo install -d -o {account} -g {_group()} -m 0700 {folder} && "
        f"sudo setfacl -m u:{service}:rwx -m d:u:{service}:rwx -m d:u:{account}:rwx {folder}"
    )
    if not folder.is_dir():
        if config.decisions_from_inbox or account == service:
            return Finding(check, OK, f"{folder} belum ada; dibuat saat pipeline berjalan.")
        return Finding(check, ERROR, f"{folder} belum ada. Buat dengan: {setup}")
    kind = filesystem(folder)
    if kind in NETWORK_FS:
        return Finding(
            check,
            ERROR,
            f"{folder} berada di folder jaringan ({kind}): pemilik berkas tidak dapat dipastikan. Tempatkan "
            "folder keputusan di disk server pipeline sendiri.",
        )
    info = folder.stat()
    try:
        owner = pwd.getpwuid(info.st_uid).pw_name
    except KeyError:
        owner = str(info.st_uid)
    if owner != account:
        return Finding(
            check,
            ERROR,
            f"{folder} dimiliki akun {owner}, bukan {account}. Betulkan dengan: sudo chown {account} {folder}",
        )
    others = _other_writers(folder, info.st_mode, {account, service})
    if others:
        return Finding(
            check,
            ERROR,
            f"{folder} dapat ditulis oleh {', '.join(others)}, sehingga akun lain dapat meletakkan berkas atas nama "
            f"{account}. Betulkan dengan: sudo chmod 0700 {folder} && sudo setfacl -b {folder} && "
            f"sudo setfacl -m u:{service}:rwx -m d:u:{service}:rwx -m d:u:{account}:rwx {folder}",
        )
    if not os.access(folder, os.R_OK | os.W_OK | os.X_OK):
        return Finding(
            check,
            ERROR,
            f"Akun layanan {service} tidak dapat menulis {folder} (formulir keputusan ditulis dan diambil di sana). "
            f"Betulkan dengan: sudo setfacl -m u:{service}:rwx -m d:u:{service}:rwx {folder}",
        )
    return Finding(check, OK, f"{folder}: hanya {account} dan layanan ({service}) yang dapat menulis.")


def _other_writers(folder: Path, mode: int, allowed: set[str]) -> list[str]:
    """Who besides ``allowed`` may write ``folder``: the group and others by its mode bits, and the
    named users and groups of its POSIX ACL (with the mask) where ``getfacl`` is installed."""
    import grp
    import stat

    acl = _acl(folder)
    if acl is None:  # no ACL beyond the mode bits
        found = [f"grup {_group_name(folder)}"] if mode & stat.S_IWGRP else []
        return found + (["semua akun (other)"] if mode & stat.S_IWOTH else [])
    mask = acl.get(("mask", ""), "rwx")
    found = []
    for (kind, name), perms in sorted(acl.items()):
        effective = perms if kind in ("other", "mask") or (kind == "user" and not name) else _masked(perms, mask)
        if "w" not in effective or kind == "mask" or (kind == "user" and (not name or name in allowed)):
            continue
        if kind == "group":
            members = set(grp.getgrnam(name).gr_mem) if name and _known_group(name) else set()
            if name and members <= allowed and members:
                continue
            found.append(f"grup {name or _group_name(folder)}")
        else:
            found.append("semua akun (other)" if kind == "other" else f"akun {name}")
    return found


def _acl(folder: Path) -> dict[tuple[str, str], str] | None:
    """The access ACL of ``folder`` as {(kind, name): perms}; None without ``getfacl`` or without
    entries beyond the mode bits."""
    getfacl = shutil.which("getfacl")
    if getfacl is None:
        return None
    try:
        result = subprocess.run(
            [getfacl, "--omit-header", "--absolute-names", str(folder)], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    entries: dict[tuple[str, str], str] = {}
    for line in result.stdout.splitlines():
        parts = line.split("#", 1)[0].strip().split(":")
        if len(parts) == 3 and parts[0] in ("user", "group", "mask", "other"):
            entries[(parts[0], parts[1])] = parts[2]
    extended = any(name for _kind, name in entries) or ("mask", "") in entries
    return entries if extended and result.returncode == 0 else None


def _masked(perms: str, mask: str) -> str:
    return "".join(p if p != "-" and p in mask else "-" for p in perms)


def _known_group(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


def _group_name(folder: Path) -> str:
    import grp

    gid = folder.stat().st_gid
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _group() -> str:
    """The service account's group, which owns the workspace (README: spse)."""
    import grp

    try:
        return grp.getgrgid(os.getgid()).gr_name
    except KeyError:
        return str(os.getgid())
