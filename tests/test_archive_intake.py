import pytest

from pipeline.filing import archive
from pipeline.inbox import intake


@pytest.mark.parametrize(
    "text, expected",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("Permohonan Akun SPSE/PPK", "permohonan-akun-spse-ppk"),
        ("", "tanpa-judul"),
        ("....", "tanpa-judul"),
    ],
)
def test_slug_has_no_separators(text, expected):
    assert archive.slug(text) == expected


def test_slug_is_bounded():
    assert len(archive.slug("kata " * 100)) <= 48


@pytest.mark.parametrize(
    "name",
    [
        "~$nota.docx",
        ".~lock.nota.docx#",
        "a.TMP",
        "b.part",
        "c.filepart",
        "d.crdownload",
        "thumbs.db",
        "Desktop.ini",
        ".DS_Store",
        "._nota.docx",
    ],
)
def test_ignored_names(name):
    assert intake.ignored(name)


@pytest.mark.parametrize("name", ["nota.docx", "surat~1.docx", "registrasi.csv", "lock.yaml"])
def test_inputs_not_ignored(name):
    assert not intake.ignored(name)
