"""What an input costs to read is bounded: XML elements and depth, rows times columns, time.

The hostile files are built here, inside every byte and zip limit; each is refused with a
reason through ``pipeline run`` while a good memo dropped beside it is still numbered.
"""

import subprocess
import sys
import zipfile

from click.testing import CliRunner
from support.builders import HEADER, tab_memo
from support.cli import invoke, journal_by_file
from support.workspace import make_workspace, rejected_reason

from pipeline.cli import main

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TABLE = (
    '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="9000"/></w:tblGrid>'
    + '<w:tr><w:tc><w:tcPr><w:tcW w:w="9000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>isi sel tabel</w:t></w:r>'
    "</w:p></w:tc></w:tr>" * 8 + "</w:tbl>"
)


def many_tables(path, tables=180_000):
    """A memo whose body also holds ``tables`` small tables: about 1 MB zipped, 195 MB of XML."""
    source = tab_memo(path.with_name("asli-" + path.name))
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in original.infolist():
            data = original.read(info)
            if info.filename != "word/document.xml":
                bomb.writestr(info, data)
                continue
            head, tail = data.decode("utf-8").rsplit("<w:sectPr", 1)
            with bomb.open("word/document.xml", "w") as stream:
                stream.write(head.encode())
                for _ in range(tables // 1000):
                    stream.write((TABLE * 1000).encode())
                stream.write(("<w:sectPr" + tail).encode())
    source.unlink()
    return path


def nested_tables(path, depth=40):
    """A memo body of tables nested ``depth`` deep (each a few elements more)."""
    open_ = "<w:tbl><w:tr><w:tc>" * depth
    close = "<w:p/></w:tc></w:tr></w:tbl>" * depth
    document = f"<w:document {W}><w:body><w:p/>{open_}{close}</w:body></w:document>"
    source = tab_memo(path.with_name("asli-" + path.name))
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info, document if info.filename == "word/document.xml" else original.read(info))
    source.unlink()
    return path


def test_a_docx_of_180000_tables_is_refused_and_the_memo_beside_it_numbered(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    bomb = many_tables(ws.inbox / "tabel.docx")
    assert bomb.stat().st_size < 2 * 1024 * 1024
    with zipfile.ZipFile(bomb) as archive:
        assert 190_000_000 < archive.getinfo("word/document.xml").file_size < 200 * 1024 * 1024
    tab_memo(ws.inbox / "baik.docx", {**HEADER, "Nomor": "010/ULP-LAIN/2026"})
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 ditolak, 1 diterima" in result.output, result.output
    assert journal_by_file(ws)["baik.docx"]["hasil"] == "diterima"
    assert (
        "Dokumen Word berisi lebih dari 1.000.000 elemen XML (limits.max_xml_elements), terlalu mahal "
        "untuk dibaca. Berkas ini tidak diproses; minta pengirim membuang isi yang tidak diperlukan "
        "(misalnya tabel kosong yang berulang) lalu mengirim ulang."
    ) in rejected_reason(ws, "tabel.docx")


def test_reading_the_big_docx_keeps_memory_bounded(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    bomb = many_tables(tmp_path / "tabel.docx")
    script = (
        "import resource, sys\n"
        "from pipeline import config, readers\n"
        "from pipeline.errors import InputRefused\n"
        "limits = config.load(sys.argv[1]).limits\n"
        "try:\n"
        "    readers.read(__import__('pathlib').Path(sys.argv[2]), limits)\n"
        "except InputRefused as exc:\n"
        "    print('ditolak:', exc)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(ws.path), str(bomb)], capture_output=True, text=True, check=True
    )
    refused, peak = done.stdout.splitlines()
    assert refused.startswith("ditolak: Dokumen Word berisi lebih dari 1.000.000 elemen XML")
    assert int(peak) < 500 * 1024  # KiB


def test_tables_nested_past_the_depth_limit_are_refused(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    nested_tables(ws.inbox / "bersarang.docx")
    tab_memo(ws.inbox / "baik.docx", {**HEADER, "Nomor": "010/ULP-LAIN/2026"})
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 ditolak, 1 diterima" in result.output, result.output
    assert (
        "Dokumen Word memuat elemen XML yang bersarang lebih dari 100 tingkat (limits.max_xml_depth)"
        in rejected_reason(ws, "bersarang.docx")
    )


def test_an_input_past_its_reading_time_is_refused_naming_the_limit(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"limits": {"max_read_seconds": 0}})
    tab_memo(ws.inbox / "nota.docx")
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 ditolak" in result.output, result.output
    assert (
        "Pembacaan berkas melebihi batas waktu 0 detik (limits.max_read_seconds), sehingga dihentikan."
        in rejected_reason(ws, "nota.docx")
    )


# -- registration workbooks: cost, and data Excel does not show --------------------------------


def filled_workbook(ws, tmp_path):
    """The blank workbook ``pipeline formulir`` hands out, filled in as a ULP would (2 packages)."""
    from openpyxl import load_workbook
    from support.builders import fill

    result = CliRunner().invoke(
        main, ["--config", str(ws.path), "formulir", str(tmp_path / "ulp")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return fill(load_workbook(tmp_path / "ulp" / "formulir-registrasi-spse.xlsx"))


def extra_packages(sheet, first_row):
    for row, name in enumerate(("Paket Siluman A", "Paket Siluman B"), start=first_row):
        for column, value in enumerate((name, 8800000000, "APBN", "tender", "197106051998031004"), start=1):
            sheet.cell(row, column, value)


def refused_beside_a_memo(ws, workbook, name="registrasi.xlsx"):
    """Drop a memo and the workbook; run; the memo is numbered, the workbook refused: its reason."""
    tab_memo(ws.inbox / "nota.docx")
    workbook.save(ws.inbox / name)
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima, 1 ditolak" in result.output, result.output
    assert journal_by_file(ws)["nota.docx"]["hasil"] == "diterima"
    return rejected_reason(ws, name)


def test_an_empty_cell_at_column_xfd_on_every_row_of_a_hidden_sheet_is_refused(config, tmp_path):
    workbook = filled_workbook(config, tmp_path)
    hidden = workbook["daftar"]
    for row in range(1, 201):
        hidden.cell(row, 16384).number_format = "@"  # stored as <c r="XFDn" s="..."/>, no value
    text = refused_beside_a_memo(config, workbook)
    assert (
        "Lembar \u201cdaftar\u201d menyimpan sel sampai baris 123 dan kolom 16384, melebihi batas 2.000.000 sel "
        "(limits.max_sheet_cells); biasanya karena ada sel kosong berformat jauh di kanan atau di bawah data. "
        "Hapus baris dan kolom kosong di luar data"
    ) in text


def test_a_very_hidden_sheet_of_packages_is_refused_naming_it(config, tmp_path):
    workbook = filled_workbook(config, tmp_path)
    sheet = workbook.create_sheet("data")
    sheet.append(["jenis", "nama_paket", "pagu", "sumber_dana", "metode", "ppk_nip"])
    for name in ("Paket Siluman A", "Paket Siluman B"):
        sheet.append(["paket", name, 8800000000, "APBN", "tender", "197106051998031004"])
    sheet.sheet_state = "veryHidden"
    text = refused_beside_a_memo(config, workbook)
    assert (
        "Lembar \u201cdata\u201d disembunyikan sepenuhnya (veryHidden: tidak dapat ditampilkan dari menu Excel) "
        "tetapi berisi data registrasi. Data yang tidak tampak di Excel tidak dibaca"
    ) in text


def test_hidden_rows_holding_packages_are_refused_naming_them(config, tmp_path):
    workbook = filled_workbook(config, tmp_path)
    extra_packages(workbook["paket"], 4)
    for row in (4, 5):
        workbook["paket"].row_dimensions[row].hidden = True
    text = refused_beside_a_memo(config, workbook)
    assert (
        "Baris 4, 5 lembar \u201cpaket\u201d disembunyikan (atau tersaring) tetapi berisi data. Data yang tidak "
        "tampak di Excel tidak dibaca: tampilkan semua baris"
    ) in text


def test_a_hidden_column_holding_data_is_refused_naming_it(config, tmp_path):
    workbook = filled_workbook(config, tmp_path)
    workbook["paket"].column_dimensions["B"].hidden = True
    text = refused_beside_a_memo(config, workbook)
    assert "Kolom B lembar \u201cpaket\u201d disembunyikan tetapi berisi data." in text


def test_two_sheets_holding_packages_are_refused_not_merged(config, tmp_path):
    workbook = filled_workbook(config, tmp_path)
    extra_packages(workbook.create_sheet(" PAKET"), 2)
    for column, name in enumerate(("nama_paket", "pagu", "sumber_dana", "metode", "ppk_nip"), start=1):
        workbook[" PAKET"].cell(1, column, name)
    text = refused_beside_a_memo(config, workbook)
    assert (
        "Lembar \u201cpaket\u201d dan \u201c PAKET\u201d sama-sama berisi data paket. Data satu bagian hanya boleh "
        "ada di satu lembar"
    ) in text


def test_a_part_openpyxl_loads_whole_is_measured_before_it_is_loaded(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"limits": {"max_xml_elements": 20000}})
    filled_workbook(ws, tmp_path).save(tmp_path / "asli.xlsx")
    extra = b'<extLst><ext uri="{00000000-0000-0000-0000-000000000000}">' + b"<x/>" * 30_000 + b"</ext></extLst>"
    with (
        zipfile.ZipFile(tmp_path / "asli.xlsx") as original,
        zipfile.ZipFile(ws.inbox / "registrasi.xlsx", "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in original.infolist():
            data = original.read(info)
            out.writestr(
                info,
                data.replace(b"</styleSheet>", extra + b"</styleSheet>") if info.filename == "xl/styles.xml" else data,
            )
    tab_memo(ws.inbox / "nota.docx")
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima, 1 ditolak" in result.output, result.output
    assert "Daftar gaya buku kerja berisi lebih dari 20.000 elemen XML (limits.max_xml_elements)" in rejected_reason(
        ws, "registrasi.xlsx"
    )
