"""The register on PostgreSQL: the whole pipeline on it, an SQLite register moved onto it and
proved, and two intake hosts numbering in one book while one is killed again and again."""

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.builders import tab_memo, yaml_memo
from support.processes import FAULTS
from support.workspace import configure, make_workspace, merge_config

from pipeline import config as config_module
from pipeline.cli import main
from pipeline.errors import ConfigError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def invoke(config_path, *args):
    return CliRunner().invoke(main, ["--config", str(config_path), *args], catch_exceptions=False)


def agenda(config_path, buku="masuk"):
    result = invoke(config_path, "register", "--json", "--buku", buku)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_a_password_never_goes_into_config(tmp_path):
    config = make_workspace(tmp_path / "ws")
    with pytest.raises(ConfigError, match="memuat kata sandi"):
        configure(config.path, {"register": {"url": "postgresql://spse:rahasia@db:5432/spse"}})


HIDDEN = (
    "postgresql://spse@127.0.0.1:9/spse?%70assword=SECRET",
    "postgresql://spse@127.0.0.1:9/spse?password=SECRET",
    "postgresql://spse:SECRET@127.0.0.1:9/spse",
    "postgresql://spse@127.0.0.1:9/spse?sslpassword=SECRET",
    "postgresql://spse@127.0.0.1:9/spse?%73slpassword=SECRET",
)


@pytest.mark.parametrize("url", HIDDEN)
def test_a_password_in_any_spelling_libpq_reads_is_refused_and_never_shown(tmp_path, url):
    """libpq decodes percent-encoded keys: ``?%70assword=`` is a password. Config refuses it, migrate-register
    writes nothing, and a connection error, doctor and verify locate the register without it."""
    import dataclasses
    import datetime as dt

    from pipeline import doctor
    from pipeline.errors import RegisterError
    from pipeline.register.postgres import connect, redacted

    config = make_workspace(tmp_path / "ws")
    before = config.path.read_text(encoding="utf-8")
    moved = invoke(config.path, "migrate-register", "--to", url)
    assert moved.exit_code != 0 and "register.url memuat kata sandi" in moved.output and "SECRET" not in moved.output
    assert config.path.read_text(encoding="utf-8") == before
    merge_config(config.path, {"register": {"url": url}})
    refused = invoke(config.path, "doctor")
    assert refused.exit_code != 0 and "SECRET" not in refused.output
    assert (
        "Konfigurasi register.url memuat kata sandi. Hapus kata sandinya dari config.yaml dan isi PGPASSWORD "
        "pada layanan pipeline atau berkas ~/.pgpass." in " ".join(refused.output.split())
    )
    assert redacted(url) == "postgresql://spse@127.0.0.1:9/spse"
    with pytest.raises(RegisterError) as raised:
        connect(url)
    assert "SECRET" not in str(raised.value) and "postgresql://spse@127.0.0.1:9/spse" in str(raised.value)
    slipped = dataclasses.replace(_loaded(before, config), register_url=url)  # as if it got past the check
    finding = doctor.register(slipped, dt.datetime.now(dt.UTC))
    assert finding.status == "galat" and "SECRET" not in finding.message
    assert slipped.register_name == "postgresql://spse@127.0.0.1:9/spse"


def _loaded(text, config):
    config.path.write_text(text, encoding="utf-8")
    return config_module.load(config.path)


def test_the_pipeline_runs_on_postgresql(tmp_path, postgres):
    config = make_workspace(tmp_path / "ws", {"register": {"url": postgres.database()}})
    for example in EXAMPLES.iterdir():
        shutil.copy(example, config.inbox / example.name)
    assert invoke(config.path, "run").exit_code == 0
    for langkah in ("periksa", "setujui"):
        assert invoke(config.path, "act", "027/301/ULP-BPSDM/XI/2026", langkah).exit_code == 0
    assert [e["nomor_urut"] for e in agenda(config.path)] == [1, 2, 3]
    listed = invoke(config.path, "status", "--json", "--all")  # three listings read at once
    assert [json.loads(line)["kasus"] for line in listed.output.splitlines()] == ["2026-0001", "2026-0002", "2026-0003"]
    [letter] = agenda(config.path, "keluar")
    assert letter["nomor_surat"] == "000.4.5/1/Pusdatinkomtel/2026" and letter["kode"]
    verified = invoke(config.path, "verify")
    assert verified.exit_code == 0 and "register sama dengan catatannya di arsip" in verified.output
    assert not config.register_path.exists()  # nothing written to an SQLite file beside it
    doctor = invoke(config.path, "doctor", "--json")
    [found] = [json.loads(line) for line in doctor.output.splitlines() if "Register" in line]
    assert found["status"] == "baik"


def test_an_sqlite_register_moves_to_postgresql_proved(tmp_path, postgres):
    config = make_workspace(tmp_path / "ws")
    for n in range(3):
        yaml_memo(config.inbox / f"nota-{n}.yaml", nomor=f"050/{n + 1}/ULP-OTDA/XI/2026")
    assert invoke(config.path, "run").exit_code == 0
    url = postgres.database()
    text = config.path.read_text(encoding="utf-8")  # an administrator put host before url
    host_line = next(line for line in text.splitlines() if line.startswith("  host:"))
    config.path.write_text(
        text.replace(host_line + "\n", "").replace("register:\n", f"register:\n{host_line}\n"), encoding="utf-8"
    )
    (config.staging_dir / "sisa-crash").mkdir(parents=True)
    unfinished = invoke(config.path, "migrate-register", "--to", url)
    assert unfinished.exit_code == 1 and "pipeline run" in unfinished.output
    (config.staging_dir / "sisa-crash").rmdir()
    moved = invoke(config.path, "migrate-register", "--to", url)
    assert moved.exit_code == 0, moved.output
    assert "terbukti sama" in moved.output and "3 entri agenda" in moved.output
    config = config_module.load(config.path)
    assert config.register_url == url and not config.register_path.exists()
    assert list(config.archive.glob("register.sqlite3.sebelum-postgresql-*"))
    assert invoke(config.path, "verify").exit_code == 0
    tab_memo(config.inbox / "nota.docx")
    assert invoke(config.path, "run").exit_code == 0
    assert [e["nomor_urut"] for e in agenda(config.path)] == [1, 2, 3, 4]
    other = make_workspace(tmp_path / "lain")
    yaml_memo(other.inbox / "nota.yaml")
    assert invoke(other.path, "run").exit_code == 0
    refused = invoke(other.path, "migrate-register", "--to", url)
    assert refused.exit_code == 1 and "sudah berisi data" in refused.output
    assert config_module.load(other.path).register_url == ""  # not switched


def _host(tmp_path, name, shared, url):
    config = make_workspace(tmp_path / name)
    shutil.rmtree(config.archive)
    return configure(config.path, {"folders": {"archive": str(shared)}, "register": {"url": url, "host": name}})


def _pipeline(config, *args):
    return [sys.executable, "-m", "pipeline", "--config", str(config.path), *args]


def test_two_hosts_number_one_book_while_one_is_killed(tmp_path, postgres):
    url, shared = postgres.database(), tmp_path / "arsip-bersama"
    hosts = [_host(tmp_path, "kantor-pusat", shared, url), _host(tmp_path, "kantor-wilayah", shared, url)]
    counts = (16, 60)  # the steady host keeps filing while the other is killed and restarted
    for index, config in enumerate(hosts):
        for n in range(counts[index]):
            yaml_memo(
                config.inbox / f"nota-{n}.yaml",
                nomor=f"0{index}{n}/{n + 1}/ULP-{index}/XI/2026",
                hal=f"Permohonan {index}-{n}",
            )
    rng = random.Random(20261127)
    steady = subprocess.Popen(_pipeline(hosts[1], "run"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kills = 0
    while steady.poll() is None:  # while the other files, the first host is killed again and again
        victim = subprocess.Popen(_pipeline(hosts[0], "run"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0))
        if victim.poll() is None:
            victim.send_signal(signal.SIGKILL)
            kills += 1
        victim.wait()
    assert steady.wait(timeout=300) == 0, steady.stderr.read()
    for config in hosts:  # each host finishes what it had, after its crashes
        result = subprocess.run(_pipeline(config, "run"), capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    assert kills >= 3
    entries = agenda(hosts[0].path)
    assert [e["nomor_urut"] for e in entries] == list(range(1, sum(counts) + 1))  # gapless, unique
    assert sorted(e["nomor_surat"] for e in entries) == sorted(
        f"0{i}{n}/{n + 1}/ULP-{i}/XI/2026" for i in range(2) for n in range(counts[i])
    )  # every memo once
    for config in hosts:
        assert not [p for p in config.inbox.iterdir() if p.is_file()]
        verified = subprocess.run(_pipeline(config, "verify"), capture_output=True, text=True, timeout=300)
        assert verified.returncode == 0, verified.stdout + verified.stderr


def test_two_hosts_with_one_name_are_refused(tmp_path, postgres):
    from pipeline.engine import open_workspace

    url, shared = postgres.database(), tmp_path / "arsip-bersama"
    first = _host(tmp_path, "kembar", shared, url)
    second = make_workspace(
        tmp_path / "kedua", {"folders": {"archive": str(shared)}, "register": {"url": url, "host": "kembar"}}
    )
    with open_workspace(first):
        refused = subprocess.run(_pipeline(second, "run"), capture_output=True, text=True, timeout=120)
        assert refused.returncode == 1 and "sedang diproses oleh proses pipeline lain" in refused.stderr
        # where the share's file locks do not hold across hosts, the register refuses the name
        from pipeline.errors import RegisterError
        from pipeline.register import open_register

        with pytest.raises(RegisterError, match="Nama host \u201ckembar\u201d sedang dipakai"):
            open_register(second, writer=True)
        open_register(second, writer=False).close()  # reading is never refused


@pytest.mark.parametrize("committed", [True, False], ids=["committed", "rolled-back"])
def test_a_commit_whose_answer_was_lost(tmp_path, postgres, monkeypatch, committed):
    """The connection drops during COMMIT: the server may or may not have committed. Nothing
    staged is thrown away on the spot; the next run publishes what the register holds and
    discards the rest, and the memo is filed exactly once."""
    import psycopg

    from pipeline.register.postgres import PostgresRegister

    config = make_workspace(tmp_path / "ws", {"register": {"url": postgres.database()}})
    yaml_memo(config.inbox / "nota.yaml")
    real_seal, real_commit, armed = PostgresRegister._seal, PostgresRegister._commit, []

    def seal(self, changes, waktu=None):
        if changes and any(sql.startswith("INSERT INTO agenda") for sql, _ in changes):
            armed.append(True)
        return real_seal(self, changes, waktu)

    def commit(self):
        if not armed:
            return real_commit(self)
        armed.clear()
        if committed:
            real_commit(self)
        else:
            self.db.execute("ROLLBACK")
        self._open = False
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(PostgresRegister, "_seal", seal)
    monkeypatch.setattr(PostgresRegister, "_commit", commit)
    invoke(config.path, "run")
    monkeypatch.undo()
    assert invoke(config.path, "run").exit_code == 0
    [entry] = agenda(config.path)
    assert entry["nomor_urut"] == 1 and all((config.root / path).is_file() for path in entry["berkas"].values())
    assert not [p for p in config.inbox.iterdir() if p.is_file()]
    assert not list(config.staging_dir.iterdir())
    assert invoke(config.path, "verify").exit_code == 0


def test_a_host_that_stopped_after_a_commit_is_stood_in_for(tmp_path, postgres):
    """The first host dies right after the commit that numbers its memo, before the filing is
    put in the shared archive, and does not come back: the second host puts the committed
    filing and its log record in place, so the book and the archive agree without it."""
    url, shared = postgres.database(), tmp_path / "arsip-bersama"
    stopped, running = _host(tmp_path, "mati", shared, url), _host(tmp_path, "hidup", shared, url)
    assert subprocess.run(_pipeline(running, "run"), capture_output=True, timeout=120).returncode == 0
    yaml_memo(stopped.inbox / "nota.yaml")
    killed = subprocess.run(
        [sys.executable, str(FAULTS), "after_commit_postgres", "1", "--", "--config", str(stopped.path), "run"],
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL
    assert list((shared / ".staging" / "mati").iterdir())  # committed, not yet in the archive
    result = subprocess.run(_pipeline(running, "run"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    [entry] = agenda(running.path)
    assert all((running.root / path).is_file() for path in entry["berkas"].values())
    verified = subprocess.run(_pipeline(running, "verify"), capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_row_changed_in_the_database_directly_is_found(tmp_path, postgres):
    """The log in the archive guards the PostgreSQL register as it guards SQLite's: a row
    edited with psql, outside the pipeline, is reported by verify."""
    import psycopg

    url = postgres.database()
    config = make_workspace(tmp_path / "ws", {"register": {"url": url}})
    yaml_memo(config.inbox / "nota.yaml")
    assert invoke(config.path, "run").exit_code == 0
    assert invoke(config.path, "verify").exit_code == 0
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("UPDATE agenda SET hal = 'Diubah langsung' WHERE nomor_urut = 1")
    result = invoke(config.path, "verify", "--json")
    problems = [json.loads(line) for line in result.output.splitlines()]
    assert result.exit_code == 1 and [p["jenis"] for p in problems] == ["register_diubah"]
    assert "Register tabel agenda berbeda dari catatannya di arsip" in problems[0]["pesan"]
    assert "***" not in problems[0]["lokasi"] and problems[0]["lokasi"].startswith("postgresql://")


def test_register_url_goes_into_config_yaml_with_its_comments(tmp_path):
    """The configuration is written by its own module, not by the register: ``register.url``
    replaced or added where the block is, the block added where there is none."""
    from pipeline.config.edit import with_register_url

    url = "postgresql://spse@db:5432/spse"
    block = "# kantor\nregister:  # buku\n  host: a\n  url:\narchive: arsip\n"
    assert with_register_url(block, url) == f"# kantor\nregister:  # buku\n  host: a\n  url: {url}\narchive: arsip\n"
    assert with_register_url("register:\n  host: a\n", url) == f"register:\n  url: {url}\n  host: a\n"
    assert with_register_url("archive: arsip\n", url).endswith(f"\nregister:\n  url: {url}\n")
