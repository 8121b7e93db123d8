"""Officials told by e-mail when a case waits for their decision (docs/architecture.md, "Officials told").

After a pass (``Workspace.notify_officials``, and the service's upkeep),
never inside a register transaction nor on the filing path: every decision
a case now waits for is an owed notice for each account holding the step's
role that has an address (``email.to``), recorded in the register
(``record_notices``, idempotent); then each official with owed notices gets
one digest e-mail, at most every ``email.digest_minutes``, listing the new
waits and those still open. A failed send (refused connection, login,
timeout: every SMTP call has ``email.timeout_seconds``) is tried again with
back-off, told once, and shown by ``pipeline status`` and ``doctor``.

A notice is claimed before its e-mail is sent and marked sent after the
server accepted it: a crash between the two sends that e-mail once more
(at most one extra), never loses it.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import smtplib
import socket
import ssl
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from typing import TYPE_CHECKING

from pipeline.formats import waktu
from pipeline.register.notices import Key, notice_key
from pipeline.register.records import Notice, StepRecord
from pipeline.states import NoticeStatus

if TYPE_CHECKING:
    from pipeline.clock import Clock
    from pipeline.config import Config, EmailSettings
    from pipeline.register.sql import SqlRegister
    from pipeline.sop.procedure import Procedure, Step

FIRST_RETRY_SECONDS = 60  # a failed send is tried again after a minute, doubling
LAST_RETRY_SECONDS = 3600  # to at most an hour
PENDING = "Pemberitahuan e-mail tertunda"


@dataclass(frozen=True)
class Waiting:
    """One decision a case waits for, as one official is told of it."""

    kasus: str
    unit: str
    rujukan: str
    langkah: str  # the step's key
    nomor: int  # the step's number
    keputusan: str  # the step's activity
    pejabat: str  # the step's actor
    target_menit: int
    sejak: str
    akun: str
    alamat: str

    @property
    def key(self) -> Key:
        return (self.kasus, self.langkah, self.akun, self.sejak)


def waiting(config: Config, register: SqlRegister, procedure: Procedure) -> list[Waiting]:
    """Every decision an official with an address is waited for now: the current step of each
    unfinished case, where it waits for an action of a role (``Procedure.awaited_roles``)."""
    found = []
    standing = _current_steps(register, procedure)
    for case in register.open_cases():
        step, record = standing.get(case.id) or (procedure.current({}), None)
        roles = procedure.awaited_roles(step, case.status)
        if step is None or not roles:
            continue
        since = (record.mulai if record is not None else None) or case.dibuka
        accounts = sorted({a for role in roles for a in config.roles.get(role, ()) if a in config.email.to})
        for account in accounts:
            found.append(
                Waiting(
                    kasus=case.id,
                    unit=case.unit,
                    rujukan=case.rujukan,
                    langkah=step.key,
                    nomor=step.number,
                    keputusan=step.activity,
                    pejabat=step.actor,
                    target_menit=step.target_minutes,
                    sejak=since,
                    akun=account,
                    alamat=config.email.to[account],
                )
            )
    return found


def _current_steps(register: SqlRegister, procedure: Procedure) -> dict[str, tuple[Step | None, StepRecord | None]]:
    """Per unfinished case with step records: its current step and that step's record, from one
    read of their records (``open_case_steps``), not one query per case."""
    standing: dict[str, tuple[Step | None, StepRecord | None]] = {}
    for kasus, listed in register.open_case_steps():
        records = {r.key: r for r in listed}
        step = procedure.current(records)
        standing[kasus] = (step, records.get(step.key) if step is not None else None)
    return standing


class Notifier:
    """Owes, claims and sends the notices of one workspace (one per process: it remembers what
    it has told)."""

    def __init__(
        self,
        config: Config,
        register: SqlRegister,
        procedure: Procedure,
        clock: Clock,
        log: logging.Logger,
    ) -> None:
        self.config, self.register, self.procedure, self.clock, self.log = config, register, procedure, clock, log
        host = config.host or socket.gethostname()
        self.mine = f"{host}:"
        self.token = f"{host}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._told: set[str] = set()
        self.changed = False  # a notice was sent or failed since the owner last looked (the site shows it)
        # After a failure of the server itself (refused, silent, login), no account is tried before
        # this: a silent server costs the service at most one time limit per retry, not one per official.
        self._resting_until: dt.datetime | None = None

    def run(self) -> list[str]:
        """Owe the notices of the waits seen now, then send those due. Never raises: returns the
        problems not told before (each also logged once)."""
        if not self.config.email.enabled:
            return []
        try:
            current = waiting(self.config, self.register, self.procedure)
            self.record(current)
            return self.send_due(current)
        except Exception as exc:  # noqa: BLE001 - telling officials never stops the pipeline
            return self._tell(f"{PENDING}: pemberitahuan belum dapat disiapkan ({exc}); dicoba lagi nanti.")

    def record(self, current: Sequence[Waiting]) -> None:
        """Owe a notice for each wait not known yet; set aside owed ones whose wait is over."""
        stamp = self.clock.now().isoformat(timespec="seconds")
        due = [
            Notice(kasus=w.kasus, langkah=w.langkah, akun=w.akun, sejak=w.sejak, alamat=w.alamat, dicatat=stamp)
            for w in current
        ]
        self.register.record_notices(due, {w.key for w in current})

    def send_due(self, current: Sequence[Waiting]) -> list[str]:
        """One digest to each official whose notices are due and whose last e-mail is older than
        ``digest_minutes``; returns the problems not told before."""
        settings = self.config.email
        now = self.clock.now()
        by_key = {w.key: w for w in current}
        notes: list[str] = []
        for account in sorted({w.akun for w in current}):
            if self._resting_until is not None and now < self._resting_until:
                break
            last = self.register.last_notice_sent(account)
            if last and now < dt.datetime.fromisoformat(last) + dt.timedelta(minutes=settings.digest_minutes):
                continue
            lease = now + dt.timedelta(seconds=6 * settings.timeout_seconds + 60)
            claimed = self.register.claim_notices(
                account, self.token, now, lease.isoformat(timespec="seconds"), self.mine
            )
            new = [by_key[notice_key(n)] for n in claimed if notice_key(n) in by_key]
            if not new:
                continue
            told = {notice_key(n) for n in self.register.notices(NoticeStatus.SENT, account)}
            still = [w for w in current if w.akun == account and w.key in told]
            notes += self._send(account, new, still, max(n.percobaan for n in claimed))
        return notes

    def _send(self, account: str, new: list[Waiting], still: list[Waiting], attempts: int) -> list[str]:
        keys = [w.key for w in new]
        try:
            deliver(self.config.email, compose(self.config, self.procedure, account, new, still))
        except (OSError, smtplib.SMTPException) as exc:
            wait = min(FIRST_RETRY_SECONDS * 2**attempts, LAST_RETRY_SECONDS)
            later = self.clock.now() + dt.timedelta(seconds=wait)
            why = failure_reason(exc, self.config.email)
            self.register.notices_failed(keys, later.isoformat(timespec="seconds"), why)
            self.changed = True
            if not isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
                self._resting_until = later  # the server, not this address: the others wait too
            return self._tell(
                f"{PENDING}: e-mail kepada {account} ({new[0].alamat}) belum terkirim: {why}. "
                "Pemberkasan tetap berjalan; pengiriman dicoba lagi otomatis. Periksa pengaturan email di "
                "config.yaml dan server SMTP-nya."
            )
        self.register.notices_sent(keys, self.clock.now().isoformat(timespec="seconds"))
        self.changed = True
        self.log.info("Pemberitahuan e-mail terkirim kepada %s: %s", account, ", ".join(w.kasus for w in new))
        self._told.clear()  # a later failure is told again
        self._resting_until = None
        return []

    def _tell(self, note: str) -> list[str]:
        if note in self._told:
            return []
        self._told.add(note)
        self.log.warning(note)
        return [note]


def deliver(settings: EmailSettings, message: EmailMessage) -> None:
    """Hand ``message`` to the SMTP server (smtplib): STARTTLS or SSL as configured, a login when
    a user is set (its password from the environment), every call limited to ``timeout_seconds``."""
    context = ssl.create_default_context()
    timeout = settings.timeout_seconds
    smtp: smtplib.SMTP
    if settings.security == "ssl":
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.user:
            password = os.environ.get(settings.password_env, "")
            if not password:
                raise smtplib.SMTPAuthenticationError(
                    0, f"variabel lingkungan {settings.password_env} (kata sandi SMTP) kosong".encode()
                )
            smtp.login(settings.user, password)
        smtp.send_message(message)


def failure_reason(exc: Exception, settings: EmailSettings) -> str:
    """Why an e-mail could not be sent, in Indonesian."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else ""
        return f"server SMTP {where} menolak login akun {settings.user or '(kosong)'} ({detail})"
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return f"server SMTP {where} menolak alamat pengirim atau penerima ({exc})"
    if isinstance(exc, TimeoutError) or (isinstance(exc, smtplib.SMTPServerDisconnected) and "timed out" in str(exc)):
        return f"server SMTP {where} tidak menjawab dalam {settings.timeout_seconds:g} detik"
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"sambungan ke server SMTP {where} ditolak; pastikan layanan SMTP berjalan di server itu dan port-nya benar"
        )
    if isinstance(exc, ssl.SSLError):
        return f"sambungan aman (TLS) ke server SMTP {where} gagal ({exc.reason})"
    if isinstance(exc, socket.gaierror):
        return f"nama server SMTP {settings.host} tidak dikenal"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"server SMTP {where} memutus sambungan sebelum e-mail diterima"
    if isinstance(exc, smtplib.SMTPException):
        return f"server SMTP {where} menolak e-mail ({exc})"
    if isinstance(exc, OSError):
        from pipeline.errors import os_reason

        return f"server SMTP {where} tidak dapat dihubungi ({os_reason(exc)})"
    return f"server SMTP {where} tidak dapat dipakai ({exc})"


def _addressee(config: Config, account: str) -> str:
    """How the e-mail greets the account's holder: the officials of its roles, by name."""
    names = [
        f"{config.officials[role].jabatan} ({config.officials[role].nama})"
        for role, accounts in config.roles.items()
        if account in accounts and role in config.officials
    ]
    return " / ".join(names) or f"pemegang akun {account}"


def _folder(config: Config, account: str) -> str:
    """Where the account's decision forms are, as the share shows it."""
    try:
        return config.decision_folder(account).relative_to(config.root).as_posix() + "/"
    except ValueError:
        return config.decision_folder(account).as_posix() + "/"


def _minutes(value: int) -> str:
    if not value:
        return "tanpa target"
    if value % 1440 == 0:
        return f"{value // 1440} hari"
    if value % 60 == 0:
        return f"{value // 60} jam"
    return f"{value} menit"


def compose(
    config: Config, procedure: Procedure, account: str, new: Sequence[Waiting], still: Sequence[Waiting]
) -> EmailMessage:
    """The digest to one official: the new waits in full, those still open listed; plain text
    and the same as HTML."""
    org = config.organisation
    folder = _folder(config, account)
    digest = _Digest(
        opening=(
            f"Yth. {_addressee(config, account)},\n\n"
            f"Dengan hormat, kasus berikut menunggu keputusan Bapak/Ibu sesuai {config.sop_code}:"
        ),
        rows=[_row(w, folder, config.timezone) for w in new],
        still=still,
        closing=(
            f"Formulir keputusan setiap kasus ada di folder {folder} pada folder bersama pipeline. Buka "
            "formulirnya dengan Word, isi keputusan dan catatan, lalu simpan; pipeline mencatatnya. Bila Bapak/Ibu "
            "memutuskan di atas Lembar Disposisi tercetak, serahkan lembar yang telah ditandatangani kepada staf "
            "untuk dicatat atas nama Bapak/Ibu."
        ),
        sender=org["name"],
        footer=_footer(config),
        zone=config.timezone,
    )
    message = EmailMessage()
    message["Subject"] = _subject(org["short_name"], new)
    message["From"] = formataddr((f"Pipeline SPSE {org['short_name']}", config.email.sender))
    message["To"] = config.email.to[account]
    message["Message-ID"] = make_msgid(domain=config.email.sender.rsplit("@", 1)[-1])
    message.set_content(digest.text())
    message.add_alternative(digest.html(), subtype="html")
    return message


def _subject(short_name: str, new: Sequence[Waiting]) -> str:
    """The digest's subject: the one case, or how many cases wait."""
    if len(new) == 1:
        return f"{short_name}: kasus {new[0].kasus} menunggu keputusan Bapak/Ibu"
    return f"{short_name}: {len(new)} kasus menunggu keputusan Bapak/Ibu"


def _row(w: Waiting, folder: str, zone: dt.tzinfo) -> list[tuple[str, str]]:
    """One new wait in full, as (label, value) lines; the first is the case."""
    return [
        ("Kasus", w.kasus),
        ("Unit pemohon", w.unit),
        ("Nota Dinas", w.rujukan),
        ("Keputusan", f"{w.keputusan} (langkah {w.nomor}, {w.pejabat})"),
        ("Menunggu sejak", waktu(w.sejak, zone)),
        ("Target SOP", _minutes(w.target_menit)),
        ("Formulir keputusan", f"folder {folder} pada folder bersama pipeline"),
    ]


def _footer(config: Config) -> str:
    """Who sent the digest, that it needs no reply, and how often at most such e-mails come."""
    window = f"{config.email.digest_minutes:g}".replace(".", ",")
    return (
        f"E-mail ini dikirim otomatis oleh pipeline SPSE {config.organisation['short_name']} dan tidak perlu "
        "dibalas. Kasus lain yang menunggu Bapak/Ibu dikumpulkan dalam satu e-mail, paling banyak satu e-mail "
        f"setiap {window} menit."
    )


@dataclass(frozen=True)
class _Digest:
    """What one digest e-mail says, written as plain text and as the same in HTML."""

    opening: str
    rows: list[list[tuple[str, str]]]  # the new waits in full
    still: Sequence[Waiting]  # told before, still open: listed
    closing: str
    sender: str  # the organisation's name, under "Hormat kami"
    footer: str
    zone: dt.tzinfo

    STILL = "Masih menunggu keputusan Bapak/Ibu (telah diberitahukan sebelumnya):"

    def text(self) -> str:
        """The plain-text body."""
        text = [self.opening, ""]
        for number, item in enumerate(self.rows, start=1):
            text += [f"{number}. Kasus " + item[0][1]] + [f"   {name}: {value}" for name, value in item[1:]] + [""]
        if self.still:
            text.append(self.STILL)
            text += [
                f"- Kasus {w.kasus} ({w.unit}): {w.keputusan}, sejak {waktu(w.sejak, self.zone)}" for w in self.still
            ]
            text.append("")
        text += [self.closing, "", "Hormat kami,", f"{self.sender}", "", self.footer]
        return "\n".join(text)

    def html(self) -> str:
        """The HTML body: the same words, each new wait as a table."""
        e = html.escape
        return (
            "<html><body style='font-family:Arial,sans-serif'>"
            + "".join(f"<p>{e(part)}</p>" for part in self.opening.split("\n\n"))
            + "".join(self._table(item) for item in self.rows)
            + self._listed()
            + f"<p>{e(self.closing)}</p><p>Hormat kami,<br>{e(self.sender)}</p>"
            + f"<p style='color:#777;font-size:small'>{e(self.footer)}</p></body></html>"
        )

    @staticmethod
    def _table(item: list[tuple[str, str]]) -> str:
        e = html.escape
        return (
            "<table style='border-collapse:collapse;margin:0 0 1em 0'>"
            + "".join(
                f"<tr><td style='padding:2px 8px;color:#555'>{e(name)}</td><td style='padding:2px 8px'>{e(value)}</td></tr>"
                for name, value in item
            )
            + "</table>"
        )

    def _listed(self) -> str:
        if not self.still:
            return ""
        e = html.escape
        return (
            f"<p>{self.STILL}</p><ul>"
            + "".join(
                f"<li>Kasus {e(w.kasus)} ({e(w.unit)}): {e(w.keputusan)}, sejak {e(waktu(w.sejak, self.zone))}</li>"
                for w in self.still
            )
            + "</ul>"
        )


def pending(config: Config, register: SqlRegister) -> list[str]:
    """``pipeline status`` and ``doctor``: the notices whose e-mail failed and waits for its next
    attempt, one line per account, in Indonesian."""
    if not config.email.enabled:
        return []
    lines = []
    by_account: dict[str, list[Notice]] = {}
    for notice in register.notices(NoticeStatus.DUE):
        if notice.percobaan:
            by_account.setdefault(notice.akun, []).append(notice)
    for account, notices in sorted(by_account.items()):
        newest = max(notices, key=lambda n: n.berikutnya)
        lines.append(
            f"{len(notices)} pemberitahuan kepada {account} ({newest.alamat}) belum terkirim setelah "
            f"{max(n.percobaan for n in notices)} kali percobaan: {newest.galat}. Dicoba lagi otomatis pada "
            f"{waktu(newest.berikutnya, config.timezone)}; periksa pengaturan email di config.yaml dan server "
            "SMTP-nya. Pemberkasan tidak terganggu."
        )
    return lines
