"""Registration data as an Excel workbook, both ways: the blank workbook ``pipeline formulir``
hands out, filled in and read back with the CSV's columns, limits and checks."""

import json

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook
from support.builders import MEMO_NOMOR, PANITIA, action, fill, registration, registration_yaml, tab_memo
from support.workspace import make_workspace

from pipeline import readers
from pipeline.cli import main
from pipeline.errors import InputRefused
from pipeline.readers.registration import normalise


def comparable(data):
    return {s: [{k: v for k, v in r.items() if k != "_baris"} for r in data[s]] for s in ("ppk", "panitia", "paket")}


@pytest.fixture
def blank(config, tmp_path):
    result = CliRunner().invoke(
        main, ["--config", str(config.path), "formulir", str(tmp_path / "untuk-ulp")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Formulir registrasi ditulis" in result.output
    return tmp_path / "untuk-ulp" / "formulir-registrasi-spse.xlsx"


@pytest.fixture
def expected(config, tmp_path):
    return normalise(readers.read(registration_yaml(tmp_path / "r.yaml"), config.limits).fields)


def read(ws, workbook, path):
    workbook.save(path)
    return readers.read(path, ws.limits)


def test_the_blank_workbook_guides_the_ulp(blank):
    workbook = load_workbook(blank)
    assert workbook.sheetnames[:5] == ["petunjuk", "umum", "ppk", "panitia", "paket"]
    assert workbook["daftar"].sheet_state == "hidden"
    panitia = workbook["panitia"]
    assert [c.value for c in panitia[1]] == PANITIA
    assert all(c.comment is not None and c.comment.text for c in panitia[1])
    assert panitia["B2"].number_format == "@" and workbook["paket"]["E300"].number_format == "@"
    rules = {str(v.sqref): v.formula1 for v in panitia.data_validations.dataValidation}
    assert rules == {"C2:C301": "daftar!$A$2:$A$4"}
    assert [workbook["daftar"].cell(r, 1).value for r in (2, 3, 4)] == ["ketua", "sekretaris", "anggota"]
    paket = {str(v.sqref): (v.formula1, v.errorStyle) for v in workbook["paket"].data_validations.dataValidation}
    assert paket["C2:C301"][1] == "warning" and paket["D2:D301"][1] == "stop"
    methods = [workbook["daftar"].cell(r, 2).value for r in range(2, 20) if workbook["daftar"].cell(r, 2).value]
    assert "pengadaan langsung" in methods and "tender" in methods


@pytest.mark.parametrize("nip", [lambda v: v, lambda v: v.replace(" ", "")], ids=["text-with-spaces", "text"])
def test_a_filled_workbook_reads_as_the_csv_does(config, tmp_path, blank, expected, nip):
    parsed = read(config, fill(load_workbook(blank), nip=nip), tmp_path / "terisi.xlsx")
    assert (parsed.kind, parsed.fmt) == ("registrasi", "xlsx")
    got = normalise(parsed.fields)
    assert (got["rujukan"], got["unit"]) == (expected["rujukan"], expected["unit"])
    assert comparable(got) == comparable(expected)
    assert got["ppk"][0]["_baris"] == "2 lembar ppk"


def test_a_nip_excel_cut_to_fifteen_digits_is_refused(config, tmp_path, blank):
    workbook = fill(load_workbook(blank))
    workbook["panitia"]["B3"] = 198711202011011005  # typed as a number: saved as 1.98711202011011E+17
    with pytest.raises(InputRefused) as refused:
        read(config, workbook, tmp_path / "terpotong.xlsx")
    [reason] = refused.value.reasons
    assert "Sel B3 lembar panitia" in reason and "digit setelah digit ke-15 hilang" in reason
    assert "Ubah format kolom menjadi Teks" in reason


def test_codes_typed_as_numbers_come_back_as_their_digits(config, tmp_path, blank):
    workbook = fill(load_workbook(blank))
    workbook["ppk"]["E2"] = 81198765430  # 0811-9876-5430 typed into a number cell
    workbook["panitia"]["F2"] = 6281234567890
    workbook["ppk"]["F2"] = 50  # a short SK number Excel took for a number
    fields = read(config, workbook, tmp_path / "angka.xlsx").fields
    assert fields["ppk"][0]["telepon"] == "081198765430" and fields["ppk"][0]["no_sk"] == "50"
    assert fields["panitia"][0]["telepon"] == "+6281234567890"


def test_a_formula_is_refused_naming_its_cell(config, tmp_path, blank):
    workbook = fill(load_workbook(blank))
    workbook["paket"]["B3"] = "=B2/10"
    with pytest.raises(InputRefused) as refused:
        read(config, workbook, tmp_path / "rumus.xlsx")
    assert "Sel B3 lembar paket berisi rumus (=B2/10)" in refused.value.reasons[0]


def test_one_sheet_with_a_jenis_column_is_read_too(config, tmp_path, expected):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "jenis",
            "rujukan",
            "nama",
            "nip",
            "jabatan",
            "peran",
            "email",
            "telepon",
            "no_sk",
            "no_sertifikat",
            "nama_paket",
            "pagu",
            "sumber_dana",
            "metode",
            "ppk_nip",
        ]
    )
    data = registration()
    for section in ("ppk", "panitia", "paket"):
        for record in data[section]:
            record = dict(record, nama_paket=record.get("nama") if section == "paket" else None)
            if section == "paket":
                record["nama"] = None
            sheet.append(
                [section, data["rujukan"]]
                + [
                    record.get(c)
                    for c in (
                        "nama",
                        "nip",
                        "jabatan",
                        "peran",
                        "email",
                        "telepon",
                        "no_sk",
                        "no_sertifikat",
                        "nama_paket",
                        "pagu",
                        "sumber_dana",
                        "metode",
                        "ppk_nip",
                    )
                ]
            )
    got = normalise(read(config, workbook, tmp_path / "satu-lembar.xlsx").fields)
    assert comparable(got) == comparable(expected) and got["rujukan"] == MEMO_NOMOR


def test_a_sheet_past_the_row_limit_is_refused(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"limits": {"max_csv_rows": 40}})
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "panitia"
    sheet.append(PANITIA)
    for n in range(41):
        sheet.append([f"Anggota {n}", f"1980031420060420{n % 10:02d}", "anggota", f"S-{n}", f"a{n}@x.go.id"])
    with pytest.raises(InputRefused, match="Buku kerja berisi lebih dari 40 baris data"):
        read(ws, workbook, tmp_path / "besar.xlsx")


def test_a_workbook_in_the_inbox_carries_its_case_on(config, tmp_path, blank, cli):
    tab_memo(config.inbox / "nota.docx")
    fill(load_workbook(blank)).save(config.inbox / "Registrasi Litbang.xlsx")
    result = cli("run")
    assert result.exit_code == 0, result.output
    action(config.inbox / "1.yaml", "disposisi_kapus")
    action(config.inbox / "2.yaml", "disposisi_kabid")
    assert cli("run").exit_code == 0
    [item] = [json.loads(line) for line in cli("status", "--json").output.splitlines()]
    assert item["data"]["panitia"] == 3 and item["data"]["paket"] == 2
    journal = [json.loads(line) for line in cli("journal", "--json").output.splitlines()]
    assert {(j["berkas"], j["hasil"], j["jenis"]) for j in journal} >= {
        ("Registrasi Litbang.xlsx", "diterima", "registrasi")
    }
