"""Load config.yaml, merge it over the shipped defaults, validate, freeze.

The result is a frozen ``Config`` passed explicitly to every stage; there are
no globals. Relative folders resolve against the folder holding config.yaml.
"""

import os
import re
import string
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from pipeline.config.schema import SCHEMA
from pipeline.errors import ConfigError, os_reason
from pipeline.fields import normalise_nip
from pipeline.filing.klasifikasi import codes as classification_codes
from pipeline.filing.klasifikasi import unknown_reason
from pipeline.letters.signing import BSRE, PKCS12, SigningSettings
from pipeline.readers.validate import check
from pipeline.sop.procedure import Procedure, Step, build_steps
from pipeline.workhours import OfficeHours, office_hours

DEFAULTS = resources.files("pipeline") / "defaults"


@dataclass(frozen=True)
class Official:
    """A signing official: name, 18-digit NIP and position."""

    nama: str
    nip: str
    jabatan: str


@dataclass(frozen=True)
class Limits:
    """Size and reading-cost limits applied to every input before (and while) it is parsed."""

    max_file_bytes: int
    max_zip_entries: int
    max_zip_uncompressed_bytes: int
    max_yaml_aliases: int
    max_csv_rows: int
    max_yaml_records: int
    max_xml_elements: int
    max_xml_depth: int
    max_sheet_cells: int
    max_read_seconds: float
    max_note_chars: int = 2000  # an action's catatan (a note, a disposition, a reason)
    max_text_chars: int = 500  # any other free text of an action or a registration record
    max_registration_rows: int = 2000  # people and packages of one registration (its documents stay convertible)
    max_pages: int = 50
    max_image_pixels: int = 40_000_000
    max_pdf_uncompressed_bytes: int = 200 * 1024 * 1024
    ocr_seconds_per_page: float = 60.0
    ocr_seconds_per_file: float = 600.0


@dataclass(frozen=True)
class OcrSettings:
    """Whether scanned letters are read by OCR, and in which Tesseract language."""

    enabled: bool = True
    language: str = "ind"


@dataclass(frozen=True)
class WatchSettings:
    """How the inbox is watched."""

    stable_seconds: float
    polling: bool
    poll_interval_seconds: float
    rescan_seconds: float


@dataclass(frozen=True)
class Rules:
    """Verification rules that offices may tune (docs/verification.md)."""

    panitia_min_members: int
    panitia_odd: bool
    panitia_ketua: int
    require_certificate: bool
    method_thresholds: dict[str, dict[str, Any]]


@dataclass(frozen=True)
class EmailSettings:
    """``email``: the SMTP server officials are told through, and each account's address
    (docs/configuration.md). Off while no host is set."""

    host: str = ""
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    user: str = ""
    password_env: str = "SPSE_SMTP_PASSWORD"  # the password itself is never in config.yaml
    sender: str = ""
    digest_minutes: float = 15
    timeout_seconds: float = 10
    to: dict[str, str] = field(default_factory=dict)  # account -> address

    @property
    def enabled(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True)
class Config:
    """Validated, frozen configuration of one workspace."""

    path: Path
    root: Path
    organisation: dict[str, Any]
    officials: dict[str, Official]
    numbering: dict[str, str]
    templates_dir: Path
    inbox: Path
    outbox: Path
    archive: Path
    watch: WatchSettings
    limits: Limits
    timezone: ZoneInfo
    documents: dict[str, str]
    rules: Rules
    employees: Path | None
    budget: Path | None
    sop_code: str
    sop_title: str
    steps: tuple[Step, ...]
    log_file: Path | None
    log_level: str
    roles: dict[str, tuple[str, ...]]  # access role -> accounts that hold it
    verification_base_url: str
    pdf_enabled: bool
    pdf_timeout: float
    pdf_retry: float
    pdf_warm: bool
    pdf_restart_after: int
    pdf_uno_python: str
    signing: SigningSettings
    register_url: str = ""  # empty: the embedded SQLite register; postgresql://...: shared by hosts
    host: str = ""  # this intake host's name, where several share the archive
    ocr: OcrSettings = OcrSettings()
    klasifikasi: dict[str, str] = field(default_factory=dict)  # outgoing document type -> code of Lampiran A
    office_hours: OfficeHours | None = None  # laporan: working periods and days off (pipeline/workhours.py)
    # access.atas_nama: an official's role -> the roles that may record its decisions on its behalf
    on_behalf: dict[str, tuple[str, ...]] = field(default_factory=dict)
    email: EmailSettings = EmailSettings()  # officials told by e-mail when a case waits for them
    # access.keputusan_dari_inbox: decisions (action files, signed copies) also from the shared inbox
    # (a single-user workspace only); otherwise only from the official's own folder keputusan/<account>/
    decisions_from_inbox: bool = False
    forward_to: dict[str, tuple[str, ...]] = field(default_factory=dict)  # step key -> officials a form offers

    @property
    def register_path(self) -> Path:
        return self.archive / "register.sqlite3"

    @property
    def shared(self) -> bool:
        """Several intake hosts file into this archive (the register on PostgreSQL)."""
        return bool(self.register_url)

    @property
    def register_name(self) -> str:
        """The register as people are told of it: its file, or its database URL."""
        if not self.shared:
            return str(self.register_path)
        from pipeline.register.url import redacted

        return redacted(self.register_url)

    @property
    def lock_path(self) -> Path:
        """One process per host changes the workspace; hosts sharing the archive each have one."""
        return self.archive / (".pipeline.lock" if not self.shared else f".pipeline-{self.host}.lock")

    @property
    def rejected_dir(self) -> Path:
        return self.inbox / "ditolak"

    @property
    def duplicate_dir(self) -> Path:
        return self.inbox / "duplikat"

    @property
    def completion_dir(self) -> Path:
        """Letters that wait, unchanged, beside a prefilled draft for staff to complete."""
        return self.inbox / "lengkapi"

    @property
    def work_dir(self) -> Path:
        return self.inbox / ".kerja"

    @property
    def decisions_dir(self) -> Path:
        """``keputusan/``: one folder per official's account, where the decision forms are
        written and from where the official's decisions are taken (docs/architecture.md)."""
        return self.root / "keputusan"

    def decision_folder(self, account: str) -> Path:
        """The folder of one account under ``keputusan/``."""
        return self.decisions_dir / account

    def decision_accounts(self) -> list[str]:
        """Every account named in ``access.roles``: each has its folder under ``keputusan/``."""
        return sorted({account for accounts in self.roles.values() for account in accounts})

    @property
    def staging_dir(self) -> Path:
        """Where filings (and log records) are prepared before they are committed
        (docs/architecture.md); each host its own where several share the archive, so a
        host's recovery touches only what it left."""
        return self.archive / ".staging" / self.host if self.shared else self.archive / ".staging"

    @property
    def outbox_staging_dir(self) -> Path:
        return self.outbox / ".staging"

    def template(self, document: str) -> Path:
        return self.templates_dir / self.documents[document]


def default_config_text() -> str:
    """The commented default config.yaml shipped inside the package."""
    return (DEFAULTS / "config.yaml").read_text(encoding="utf-8")


def merge(base: Any, override: Any) -> Any:
    """Deep-merge ``override`` over ``base``; lists and scalars replace."""
    if not isinstance(base, dict) or not isinstance(override, dict):
        return override
    merged = dict(base)
    for key, value in override.items():
        merged[key] = merge(base[key], value) if key in base else value
    return merged


def load(path: str | os.PathLike[str]) -> Config:
    """Read, merge, validate and freeze the config at ``path``."""
    path = Path(path).absolute()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"Berkas konfigurasi {path} tidak ditemukan. Buat ruang kerja dengan "
            "\u201cpipeline init FOLDER\u201d atau sebutkan berkasnya dengan --config."
        ) from None
    except OSError as exc:
        raise ConfigError(f"Berkas konfigurasi {path} tidak dapat dibaca: {os_reason(exc)}.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"Berkas konfigurasi {path} bukan teks UTF-8; simpan ulang sebagai UTF-8.") from None
    try:
        user = _yaml(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" pada baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        raise ConfigError(
            f"Berkas konfigurasi {path} bukan YAML yang sah{where}. Periksa titik dua, tanda kutip dan indentasinya."
        ) from None
    if not isinstance(user, dict):
        raise ConfigError(f"Berkas konfigurasi {path} harus berisi pasangan kunci: nilai.")
    raw = merge(_yaml(default_config_text()), user)
    document, errors = check(SCHEMA, raw)
    if errors:
        details = "; ".join(f"{key}: {msg}" for key, msg in errors)
        raise ConfigError(f"Konfigurasi {path} tidak sah. {details}.")
    assert document is not None  # Cerberus gives the document whenever it finds no error
    return _freeze(path, document)


def _yaml(text: str) -> Any:
    """Safe YAML, through libyaml when PyYAML has it (ten times the pure-Python loader)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _freeze(path: Path, raw: dict[str, Any]) -> Config:
    root = path.parent
    folders = _folders(root, raw["folders"])
    steps = _steps(raw["sop"]["steps"], raw["documents"])
    return Config(
        path=path,
        root=root.resolve(),
        organisation=dict(raw["organisation"]),
        officials=_officials(raw["officials"]),
        numbering=_numbering(raw["numbering"]),
        klasifikasi=_klasifikasi(raw["klasifikasi"]),
        templates_dir=folders["templates"],
        inbox=folders["inbox"],
        outbox=folders["outbox"],
        archive=folders["archive"],
        watch=WatchSettings(**raw["watch"]),
        limits=_limits(raw["limits"]),
        ocr=OcrSettings(**raw["ocr"]),
        timezone=_timezone(raw["timezone"]),
        documents=dict(raw["documents"]),
        rules=_rules(raw["rules"]),
        employees=_optional_path(root, raw["reference"]["employees"]),
        budget=_optional_path(root, raw["reference"]["budget"]),
        sop_code=raw["sop"]["code"],
        sop_title=raw["sop"]["title"],
        steps=steps,
        log_file=_optional_path(root, raw["logging"]["file"]),
        log_level=raw["logging"]["level"],
        roles=_roles(raw["access"]["roles"], steps),
        on_behalf=_on_behalf(raw["access"]["atas_nama"], raw["access"]["roles"]),
        verification_base_url=(raw["verification"]["base_url"] or "").strip(),
        **_pdf(raw["pdf"]),
        signing=_signing(root, raw["signing"], raw["pdf"]["enabled"]),
        register_url=register_url(raw["register"]["url"]),
        host=_host(raw["register"]["host"]),
        office_hours=office_hours(raw["laporan"], _timezone(raw["timezone"])),
        email=_email(raw["email"], raw["access"]["roles"]),
        decisions_from_inbox=bool(raw["access"]["keputusan_dari_inbox"]),
        forward_to=_forward_to(raw["access"]["diteruskan_kepada"], raw["officials"]),
    )


def _limits(limits: dict[str, Any]) -> Limits:
    """``limits``: sizes in megabytes become bytes."""
    return Limits(
        max_file_bytes=int(limits["max_file_mb"] * 1024 * 1024),
        max_zip_entries=limits["max_zip_entries"],
        max_zip_uncompressed_bytes=int(limits["max_zip_uncompressed_mb"] * 1024 * 1024),
        max_yaml_aliases=limits["max_yaml_aliases"],
        max_csv_rows=limits["max_csv_rows"],
        max_yaml_records=limits["max_yaml_records"],
        max_xml_elements=limits["max_xml_elements"],
        max_xml_depth=limits["max_xml_depth"],
        max_sheet_cells=limits["max_sheet_cells"],
        max_read_seconds=limits["max_read_seconds"],
        max_note_chars=limits["max_note_chars"],
        max_text_chars=limits["max_text_chars"],
        max_registration_rows=limits["max_registration_rows"],
        max_pages=limits["max_pages"],
        max_image_pixels=limits["max_image_pixels"],
        max_pdf_uncompressed_bytes=int(limits["max_pdf_uncompressed_mb"] * 1024 * 1024),
        ocr_seconds_per_page=float(limits["ocr_seconds_per_page"]),
        ocr_seconds_per_file=float(limits["ocr_seconds_per_file"]),
    )


class _PdfFields(TypedDict):
    """The Config fields of ``pdf``."""

    pdf_enabled: bool
    pdf_timeout: float
    pdf_retry: float
    pdf_warm: bool
    pdf_restart_after: int
    pdf_uno_python: str


def _pdf(pdf: dict[str, Any]) -> _PdfFields:
    """``pdf``: how documents are converted to PDF (LibreOffice)."""
    return _PdfFields(
        pdf_enabled=pdf["enabled"],
        pdf_timeout=float(pdf["timeout_seconds"]),
        pdf_retry=float(pdf["retry_seconds"]),
        pdf_warm=pdf["warm"],
        pdf_restart_after=int(pdf["restart_after"]),
        pdf_uno_python=pdf["uno_python"],
    )


def _forward_to(raw: dict[str, Any], officials: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """``access.diteruskan_kepada``: step key -> the officials a disposition form offers."""
    result = {step: tuple(roles or ()) for step, roles in raw.items()}
    for step, roles in result.items():
        for role in roles:
            if role not in officials:
                raise ConfigError(
                    f"Konfigurasi access.diteruskan_kepada.{step} menyebut \u201c{role}\u201d yang tidak ada "
                    "di officials. Tuliskan kunci pejabat dari bagian officials (misalnya kabid)."
                )
    return result


def register_url(value: str | None) -> str:
    """``register.url``: empty, or a PostgreSQL URL without a password in any form libpq reads
    (DESIGN: never in config)."""
    from urllib.parse import urlsplit

    url = (value or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname or not parts.path.strip("/"):
        raise ConfigError(
            "Konfigurasi register.url harus berbentuk postgresql://akun@server:5432/basisdata "
            "(atau dikosongkan untuk register SQLite di folder archive)."
        )
    from pipeline.register.url import SECRET_KEYS, conninfo

    try:
        keywords = conninfo(url)
    except ValueError:
        raise ConfigError(
            "Konfigurasi register.url tidak dapat dibaca sebagai alamat PostgreSQL. Tulis dalam "
            "bentuk postgresql://akun@server:5432/basisdata, tanpa kata sandi."
        ) from None
    if parts.password is not None or any(key in keywords for key in SECRET_KEYS):
        raise ConfigError(
            "Konfigurasi register.url memuat kata sandi. Hapus kata sandinya dari config.yaml "
            "dan isi PGPASSWORD pada layanan pipeline atau berkas ~/.pgpass."
        )
    return url


def _host(value: str | None) -> str:
    """``register.host``: this host's name (the computer's by default), safe as a file name."""
    import socket

    name = (value or "").strip() or socket.gethostname().split(".")[0]
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,62}", name):
        raise ConfigError(
            f"Konfigurasi register.host \u201c{name}\u201d tidak sah: pakai huruf, angka, - atau _ "
            "saja (paling banyak 63 karakter)."
        )
    return name


def _folders(root: Path, raw: dict[str, str]) -> dict[str, Path]:
    """Resolve the working folders; none may be another or lie inside another.

    An inbox inside the archive would have the pipeline claim its own
    register and archived files as inputs (docs/configuration.md).
    """
    folders = {key: (root / value).resolve() for key, value in raw.items()}
    names = list(folders)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = folders[first], folders[second]
            if a == b or a.is_relative_to(b) or b.is_relative_to(a):
                raise ConfigError(
                    f"Konfigurasi folders.{first} ({a}) dan folders.{second} ({b}) tidak boleh sama "
                    "atau saling memuat. Tetapkan folder yang terpisah untuk masing-masing."
                )
    return folders


def _roles(raw: dict[str, Any], steps: tuple[Step, ...]) -> dict[str, tuple[str, ...]]:
    """Access roles to accounts; every role a step names must be there (it may be empty)."""
    roles = {name: tuple(accounts or ()) for name, accounts in raw.items()}
    acting = set(Procedure(steps).action_names())
    for step in steps:
        for role in step.role if step.key in acting else ():
            if role not in roles:
                raise ConfigError(
                    f"Konfigurasi sop.steps langkah {step.number} ({step.key}): peran \u201c{role}\u201d "
                    f"tidak ada di access.roles. Tambahkan access.roles.{role} berisi akun pemegangnya."
                )
    return roles


def _on_behalf(raw: dict[str, Any] | None, roles: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """``access.atas_nama``: which roles may record an official's decision on its behalf (with the
    signed sheet); every role named must be an access role, and none records for itself."""
    result: dict[str, tuple[str, ...]] = {}
    known = ", ".join(sorted(roles))
    for official, recorders in (raw or {}).items():
        if official not in roles:
            raise ConfigError(
                f"Konfigurasi access.atas_nama.{official}: peran \u201c{official}\u201d tidak ada di "
                f"access.roles (peran yang ada: {known}). Tuliskan peran pejabat yang keputusannya dicatat "
                "atas namanya."
            )
        for recorder in recorders or ():
            if recorder not in roles:
                raise ConfigError(
                    f"Konfigurasi access.atas_nama.{official}: peran \u201c{recorder}\u201d tidak ada di "
                    f"access.roles (peran yang ada: {known}). Tuliskan peran yang boleh mencatat atas nama "
                    f"{official}, misalnya staf."
                )
            if recorder == official:
                raise ConfigError(
                    f"Konfigurasi access.atas_nama.{official} memuat peran {official} sendiri; pemegang peran "
                    "itu mencatat keputusannya langsung. Hapus peran itu dari daftarnya."
                )
        result[official] = tuple(dict.fromkeys(recorders or ()))
    return result


def _email(raw: dict[str, Any], roles: dict[str, Any]) -> EmailSettings:
    """``email``: off without a host; with one, a sender and addresses that are addresses, each
    for an account that holds a role in ``access.roles``."""
    from email_validator import EmailNotValidError, validate_email

    def address(value: str, key: str) -> str:
        try:
            return validate_email(value.strip(), check_deliverability=False).normalized
        except EmailNotValidError:
            raise ConfigError(
                f"Konfigurasi {key}: \u201c{value}\u201d bukan alamat e-mail yang sah. Tulis alamat lengkap, "
                "misalnya kapus@kemendagri.go.id."
            ) from None

    settings = EmailSettings(
        host=(raw["host"] or "").strip(),
        port=raw["port"],
        security=raw["security"],
        user=(raw["user"] or "").strip(),
        password_env=raw["password_env"],
        sender=(raw["sender"] or "").strip(),
        digest_minutes=float(raw["digest_minutes"]),
        timeout_seconds=float(raw["timeout_seconds"]),
        to={},
    )
    if not settings.enabled:
        return settings
    if not settings.sender:
        raise ConfigError(
            "Konfigurasi email.sender wajib diisi bila email.host diisi: alamat pengirim pemberitahuan, "
            "misalnya pipeline-spse@kemendagri.go.id."
        )
    holders = {account for accounts in roles.values() for account in accounts or ()}
    to = {}
    for account, value in (raw["to"] or {}).items():
        if account not in holders:
            raise ConfigError(
                f"Konfigurasi email.to.{account}: akun \u201c{account}\u201d tidak memegang peran apa pun di "
                "access.roles. Tulis akun pejabat persis seperti di access.roles."
            )
        to[account] = address(value, f"email.to.{account}")
    return replace(settings, sender=address(settings.sender, "email.sender"), to=to)


def _signing(root: Path, raw: dict[str, Any], pdf_enabled: bool) -> SigningSettings:
    """``signing``: paths resolved; an electronic method needs its certificate (pkcs12) and PDFs."""
    settings = SigningSettings(
        method=raw["method"],
        certificate=_optional_path(root, raw.get("certificate")),
        passphrase_env=raw["passphrase_env"],
        tsa_url=(raw.get("tsa_url") or "").strip(),
        trust_roots=tuple(_optional_path(root, p) for p in raw.get("trust_roots") or ()),
        scan_sends=raw["scan_sends"],
        bsre_url=(raw["bsre"].get("url") or "").strip(),
        bsre_user_env=raw["bsre"]["user_env"],
        bsre_password_env=raw["bsre"]["password_env"],
    )
    if settings.method == PKCS12 and settings.certificate is None:
        raise ConfigError(
            "Konfigurasi signing.certificate wajib diisi untuk signing.method pkcs12 (berkas .p12 sertifikat instansi)."
        )
    if settings.method == BSRE and not settings.bsre_url:
        raise ConfigError(
            "Konfigurasi signing.bsre.url wajib diisi untuk signing.method bsre "
            "(alamat gateway esign-client BSrE instansi)."
        )
    if settings.electronic and not pdf_enabled:
        raise ConfigError("Tanda tangan elektronik (signing.method pkcs12 atau bsre) memerlukan pdf.enabled: true.")
    for path in settings.trust_roots:
        if not path.is_file():
            raise ConfigError(f"Konfigurasi signing.trust_roots: berkas {path} tidak ditemukan.")
    if settings.bsre_url and not _private_channel(settings.bsre_url):
        raise ConfigError(
            f"Konfigurasi signing.bsre.url \u201c{settings.bsre_url}\u201d harus memakai https: NIK, "
            "passphrase dan akun gateway tidak boleh dikirim tanpa enkripsi (http hanya untuk "
            "gateway di mesin ini sendiri, 127.0.0.1)."
        )
    return settings


def _private_channel(url: str) -> bool:
    """https, or plain http to this machine itself (a gateway on the loopback interface)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1"))


def _rules(raw: dict[str, Any]) -> Rules:
    thresholds = {" ".join(k.lower().split()): dict(v or {}) for k, v in raw["method_thresholds"].items()}
    return Rules(**{**raw, "method_thresholds": thresholds})


def _optional_path(root: Path, value: str | None) -> Path | None:
    return (root / value).resolve() if value else None


def _officials(raw: dict[str, Any]) -> dict[str, Official]:
    officials: dict[str, Official] = {}
    for role, data in raw.items():
        try:
            nip = normalise_nip(data["nip"])
        except ValueError as exc:
            raise ConfigError(f"Konfigurasi officials.{role}.nip tidak sah: {exc}") from None
        officials[role] = Official(nama=data["nama"], nip=nip, jabatan=data["jabatan"])
    return officials


def _numbering(raw: dict[str, str]) -> dict[str, str]:
    for key, pattern in raw.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name}
        allowed = {"nomor", "tahun", "kode"} if key == "surat_keluar" else {"nomor", "tahun"}
        unknown = fields - allowed
        if unknown or "nomor" not in fields:
            raise ConfigError(
                f"Konfigurasi numbering.{key} \u201c{pattern}\u201d harus memuat {{nomor}} "
                "dan hanya boleh memakai "
                + ("{kode}, {nomor} dan {tahun}." if "kode" in allowed else "{nomor} dan {tahun}.")
            )
        if "tahun" not in fields:
            raise ConfigError(
                f"Konfigurasi numbering.{key} \u201c{pattern}\u201d harus memuat {{tahun}}: nomor "
                "urut dimulai lagi dari 1 setiap tahun, sehingga tanpa tahun dua surat akan bernomor sama."
            )
        try:
            pattern.format(nomor=1, tahun=2026, kode="000.4.5")
        except (ValueError, IndexError) as exc:
            raise ConfigError(f"Konfigurasi numbering.{key} tidak sah: {exc}.") from None
    return dict(raw)


def _klasifikasi(raw: dict[str, str]) -> dict[str, str]:
    """Each outgoing document type's classification code, refused unless Lampiran A has it."""
    for kind, code in raw.items():
        if code not in classification_codes():
            raise ConfigError(unknown_reason(f"klasifikasi.{kind}", code))
    return dict(raw)


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"Konfigurasi timezone \u201c{name}\u201d tidak dikenal.") from None


def _steps(raw: list[dict[str, Any]], documents: dict[str, str]) -> tuple[Step, ...]:
    return build_steps(raw, documents)
