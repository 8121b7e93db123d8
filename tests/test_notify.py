"""Officials told by e-mail when a case waits for them (issue 20, item 5), against a real SMTP
server started on 127.0.0.1 (aiosmtpd): one e-mail per decision, digested, retried after a
refused connection or a server that never answers, never delaying filing, at most one extra
after a crash between sending and recording, on SQLite and PostgreSQL."""

import datetime as dt
import email
import email.policy
import json
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import yaml
from aiosmtpd.controller import Controller
from support.builders import HEADER, action, tab_memo
from support.processes import FAULTS, start_watch, wait_for
from support.workspace import make_workspace

from pipeline import config as config_module
from pipeline.engine import open_workspace
from pipeline.errors import ConfigError
from pipeline.register import open_register
from pipeline.register.schema import SCHEMA_VERSION

ME = pwd.getpwuid(os.getuid()).pw_name
KAPUS = "kapus@kemendagri.go.id"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the SMTP server received: each message parsed, with its envelope's recipients."""

    def __init__(self, port):
        self.port = port
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Pesan diterima"

    def texts(self):
        return [m.get_body(("plain",)).get_content() for _, m in self.messages]


def serve_smtp(port):
    box = Mailbox(port)
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    return box, controller


@pytest.fixture
def smtp():
    box, controller = serve_smtp(free_port())
    yield box
    controller.stop()


def workspace(tmp_path, port, digest=15, timeout=5, **extra):
    """A workspace whose Kapus is this test's account with an address, telling through ``port``."""
    config = make_workspace(
        tmp_path / "ws",
        {
            "access": {"roles": {"kapus": [ME], "kabid": ["kabid1"], "kasubbid": ["kasubbid1"], "staf": [ME]}},
            "email": {
                "host": "127.0.0.1",
                "port": port,
                "security": "none",
                "sender": "pipeline-spse@kemendagri.go.id",
                "digest_minutes": digest,
                "timeout_seconds": timeout,
                "to": {ME: KAPUS},
            },
            **extra,
        },
    )
    return config


def memo(config, n):
    header = {**HEADER, "Nomor": f"{n:03d}/ULP-UJI/XI/2026"}
    tab_memo(config.inbox / f"nota-{n:02d}.docx", header)


def agenda(cli):
    result = cli("register", "--json", "--buku", "masuk")
    assert result.exit_code == 0, result.output
    return [json.loads(line)["nomor_urut"] for line in result.output.splitlines()]


def test_a_case_reaching_a_disposition_sends_the_kapus_one_email(tmp_path, smtp):
    config = workspace(tmp_path, smtp.port)
    from support.cli import invoker

    cli = invoker(config)
    tab_memo(config.inbox / "nota.docx")
    assert cli("run").exit_code == 0
    [(to, message)] = smtp.messages
    assert to == [KAPUS]
    assert message["To"] == KAPUS and "pipeline-spse@kemendagri.go.id" in message["From"]
    assert "2026-0001" in message["Subject"] and "menunggu keputusan Bapak/Ibu" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    for expected in (
        "2026-0001",
        "Badan Penelitian dan Pengembangan",  # the unit
        "005/88/ULP-LITBANG/X/2026",
        "Menelaah dan mendisposisikan kepada Kepala Bidang",  # the decision
        "Menunggu sejak:",
        "Target SOP: 5 menit",
        f"keputusan/{ME}/",  # where the decision form is
    ):
        assert expected in text, (expected, text)
    assert "2026-0001" in message.get_body(("html",)).get_content()
    assert cli("run").exit_code == 0  # nothing new waits: nothing sent again
    assert len(smtp.messages) == 1
    queue = (config.outbox / "status" / "antrean" / "kapus.html").read_text(encoding="utf-8")
    assert f'data-akun="{ME}"' in queue and "diberitahukan" in queue, queue
    # the Kapus decides: the case now waits for the Kabid, who has no address; the Kapus is not told again
    action(config.inbox / "kapus.yaml", "disposisi_kapus", kepada="Kepala Bidang Telematika")
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 1
    queue = (config.outbox / "status" / "antrean" / "kabid.html").read_text(encoding="utf-8")
    assert "belum punya alamat e-mail" in queue


def test_two_cases_within_the_digest_window_give_one_digest(tmp_path, smtp):
    config = workspace(tmp_path, smtp.port, digest=0.05)  # three seconds
    from support.cli import invoker

    cli = invoker(config)
    memo(config, 1)
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 1
    memo(config, 2)
    memo(config, 3)
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 1  # within the window: nothing yet, and nothing lost
    assert agenda(cli) == [1, 2, 3]  # filed at once regardless
    time.sleep(3.2)
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 2
    _, digest = smtp.messages[1]
    assert "2 kasus menunggu keputusan" in digest["Subject"]
    text = smtp.texts()[1]
    new, still = text.split("Masih menunggu keputusan")
    assert "2026-0002" in new and "2026-0003" in new and "2026-0001" not in new
    assert "2026-0001" in still
    queue = (config.outbox / "status" / "antrean" / "kapus.html").read_text(encoding="utf-8")
    told = re.findall(r'data-kasus="(2026-\d+)" data-akun="[^"]+">.*?class="diberitahu">([^<]+)<', queue)
    assert [k for k, _ in told] == ["2026-0001", "2026-0002", "2026-0003"]
    assert all(t.startswith("diberitahukan ") for _, t in told), told  # the site follows the sending at once
    time.sleep(3.2)
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 2  # no reminder spam: only new waits start a digest


def test_a_refused_connection_is_retried_later_and_the_memo_is_filed_at_once(tmp_path):
    port = free_port()  # nothing listens there
    config = workspace(tmp_path, port)
    from support.cli import invoker

    cli = invoker(config)
    tab_memo(config.inbox / "nota.docx")
    started = time.monotonic()
    ran = cli("run")
    assert ran.exit_code == 0 and "diterima" in ran.output
    assert time.monotonic() - started < 30
    assert agenda(cli) == [1]
    status = cli("status")
    assert "Pemberitahuan e-mail tertunda" in status.output and "ditolak" in status.output, status.output
    doctor = cli("doctor", "--json")
    found = [json.loads(line) for line in doctor.output.splitlines()]
    [pending] = [f for f in found if f["pemeriksaan"] == "Pemberitahuan e-mail tertunda"]
    assert pending["status"] == "peringatan" and ME in pending["pesan"]
    box, controller = serve_smtp(port)
    try:
        assert cli("run").exit_code == 0
        assert box.messages == []  # backing off: not at every pass
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
        with open_workspace(config, clock=lambda: later):
            pass  # the workspace's upkeep after the pass sends what is due
        assert len(box.messages) == 1 and "2026-0001" in box.texts()[0]
        assert "Pemberitahuan e-mail tertunda" not in cli("status").output
    finally:
        controller.stop()


def test_a_failure_is_told_once_and_a_silent_server_meets_the_time_limit(tmp_path):
    silent = socket.socket()  # accepts connections, never greets
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        config = workspace(tmp_path, silent.getsockname()[1], timeout=1)
        data = yaml.safe_load(config.path.read_text(encoding="utf-8"))
        data["access"]["roles"]["kapus"] = [ME, "plt_kapus"]  # two officials wait on one silent server
        data["email"]["to"]["plt_kapus"] = "plt.kapus@kemendagri.go.id"
        config.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        config = config_module.load(config.path)
        tab_memo(config.inbox / "nota.docx")
        start = dt.datetime.now(dt.UTC)
        with open_workspace(config, clock=lambda: start) as ws:
            ws.process_inbox()
            began = time.monotonic()
            [note] = ws.notify_officials()
            assert time.monotonic() - began < 4  # one time limit, not one per official
            assert "tidak menjawab dalam 1 detik" in note and "Pemberkasan tetap berjalan" in note
        with open_register(config, writer=False) as register:
            tried = {n.akun: (n.percobaan, n.status) for n in register.notices()}
            assert tried == {"plt_kapus": (1, "menunggu"), ME: (0, "menunggu")} or tried == {
                ME: (1, "menunggu"),
                "plt_kapus": (0, "menunggu"),
            }
        later = start + dt.timedelta(minutes=5)
        with open_workspace(config, clock=lambda: later) as ws:
            first = ws.notify_officials()  # a new process tells it once
            assert ws.notify_officials() == []  # within its back-off: not tried, not told
        assert len(first) == 1  # the other official's turn, told once
    finally:
        silent.close()


def test_a_crash_after_sending_before_recording_sends_at_most_one_extra(tmp_path, smtp):
    config = workspace(tmp_path, smtp.port)
    tab_memo(config.inbox / "nota.docx")
    command = [sys.executable, str(FAULTS), "after_notice_sent", "1", "--", "--config", str(config.path), "run"]
    killed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(smtp.messages) == 1  # the server took it; the register does not know yet
    again = [sys.executable, "-m", "pipeline", "--config", str(config.path)]
    for _ in range(2):
        assert subprocess.run([*again, "run"], capture_output=True, text=True, timeout=120).returncode == 0
    assert len(smtp.messages) == 2  # one extra, then recorded: never a third
    assert [t.count("2026-0001") > 0 for t in smtp.texts()] == [True, True]
    verified = subprocess.run([*again, "verify"], capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout


def test_the_service_tells_the_kapus_while_it_runs(tmp_path, smtp):
    config = workspace(tmp_path, smtp.port)
    service = start_watch(config)
    try:
        tab_memo(config.inbox / "nota.docx")
        assert wait_for(lambda: smtp.messages, timeout=60), "no e-mail from the running service"
        assert "2026-0001" in smtp.texts()[0]
    finally:
        service.send_signal(signal.SIGTERM)
        service.communicate(timeout=30)


def test_the_email_settings_are_checked_in_indonesian(tmp_path):
    config = make_workspace(tmp_path / "ws")
    data = yaml.safe_load(config.path.read_text(encoding="utf-8"))
    assert config.email.enabled is False  # off without a host

    def load(settings):
        data["email"] = {**data["email"], **settings}
        config.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return config_module.load(config.path)

    with pytest.raises(ConfigError, match="email.sender wajib diisi"):
        load({"host": "mail.kemendagri.go.id"})
    with pytest.raises(ConfigError, match="bukan alamat e-mail yang sah"):
        load({"sender": "pipeline", "to": None})
    with pytest.raises(ConfigError, match="tidak memegang peran apa pun"):
        load({"sender": "pipeline@kemendagri.go.id", "to": {"orang_lain": KAPUS}})
    with pytest.raises(ConfigError, match="bukan alamat e-mail yang sah"):
        load({"to": {ME: "kapus di kemendagri"}})
    loaded = load({"to": {ME: KAPUS}})
    assert loaded.email.enabled and loaded.email.to == {ME: KAPUS} and loaded.email.digest_minutes == 15
    assert "password" not in json.dumps(data["email"]).replace("password_env", "")


def test_notices_are_kept_on_postgresql_too(tmp_path, smtp, postgres):
    config = workspace(tmp_path, smtp.port, register={"url": postgres.database()})
    from support.cli import invoker

    cli = invoker(config)
    memo(config, 1)
    memo(config, 2)
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 1 and "2 kasus" in smtp.messages[0][1]["Subject"]
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 1
    with open_register(config, writer=False) as register:
        assert register.version == SCHEMA_VERSION  # migrated to the newest schema
        assert sorted((n.kasus, n.status) for n in register.notices()) == [
            ("2026-0001", "terkirim"),
            ("2026-0002", "terkirim"),
        ]
    assert cli("verify").exit_code == 0  # a cache outside the chain: the register still matches its log


def test_a_decision_made_before_its_digest_is_not_announced_afterwards(tmp_path, smtp):
    config = workspace(tmp_path, smtp.port)  # a 15-minute window
    from support.cli import invoker

    cli = invoker(config)
    memo(config, 1)
    assert cli("run").exit_code == 0
    memo(config, 2)
    assert cli("run").exit_code == 0
    assert len(smtp.messages) == 1  # 2026-0002 waits for the window
    action(config.inbox / "kapus.yaml", "disposisi_kapus", rujukan="002/ULP-UJI/XI/2026", kepada="Kepala Bidang")
    assert cli("run").exit_code == 0
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)
    with open_workspace(config, clock=lambda: later):
        pass
    assert len(smtp.messages) == 1  # the Kapus already decided: nothing to tell
    with open_register(config, writer=False) as register:
        assert sorted((n.kasus, n.status) for n in register.notices()) == [
            ("2026-0001", "terkirim"),
            ("2026-0002", "usang"),
        ]


def test_the_login_takes_its_password_from_the_environment(tmp_path, monkeypatch):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticate(server, session, envelope, mechanism, auth_data):
        good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"pipeline",
            b"r4hasia",
        )
        return AuthResult(success=good, handled=False)  # a refusal answered 535 by the server

    port = free_port()
    box = Mailbox(port)
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False)
    controller.start()
    try:
        config = workspace(tmp_path, port)
        data = yaml.safe_load(config.path.read_text(encoding="utf-8"))
        data["email"]["user"] = "pipeline"
        config.path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        config = config_module.load(config.path)
        tab_memo(config.inbox / "nota.docx")
        monkeypatch.setenv("SPSE_SMTP_PASSWORD", "salah")
        start = dt.datetime.now(dt.UTC)
        with open_workspace(config, clock=lambda: start) as ws:
            ws.process_inbox()
            [note] = ws.notify_officials()
        assert "menolak login akun pipeline" in note and box.messages == []
        monkeypatch.delenv("SPSE_SMTP_PASSWORD")
        with open_workspace(config, clock=lambda: start + dt.timedelta(minutes=2)) as ws:
            [note] = ws.notify_officials()
        assert "SPSE_SMTP_PASSWORD" in note and "kosong" in note
        monkeypatch.setenv("SPSE_SMTP_PASSWORD", "r4hasia")
        with open_workspace(config, clock=lambda: start + dt.timedelta(minutes=10)) as ws:
            assert ws.notify_officials() == []
        assert len(box.messages) == 1
        assert "r4hasia" not in config.path.read_text(encoding="utf-8")
    finally:
        controller.stop()


def test_the_waits_are_read_in_one_pass_not_one_query_per_case(tmp_path, monkeypatch):
    """``notices.waiting`` reads the step records of the unfinished cases at once: with 10,000
    open cases, one read rather than 10,000 queries after every pass."""
    from pipeline.outputs import notices

    config = workspace(tmp_path, free_port())
    for n in (1, 2):
        memo(config, n)
    with open_workspace(config) as ws:
        ws.process_inbox()
        expected = notices.waiting(config, ws.register, ws.procedure)

        def per_case(kasus):
            raise AssertionError(f"the records of {kasus} read on their own")

        monkeypatch.setattr(ws.register, "steps", per_case)
        found = notices.waiting(config, ws.register, ws.procedure)
    assert [w.kasus for w in found] == ["2026-0001", "2026-0002"]
    assert found == expected and all(w.langkah == "disposisi_kapus" for w in found)
