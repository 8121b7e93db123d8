"""Classification codes of Permendagri 83/2022 Lampiran A: the data file, numbers made with them,
the code and title in register --json, and a workspace that keeps the revoked ``027`` format."""

import csv
import io
import re
from importlib import resources

import pytest
from support.builders import HEADER, MEMO_NOMOR, docx_text, tab_memo
from support.cases import to_authentication
from support.cli import invoke, jsonl
from support.workspace import make_workspace, merge_config

from pipeline import config as config_module
from pipeline.errors import ConfigError
from pipeline.filing import klasifikasi

OLD_FORMAT = "027/{nomor}/Pusdatinkomtel/{tahun}"
NEW_FORMAT = "{kode}/{nomor}/Pusdatinkomtel/{tahun}"


def rows():
    text = (resources.files("pipeline") / "data" / "klasifikasi_kemendagri.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_data_file_follows_the_structure_of_the_regulation():
    data = rows()
    codes = [row["kode"] for row in data]
    assert len(codes) == len(set(codes)) and 900 <= len(codes) <= 1100
    by_code = {row["kode"]: row for row in data}
    for row in data:
        assert re.fullmatch(r"\d{3}(\.\d+)*", row["kode"]), row
        assert int(row["tingkat"]) == row["kode"].count(".") + 1, row
        assert row["induk"] == (row["kode"].rsplit(".", 1)[0] if "." in row["kode"] else ""), row
        assert not row["induk"] or row["induk"] in by_code, row
        assert row["judul"] and row["judul"] == " ".join(row["judul"].split()), row
        assert "ntara lain" not in row["judul"], row
    assert [c for c in codes if "." not in c] == [f"{n}00" for n in range(10)]
    assert by_code["000.4.5"] == {
        "kode": "000.4.5",
        "judul": "Pengolahan Sistem Informasi Pengadaan",
        "tingkat": "3",
        "induk": "000.4",
        "antara_lain": "Data base pengguna sistem informasi pengadaan barang/jasa, Data Base kontrak, "
        "Data Base Pengadaan Barang/jasa",
    }
    assert by_code["000.4"]["judul"] == "PENGADAAN"
    # wrapped titles are joined, whole
    assert by_code["000.2.2.1"]["judul"] == "Perjalanan Dinas Presiden dan Wakil Presiden"
    assert by_code["600.4"]["judul"].endswith("PENYELENGGARAAN URUSAN PEMERINTAHAN")
    assert by_code["000.6.3.5"]["judul"] == "Autentikasi Arsip Dinamis"


def test_an_incoming_number_keeps_its_code_whole():
    assert klasifikasi.of_number("000.4.5/606/ADPIM/2026") == {
        "kode": "000.4.5",
        "judul": "Pengolahan Sistem Informasi Pengadaan",
    }
    assert klasifikasi.of_number("027/301/ULP-BPSDM/XI/2026") == {"kode": "027", "judul": ""}
    assert klasifikasi.of_number("ND-17/H.4/2026") == {"kode": "", "judul": ""}
    assert klasifikasi.note("000.4.5/606/ADPIM/2026") == "Klasifikasi 000.4.5: Pengolahan Sistem Informasi Pengadaan."


def test_a_new_workspace_numbers_by_the_code_of_its_document(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    assert ws.numbering["surat_keluar"] == "{kode}/{nomor}/Pusdatinkomtel/{tahun}"
    cli = lambda *a: invoke(ws, *a)
    to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert letter["nomor_surat"] == "000.4.5/1/Pusdatinkomtel/2026"
    assert letter["klasifikasi"] == {"kode": "000.4.5", "judul": "Pengolahan Sistem Informasi Pengadaan"}
    [memo] = jsonl(cli("register", "--json", "--buku", "masuk"))
    assert "klasifikasi" not in memo


@pytest.mark.parametrize(
    "value, nearest",
    [
        ("000.4.55", "000.4.5 \u201cPengolahan Sistem Informasi Pengadaan\u201d"),
        ("Sistem Informasi Pengadaan", "000.4.5 \u201cPengolahan Sistem Informasi Pengadaan\u201d"),
    ],
)
def test_an_unknown_code_is_refused_at_load_naming_the_nearest(tmp_path, value, nearest):
    with pytest.raises(ConfigError) as refused:
        make_workspace(tmp_path / "ws", {"klasifikasi": {"nota_dinas": value}})
    assert str(refused.value) == (
        f"Konfigurasi klasifikasi.nota_dinas \u201c{value}\u201d bukan kode klasifikasi dalam Lampiran A "
        f"Permendagri 83/2022. Yang terdekat: {nearest}. Perbaiki kodenya di config.yaml."
    )


def test_the_command_line_says_why_an_unknown_code_is_refused(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    merge_config(ws.path, {"klasifikasi": {"nota_dinas": "027"}})
    result = invoke(ws, "status")
    assert result.exit_code != 0
    assert (
        "Konfigurasi klasifikasi.nota_dinas \u201c027\u201d bukan kode klasifikasi dalam Lampiran A "
        "Permendagri 83/2022."
    ) in " ".join(result.output.split())


def test_kode_is_only_for_the_outgoing_number(tmp_path):
    with pytest.raises(ConfigError, match=r"numbering\.agenda_masuk .* hanya boleh memakai \{nomor\} dan \{tahun\}"):
        make_workspace(tmp_path / "ws", {"numbering": {"agenda_masuk": "{kode}/{nomor}/SM/{tahun}"}})


def test_a_workspace_with_the_old_format_keeps_it_and_its_numbering(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"numbering": {"surat_keluar": OLD_FORMAT}})
    cli = lambda *a: invoke(ws, *a)
    to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [old] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert old["nomor_surat"] == "027/1/Pusdatinkomtel/2026"
    assert old["klasifikasi"] == {"kode": "027", "judul": ""}  # not a code of the current list
    # the office moves to the regulation's format: the book's sequence goes on, nothing is renumbered
    assert cli("batal", old["nomor_surat"], "--alasan", "Kode klasifikasi diganti").exit_code == 0
    merge_config(ws.path, {"numbering": {"surat_keluar": NEW_FORMAT}})
    assert cli("act", MEMO_NOMOR, "setujui").exit_code == 0
    first, second = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert (first["nomor_surat"], first["batal"]) == ("027/1/Pusdatinkomtel/2026", True)
    assert (second["nomor_surat"], second["nomor_urut"]) == ("000.4.5/2/Pusdatinkomtel/2026", 2)


def test_a_loaded_config_keeps_the_code_of_each_document(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    assert config_module.load(ws.path).klasifikasi == {"nota_dinas": "000.4.5"}


PERHATIAN = "PERHATIAN: Dilarang memisahkan sehelai surat pun yang tergabung dalam berkas ini"


def test_the_lembar_disposisi_carries_the_warning_and_the_incoming_code(config, cli):
    tab_memo(config.inbox / "nota.docx", {**HEADER, "Nomor": "000.4.5/606/ADPIM/2026"})
    assert cli("run").exit_code == 0
    [sheet] = sorted(config.outbox.glob("*/*_lembar-disposisi*.docx"))
    text = docx_text(sheet)
    assert PERHATIAN in text
    assert "Nomor surat\t:\t000.4.5/606/ADPIM/2026" in text
    assert "Klasifikasi\t:\t000.4.5 Pengolahan Sistem Informasi Pengadaan" in text
    [memo] = jsonl(cli("register", "--json", "--buku", "masuk"))
    assert memo["nomor_surat"] == "000.4.5/606/ADPIM/2026"
    assert cli("register", "--buku", "masuk", "--csv", str(config.root.parent / "masuk.csv")).exit_code == 0
    book = (config.root.parent / "masuk.csv").read_text(encoding="utf-8-sig")
    assert "Klasifikasi 000.4.5: Pengolahan Sistem Informasi Pengadaan. Kasus 2026-0001." in book


def test_a_lembar_disposisi_of_a_number_without_a_code_says_so(config, cli):
    tab_memo(config.inbox / "nota.docx", {**HEADER, "Nomor": "ND-17/H.4/2026"})
    assert cli("run").exit_code == 0
    [sheet] = sorted(config.outbox.glob("*/*_lembar-disposisi*.docx"))
    text = docx_text(sheet)
    assert PERHATIAN in text and "Klasifikasi\t:\t-" in text


def _tool():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "tools" / "make_klasifikasi.py"
    spec = importlib.util.spec_from_file_location("make_klasifikasi", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LAYOUT = """\
A.    KODE KLASIFIKASI ARSIP DI LINGKUNGAN KEMENTERIAN DALAM
      NEGERI

000   UMUM
      000.4   PENGADAAN
              000.4.5 Pengolahan Sistem Informasi Pengadaan Antara lain:
                      Data base pengguna sistem informasi pengadaan
                               8

                      barang/jasa
              000.4.6 Autentikasi Arsip DinamisAntara lain: Pengujian
              000.4.7 Pelaksanaan kebijakan,
                      umum,
B.    KODE KLASIFIKASI ARSIP DI LINGKUNGAN PEMERINTAH DAERAH
000   UMUM
"""


def test_the_tool_joins_wrapped_titles_skips_page_numbers_and_splits_examples():
    rows = _tool().rows(LAYOUT)
    assert [(r["kode"], r["judul"], r["tingkat"], r["induk"], r["antara_lain"]) for r in rows] == [
        ("000", "UMUM", 1, "", ""),
        ("000.4", "PENGADAAN", 2, "000", ""),
        (
            "000.4.5",
            "Pengolahan Sistem Informasi Pengadaan",
            3,
            "000.4",
            "Data base pengguna sistem informasi pengadaan barang/jasa",
        ),
        ("000.4.6", "Autentikasi Arsip Dinamis", 3, "000.4", "Pengujian"),
        ("000.4.7", "Pelaksanaan kebijakan, umum", 3, "000.4", ""),
    ]


def test_the_tool_stops_on_a_duplicate_code_rather_than_guess():
    with pytest.raises(SystemExit, match="duplicate code 000.4"):
        _tool().rows(LAYOUT.replace("000.4.5 Pengolahan", "000.4   Pengolahan"))
