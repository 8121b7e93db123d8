import pytest

from pipeline import archive, intake
from pipeline.errors import ArchiveError


@pytest.mark.parametrize("text, expected", [
    ("../../etc/passwd", "etc-passwd"),
    ("Permohonan Akun SPSE/PPK", "permohonan-akun-spse-ppk"),
    ("", "tanpa-judul"),
    ("....", "tanpa-judul"),
])
def test_slug_has_no_separators(text, expected):
    assert archive.slug(text) == expected


def test_slug_is_bounded():
    assert len(archive.slug("kata " * 100)) <= 48


def test_folder_appears_whole_and_read_only(tmp_path):
    source = tmp_path / "asli.bin"
    source.write_bytes(b"isi")
    folder, digests = archive.build_folder(
        tmp_path / "arsip", "0001_x", {"asli.bin": source},
        {"catatan.txt": lambda p: p.write_text("ok")}, {"kasus": "2026-0001"})
    assert sorted(p.name for p in folder.iterdir()) == ["asli.bin", "catatan.txt", "metadata.json"]
    assert all(not p.stat().st_mode & 0o222 for p in folder.iterdir())
    assert digests["asli.bin"] == archive.sha256_file(source)
    assert archive.temp_folders(tmp_path) == []


def test_existing_folder_is_never_overwritten(tmp_path):
    (tmp_path / "arsip" / "0001_x").mkdir(parents=True)
    with pytest.raises(ArchiveError, match="sudah ada"):
        archive.build_folder(tmp_path / "arsip", "0001_x", {}, {}, {})
    assert archive.temp_folders(tmp_path) == []


def test_failed_writer_leaves_nothing(tmp_path):
    def broken(path):
        raise OSError(28, "No space left on device")

    with pytest.raises(ArchiveError, match="No space left on device"):
        archive.build_folder(tmp_path / "arsip", "0001_x", {}, {"a": broken}, {})
    assert list((tmp_path / "arsip").iterdir()) == []


@pytest.mark.parametrize("name", ["~$nota.docx", ".~lock.nota.docx#", "a.TMP", "b.part",
                                  "c.filepart", "d.crdownload", "thumbs.db", "Desktop.ini",
                                  ".DS_Store", "._nota.docx"])
def test_ignored_names(name):
    assert intake.ignored(name)


@pytest.mark.parametrize("name", ["nota.docx", "surat~1.docx", "registrasi.csv", "lock.yaml"])
def test_inputs_not_ignored(name):
    assert not intake.ignored(name)
