"""The filing service: prepare in staging, commit numbers and records, publish."""

import datetime as dt
import json

import pytest

from pipeline.clock import Clock
from pipeline.errors import ArchiveError
from pipeline.filing import filer as filing
from pipeline.filing.filer import Filing
from pipeline.register import AgendaEntry, open_register


@pytest.fixture
def register(config):
    with open_register(config) as reg:
        yield reg


@pytest.fixture
def filer(config, register):
    return filing.Filer(config, register, Clock(config.timezone))


def entry(nomor, folder):
    return AgendaEntry(
        buku="masuk",
        tahun=2026,
        nomor_urut=nomor,
        nomor_surat=f"x/{nomor}",
        tanggal_surat="2026-01-01",
        hal="h",
        nomor_agenda=str(nomor),
        folder=folder.rel,
        berkas=folder.berkas,
        sha256=folder.digests,
    )


def test_prepared_folder_is_whole_read_only_and_outside_the_archive_tree(config, tmp_path, filer):
    source = tmp_path / "asli.bin"
    source.write_bytes(b"isi")
    final = config.archive / "2026" / "surat-masuk" / "0001_x"
    prepared = filer.prepare(
        Filing(
            final,
            {"asli.bin": source},
            {"catatan.txt": lambda p: p.write_text("ok")},
            {"kasus": "2026-0001"},
            {"catatan.txt": config.outbox / "2026-0001" / "c.txt"},
        )
    )
    assert prepared.temp.parent == config.staging_dir and not final.exists()
    assert sorted(p.name for p in prepared.temp.iterdir()) == ["asli.bin", "catatan.txt", "metadata.json"]
    assert all(not p.stat().st_mode & 0o222 for p in prepared.temp.iterdir())
    meta = json.loads((prepared.temp / "metadata.json").read_text())
    assert meta["folder"] == "2026/surat-masuk/0001_x" and meta["outbox"] == {"catatan.txt": "2026-0001/c.txt"}
    assert prepared.berkas["asli.bin"] == "2026/surat-masuk/0001_x/asli.bin"
    filer.publish(prepared)
    assert (final / "asli.bin").read_bytes() == b"isi" and not prepared.temp.exists()
    assert (config.outbox / "2026-0001" / "c.txt").read_text() == "ok"


def test_existing_folder_is_never_overwritten(config, filer):
    final = config.archive / "2026" / "surat-masuk" / "0001_x"
    final.mkdir(parents=True)
    with pytest.raises(ArchiveError, match="sudah ada"):
        filer.prepare(Filing(final))
    assert not config.staging_dir.exists() or list(config.staging_dir.iterdir()) == []


def test_failed_writer_leaves_nothing(config, filer):
    def broken(path):
        raise OSError(28, "No space left on device")

    with pytest.raises(ArchiveError, match="disk penuh"):
        filer.prepare(Filing(config.archive / "x", writers={"a": broken}))
    assert list(config.staging_dir.iterdir()) == []


def test_file_commits_then_publishes(config, register, filer):
    def prepare(numbers):
        n = numbers[("masuk", 2026)]
        return [
            filer.prepare(
                Filing(
                    config.archive / "2026" / "surat-masuk" / f"{n:04d}_x",
                    writers={"a.txt": lambda p: p.write_text(str(n))},
                )
            )
        ]

    for _ in range(2):
        filer.file(
            prepare,
            lambda numbers, prepared: register.add_agenda_entry(entry(numbers[("masuk", 2026)], prepared[0])),
            numbers=[("masuk", 2026)],
        )
    assert [e.nomor_urut for e in register.agenda()] == [1, 2]
    assert (config.archive / "2026" / "surat-masuk" / "0002_x" / "a.txt").read_text() == "2"


def test_a_number_taken_meanwhile_renders_again_with_the_next(config, register, filer):
    """Another host may take the predicted number between rendering and committing."""
    rendered = []

    def prepare(numbers):
        n = numbers[("masuk", 2026)]
        rendered.append(n)
        if len(rendered) == 1:  # another host commits number 1 now
            with register.transaction():
                register.allocate_number("masuk", 2026)
        return [filer.prepare(Filing(config.archive / f"{n:04d}_x", writers={"a.txt": lambda p: p.write_text(str(n))}))]

    result = filer.file(prepare, lambda numbers, prepared: numbers[("masuk", 2026)], numbers=[("masuk", 2026)])
    assert rendered == [1, 2] and result == 2
    assert (config.archive / "0002_x" / "a.txt").read_text() == "2" and not (config.archive / "0001_x").exists()
    assert list(config.staging_dir.iterdir()) == []


def test_a_failed_commit_discards_the_staged_folder(config, register, filer):
    def record(numbers, prepared):
        raise RuntimeError("register penuh")

    with pytest.raises(RuntimeError):
        filer.file(lambda _n: [filer.prepare(Filing(config.archive / "x"))], record)
    assert list(config.staging_dir.iterdir()) == [] and not (config.archive / "x").exists()


def test_recover_publishes_committed_and_discards_the_rest(config, register, filer):
    committed = filer.prepare(
        Filing(
            config.archive / "2026" / "surat-masuk" / "0001_x",
            writers={"a.txt": lambda p: p.write_text("1")},
            outbox={"a.txt": config.outbox / "k" / "a.txt"},
        )
    )
    orphan = filer.prepare(Filing(config.archive / "2026" / "surat-masuk" / "0002_x"))
    with register.transaction():
        register.allocate_number("masuk", 2026)
        register.add_agenda_entry(entry(1, committed))
    filer.recover()
    assert (config.archive / "2026" / "surat-masuk" / "0001_x" / "a.txt").exists()
    assert (config.outbox / "k" / "a.txt").read_text() == "1"
    assert not orphan.temp.exists() and not (config.archive / "2026" / "surat-masuk" / "0002_x").exists()


def test_codes_are_recorded_at_the_office_clock_time(config, register):
    """The filer reads the time from the Clock it is given, in the office's zone, never the system's."""
    moment = dt.datetime(2026, 11, 25, 2, 30, tzinfo=dt.UTC)  # 09.30 in Jakarta
    filer = filing.Filer(config, register, Clock(config.timezone, lambda: moment))
    prepare = filing.Filing(
        config.archive / "2026" / "surat-masuk" / "0001_x",
        writers={"a.txt": lambda p: p.write_text("1")},
        codes={"a.txt": filing.Bound("ABCDE-12345", "2026-0001", "nota_dinas")},
    )
    filer.file(lambda _n: [filer.prepare(prepare)], lambda _n, prepared: prepared)
    [code] = register.codes(kasus="2026-0001")
    assert (code.kode, code.berkas, code.jenis) == ("ABCDE-12345", "a.txt", "nota_dinas")
    assert code.dibuat == moment.astimezone(config.timezone).isoformat(timespec="seconds")
