"""Nota Dinas layouts offices use (tests/support/layouts.py) register with the fields a person reads."""

import json

import pytest
from support.cli import jsonl
from support.layouts import KOP, LAYOUTS, READ, kop_in_text_box

from pipeline.readers import docx_memo
from pipeline.readers.header import clean_value, fields_from_blocks, is_unfilled, normalise_number


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_layout_registers_with_every_field(config, cli, name):
    build, expected = LAYOUTS[name]
    build(config.inbox / f"{name}.docx")
    result = cli("run")
    assert result.exit_code == 0, result.output
    assert "1 diterima." in result.output, result.output
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_surat"], entry["tanggal_surat"], entry["dari"], entry["hal"], entry["sifat"]) == (
        expected["nomor"],
        expected["tanggal"],
        expected["dari"],
        expected["hal"],
        expected["sifat"],
    )
    [meta] = config.archive.glob("*/surat-masuk/*/metadata.json")
    memo = json.loads(meta.read_text(encoding="utf-8"))["nota_dinas"]
    assert {key: memo[key] for key in ("kepada", "lampiran", "tembusan")} == {
        key: expected[key] for key in ("kepada", "lampiran", "tembusan")
    }


@pytest.mark.parametrize(
    "nomor",
    ["000.4.5/ ........ /ADPIM/2026", "${nomor}", "B-{{ urut }}/33000/KP.300/2026", "\u00abNomor\u00bb/ADPIM/2026"],
)
def test_an_unfilled_number_is_never_registered(config, cli, nomor):
    """A number with the template's blank still in it is not the letter's number: nothing is registered."""
    from support.builders import HEADER, tab_memo

    tab_memo(config.inbox / "nota.docx", {**HEADER, "Nomor": nomor})
    result = cli("run")
    assert result.exit_code == 0, result.output
    assert "diterima" not in result.output
    assert jsonl(cli("register", "--json")) == []


# What a PDF-text reader (pdftotext -layout) hands over: lines, spaces for tabs.
PDF_LINES = [
    "                         KEMENTERIAN DALAM NEGERI",
    "                             N O T A    D I N A S",
    "                      NOMOR 000.4.5/606        /ADPIM/2026",
    "",
    "Yth.         : Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi",
    "Dari         : Kepala Biro Administrasi Pimpinan",
    "Sifat        : Segera",
    "Lampiran     : 1 (satu) berkas",
    "Hal          : Permohonan Fasilitasi Pemanfaatan SPSE",
    "",
    "       Dalam rangka pelaksanaan pengadaan barang/jasa Tahun Anggaran 2027 secara elektronik, bersama",
    "ini kami mohon fasilitasi pemanfaatan Sistem Pengadaan Secara Elektronik (SPSE) bagi unit kerja kami.",
    "   Hari/Tanggal : Rabu, 16 Desember 2026",
    "                                                  Jakarta, 7 Desember 2026",
    "                                                  Kepala Biro Administrasi Pimpinan,",
    "Tembusan:",
    "1. Sekretaris Jenderal;",
    "2. Inspektur Jenderal.",
]


def test_header_from_pdf_text_lines():
    assert fields_from_blocks(PDF_LINES) == {
        "nomor": "000.4.5/606/ADPIM/2026",
        "kepada": READ["kepada"],
        "dari": READ["dari"],
        "sifat": "Segera",
        "lampiran": "1 (satu) berkas",
        "hal": READ["hal"],
        "tanggal": "Jakarta, 7 Desember 2026",
        "tembusan": "Sekretaris Jenderal; Inspektur Jenderal",
    }


# A PDF's text where table cells wrapped: values go on under themselves (or under their colon).
WRAPPED = [
    "                                   NOTA DINAS",
    "Nomor         : 000.4.5/606/ADPIM/                           Jakarta, 7 Desember 2026",
    "                2026",
    "Yth                 : Kepala Pusat Data, Informasi,",
    "                    Komunikasi dan Telekomunikasi",
    "Dari          : Kepala Biro Administrasi Pimpinan",
    "Sifat         : Klik atau ketuk di sini untuk memasukkan teks.",
    "Hal           : Permohonan Fasilitasi",
    "                Pemanfaatan SPSE",
    "     Dalam rangka pelaksanaan pengadaan barang/jasa Tahun Anggaran 2027",
    "secara elektronik, bersama ini kami mohon fasilitasi pemanfaatan Sistem",
    "Hari/Tanggal  : Rabu, 16 Desember 2026",
    "Tembusan:",
    "",
    "1. Sekretaris Jenderal;",
    "",
    "2. Inspektur Jenderal.",
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat",
    "elektronik yang diterbitkan oleh BSrE.",
]


def test_header_from_wrapped_pdf_lines():
    assert fields_from_blocks(WRAPPED) == {
        "nomor": "000.4.5/606/ADPIM/2026",
        "tanggal": "Jakarta, 7 Desember 2026",
        "kepada": READ["kepada"],
        "dari": READ["dari"],
        "hal": READ["hal"],
        "tembusan": "Sekretaris Jenderal; Inspektur Jenderal",
    }


def test_header_from_table_rows_and_lines():
    blocks = [
        "NOTA DINAS",
        ("Nomor :", "B-12/3500/HM.340/2026", "Surabaya,  7 Desember 2026"),
        ("KepadaYth", ":", "Kepala Pusdatinkomtel"),
        ("Dari", ": Kepala BPS Provinsi Jawa Timur"),
        ("Hal", "Permohonan Akun SPSE"),
    ]
    assert fields_from_blocks(blocks) == {
        "nomor": "B-12/3500/HM.340/2026",
        "kepada": "Kepala Pusdatinkomtel",
        "dari": "Kepala BPS Provinsi Jawa Timur",
        "hal": "Permohonan Akun SPSE",
        "tanggal": "Surabaya, 7 Desember 2026",
    }


@pytest.mark.parametrize(
    "text",
    [
        "${nomor}",
        "{nomor}",
        "{{ nomor }}",
        "{{nomor_surat}}",
        "\u00abNomor\u00bb",
        "[nomor surat]",
        "<<nomor>>",
        "..............",
        "\u2026\u2026",
        "________",
        "000.4.5/ ....... /ADPIM/2026",
        "B-${urut}/33000/KP.300/2026",
    ],
)
def test_unfilled_template_fields_are_empty(text):
    assert is_unfilled(text, "nomor")
    assert clean_value("nomor", text) == ""
    assert fields_from_blocks([f"Nomor\t: {text}", "Hal\t: Uji"]) == {"hal": "Uji"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("{{ hal }}", ""),
        ("${hal}", ""),
        ("\u00abHal\u00bb", ""),
        ("[isi perihal]", ""),
        ("........", ""),
        ("Uji {{ 7*7 }} <b>tebal</b>", "Uji {{ 7*7 }} <b>tebal</b>"),
        ("Permohonan akun ... dan pelatihan", "Permohonan akun ... dan pelatihan"),
        ("Permohonan Fasilitasi SPSE .........", "Permohonan Fasilitasi SPSE"),
    ],
)
def test_free_text_is_blank_only_when_nothing_else_is_written(text, expected):
    assert clean_value("hal", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("000.4.5/606          /ADPIM/2026", "000.4.5/606/ADPIM/2026"),
        ("005 / 88 / ULP-LITBANG / X / 2026", "005/88/ULP-LITBANG/X/2026"),
        ("B - 325/33000/KP.300/2026", "B-325/33000/KP.300/2026"),
        ("B-325/33000/KP.300/2026", "B-325/33000/KP.300/2026"),
        ("ND- 17/H.4/Hkt.2/12/2026", "ND-17/H.4/Hkt.2/12/2026"),
        ("800.1.2.3/417/BKD/2026", "800.1.2.3/417/BKD/2026"),
    ],
)
def test_numbers_normalised(text, expected):
    assert normalise_number(text) == expected


def test_text_box_is_read_once(config, tmp_path):
    """Word stores a text box twice (DrawingML and its VML fallback); the reader sees it once."""
    path = kop_in_text_box(tmp_path / "memo.docx")
    body, hidden = docx_memo._body(path, docx_memo.Budget(config.limits, kind="nota_dinas"))
    lines = [block for block in docx_memo.blocks(body, hidden) if isinstance(block, str)]
    assert lines.count(KOP[0]) == 1
    assert lines.index("NOTA DINAS") + 1 == lines.index("NOMOR 045.2/1290/SETDA/2026")


def test_labels_in_the_body_are_not_the_header():
    """After the body starts, an event's ``Hari/Tanggal`` is not the letter's date."""
    blocks = [
        "Nomor\t: 12/2026",
        "Dari\t: Kepala Biro Umum",
        "Hal\t: Undangan",
        PDF_LINES[10],
        "Hari/Tanggal\t: Rabu, 16 Desember 2026",
        "Jakarta, 7 Desember 2026",
    ]
    assert fields_from_blocks(blocks)["tanggal"] == "Jakarta, 7 Desember 2026"


def test_hostile_header_text_is_read_in_linear_time(config, tmp_path):
    """Leaders, braces and slashes by the ten thousand: read as unfilled, no pattern backtracks on them."""
    import docx

    from pipeline import readers

    document = docx.Document()
    for line in (
        "Nomor " + "." * 20000 + "x",
        "Nomor\t: " + "{{" * 20000,
        "Nomor " + "1/" * 20000 + " x y",
        "Tanggal" + " " * 20000 + "x",
        "Dari\t: Kepala Biro Umum",
        "Hal\t: " + "_" * 20000 + "." * 20000,
    ):
        document.add_paragraph(line)
    path = tmp_path / "memo.docx"
    document.save(str(path))
    parsed = readers.read(path, config.limits)
    assert parsed.fields == {"dari": "Kepala Biro Umum"}


def test_reading_a_header_looks_at_the_budget():
    """The walk over the lines calls the reading budget's check, so an input cannot outlast its time limit."""
    from pipeline.errors import InputRefused

    def spent():
        raise InputRefused("Pembacaan berkas melebihi batas waktu.", kind="nota_dinas")

    with pytest.raises(InputRefused):
        fields_from_blocks(["Nomor\t: 1/2026"] * 1000, spent)


def test_pdf_value_wrapped_to_the_margin_is_joined_and_body_is_not():
    """In a PDF's text a value may wrap back to the left margin; the body after the header stays out."""
    lines = [
        "NOTA DINAS",
        "Nomor       :   000.4.5/606/ADPIM/2026",
        "Yth.        :   Kepala Pusat Data, Informasi, Komunikasi dan",
        "Telekomunikasi",
        "Dari        :   Kepala Biro Administrasi Pimpinan",
        "Hal         :   Permohonan Fasilitasi",
        "Dalam rangka pelaksanaan pengadaan barang/jasa Tahun Anggaran 2027 secara",
        "elektronik.",
    ]
    fields = fields_from_blocks(lines, laid_out=True)
    assert (fields["kepada"], fields["hal"]) == (READ["kepada"], "Permohonan Fasilitasi")
