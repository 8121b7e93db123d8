"""The register through its intents: numbering, entries, cases, steps, kept inputs."""

import threading

import pytest

from pipeline.errors import RegisterError
from pipeline.register import (
    MIGRATIONS,
    AgendaEntry,
    Case,
    Document,
    JournalEntry,
    KeptInput,
    SQLiteRegister,
    StepRecord,
)


@pytest.fixture(params=["sqlite", "postgresql"])
def register(request, tmp_path):
    """The register on each backend: the intents are the same SQL on both."""
    if request.param == "sqlite":
        with SQLiteRegister(tmp_path / "register.sqlite3") as reg:
            yield reg
        return
    from pipeline.register.postgres import PostgresRegister

    with PostgresRegister(request.getfixturevalue("postgres").database()) as reg:
        yield reg


def entry(nomor, tahun=2026, buku="masuk", **extra):
    return AgendaEntry(
        buku=buku,
        tahun=tahun,
        nomor_urut=nomor,
        nomor_agenda=f"{buku}{nomor}/{tahun}",
        nomor_surat=f"x/{nomor}",
        tanggal_surat="2026-01-01",
        hal="h",
        **extra,
    )


def add(register, tahun, buku="masuk", **extra):
    nomor = register.allocate_number(buku, tahun)
    register.add_agenda_entry(entry(nomor, tahun, buku, **extra))
    return nomor


def test_schema_is_migrated_to_latest(register):
    assert register.version == len(MIGRATIONS)


def test_reopening_does_not_migrate_twice(tmp_path):
    SQLiteRegister(tmp_path / "r.sqlite3").close()
    with SQLiteRegister(tmp_path / "r.sqlite3") as again:
        assert again.version == len(MIGRATIONS)


def test_numbers_per_book_and_year_gapless(register):
    assert register.peek_number("masuk", 2026) == 1
    with register.transaction():
        assert [add(register, 2026) for _ in range(3)] == [1, 2, 3]
        assert add(register, 2027) == 1
        assert add(register, 2026, "keluar") == 1
    assert register.peek_number("masuk", 2026) == 4
    assert register.peek_number("keluar", 2027) == 1


def test_rolled_back_number_is_given_again(register):
    with pytest.raises(RuntimeError), register.transaction():
        add(register, 2026)
        raise RuntimeError("render gagal")
    with register.transaction():
        assert add(register, 2026) == 1


def test_a_number_cannot_be_written_twice(register):
    with register.transaction():
        add(register, 2026)
    with pytest.raises(RegisterError, match="data ganda"), register.transaction():
        register.add_agenda_entry(entry(1))


def test_rollback_leaves_nothing_behind(register):
    with pytest.raises(RegisterError), register.transaction():
        add(register, 2026)
        register.add_agenda_entry(entry(1))
    assert list(register.agenda()) == []
    assert register.peek_number("masuk", 2026) == 1


def test_writes_belong_in_a_transaction(register):
    with pytest.raises(RuntimeError, match="register.transaction"):
        register.allocate_number("masuk", 2026)
    with pytest.raises(RuntimeError):
        register.add_journal(JournalEntry("a", "00", 1, "2026-01-01T00:00:00", "ditolak"))


def test_entries_come_back_as_records(register):
    with register.transaction():
        add(register, 2026, kasus="2026-0001", berkas={"a.docx": "archive/a.docx"}, sha256={"a.docx": "00"})
    [found] = register.agenda("masuk")
    assert isinstance(found, AgendaEntry) and found.berkas == {"a.docx": "archive/a.docx"}
    assert register.incoming("2026-0001") == found
    assert register.memo_known("x/1", "") == found
    assert register.folder_known("") and not register.folder_known("archive/lain")


def test_steps_are_kept_by_key(register):
    case = Case("2026-0001", "x/1", "Unit", "2026-01-01T08:00:00")
    with register.transaction():
        register.open_case(
            case,
            [
                StepRecord(case.id, "a", "selesai", "t0", "t0", "pipeline", ("d",)),
                StepRecord(case.id, "b", "berjalan", "t0"),
            ],
        )
    with register.transaction():
        register.complete_step(case.id, "b", "t1", "Kabid", ["e"], "catatan", ["temuan"], 7)
        register.start_step(case.id, "c", "t1")
    steps = register.steps(case.id)
    assert steps["b"] == StepRecord(case.id, "b", "selesai", "t0", "t1", "Kabid", ("e",), "catatan", ("temuan",), 7)
    assert steps["c"].status == "berjalan"
    with register.transaction():
        register.reset_steps(case.id, ["b", "c"])
    assert {k: s.status for k, s in register.steps(case.id).items()} == {
        "a": "selesai",
        "b": "menunggu",
        "c": "menunggu",
    }
    assert [c.id for c in register.open_cases()] == [case.id]
    assert register.find_cases("x/1") == [case] and register.find_cases(case.id) == [case]


def test_kept_inputs_wait_until_applied(register):
    with register.transaction():
        register.add_journal(JournalEntry("r.yaml", "ab", 3, "t0", "menunggu", "registrasi", "", (), "x", "k1"))
        ident = register.keep_input(
            KeptInput(0, "registrasi", "input_data", "x/1", "", "t0", {"ppk": []}, "archive/x", klaim="k1")
        )
    assert register.unlinked_inputs("x/1", "2026-0001") == 1
    with register.transaction():
        register.link_early_inputs("2026-0001", "x/1")
    [kept] = register.pending_inputs("2026-0001", "registrasi")
    assert kept.id == ident and kept.data == {"ppk": []}
    with register.transaction():
        register.apply_input(kept, "t1", data={"ppk": [1]})
    assert register.pending_inputs("2026-0001") == []
    assert register.registration("2026-0001").data == {"ppk": [1]}
    [journal] = register.journal_of_claim("k1")
    assert (journal.hasil, journal.kasus) == ("diterima", "2026-0001")
    assert register.accepted_file("ab") == journal


def test_document_versions(register):
    assert register.next_version("2026-0001", "daftar_verifikasi") == 1
    with register.transaction():
        register.add_document(Document("2026-0001", 6, "daftar_verifikasi", 1, "t", "archive/d1"))
    assert register.next_version("2026-0001", "daftar_verifikasi") == 2
    assert register.documents("2026-0001")[0].folder == "archive/d1"


@pytest.mark.parametrize("backend, attempts", [("sqlite", 15), ("postgresql", 4)])
def test_two_processes_opening_a_new_register_at_once(request, tmp_path, backend, attempts):
    """A ``status`` beside the first ``run`` (or hosts starting together on a new database) must
    not migrate the schema twice; on PostgreSQL the ones that waited must see the schema the
    first built, not the catalog their session cached before."""
    for attempt in range(attempts):
        if backend == "sqlite":
            path = tmp_path / f"r{attempt}.sqlite3"
            opened = lambda: SQLiteRegister(path)
        else:
            from pipeline.register.postgres import PostgresRegister

            url = request.getfixturevalue("postgres").database()
            opened = lambda: PostgresRegister(url)
        errors, start = [], threading.Barrier(3)

        def open_it():
            start.wait()
            try:
                opened().close()
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with opened() as register:
            assert register.version == len(MIGRATIONS)


def test_a_transaction_is_sealed_at_the_time_of_the_clock_it_was_given(tmp_path):
    """The register reads no clock of its own: the chain and the log carry the caller's time, in UTC."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from pipeline.clock import Clock
    from pipeline.register import RegisterLog

    clock = Clock(ZoneInfo("Asia/Jakarta"), lambda: dt.datetime(2026, 3, 4, 12, 0, 0))
    with SQLiteRegister(tmp_path / "register.sqlite3", log=RegisterLog(tmp_path), clock=clock) as register:
        with register.transaction():
            register.allocate_number("masuk", 2026)
        assert register.chain_newest_time() == "2026-03-04T05:00:00+00:00"
    [record] = RegisterLog(tmp_path).records()
    assert record[1]["waktu"] == "2026-03-04T05:00:00+00:00"
