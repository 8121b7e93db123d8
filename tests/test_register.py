import pytest

from pipeline.errors import RegisterError
from pipeline.register import MIGRATIONS, Register


@pytest.fixture
def register(tmp_path):
    with Register(tmp_path / "register.sqlite3") as reg:
        yield reg


def add(register, tahun, **extra):
    nomor = register.next_number("masuk", tahun)
    register.insert("agenda", buku="masuk", tahun=tahun, nomor_urut=nomor,
                    nomor_agenda=f"{nomor}/{tahun}", nomor_surat="x", tanggal_surat="2026-01-01",
                    hal="h", **extra)
    return nomor


def test_schema_is_migrated_to_latest(register):
    assert register.version == len(MIGRATIONS)
    names = {r["name"] for r in register.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"journal", "cases", "agenda", "steps", "events"} <= names


def test_reopening_does_not_migrate_twice(tmp_path):
    Register(tmp_path / "r.sqlite3").close()
    with Register(tmp_path / "r.sqlite3") as again:
        assert again.version == len(MIGRATIONS)


def test_numbers_per_year_gapless(register):
    with register.transaction():
        assert [add(register, 2026) for _ in range(3)] == [1, 2, 3]
        assert add(register, 2027) == 1
    assert register.next_number("keluar", 2026) == 1


def test_rolled_back_number_is_given_again(register):
    with pytest.raises(RuntimeError), register.transaction():
        add(register, 2026)
        raise RuntimeError("render gagal")
    with register.transaction():
        assert add(register, 2026) == 1


def test_a_number_cannot_be_written_twice(register):
    with register.transaction():
        add(register, 2026)
    with pytest.raises(RegisterError, match="UNIQUE constraint failed"), register.transaction():
        register.insert("agenda", buku="masuk", tahun=2026, nomor_urut=1, nomor_agenda="lain",
                        nomor_surat="y", tanggal_surat="2026-01-01", hal="h")


def test_rollback_leaves_nothing_behind(register):
    with pytest.raises(RegisterError), register.transaction():
        add(register, 2026)
        register.insert("agenda", buku="masuk", tahun=2026, nomor_urut=1, nomor_agenda="x",
                        nomor_surat="y", tanggal_surat="2026-01-01", hal="h")
    assert register.agenda() == []


def test_json_columns_round_trip(register):
    with register.transaction():
        add(register, 2026, berkas={"a.docx": "archive/a.docx"}, sha256={"a.docx": "00"})
    [row] = register.agenda("masuk")
    assert row["berkas"] == {"a.docx": "archive/a.docx"}


def test_two_processes_opening_a_new_register_at_once(tmp_path):
    """A ``status`` beside the first ``run`` must not migrate the schema twice."""
    import threading
    for attempt in range(15):
        path = tmp_path / f"r{attempt}.sqlite3"
        errors, start = [], threading.Barrier(3)

        def open_it():
            start.wait()
            try:
                Register(path).close()
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        with Register(path) as register:
            assert register.version == len(MIGRATIONS)
