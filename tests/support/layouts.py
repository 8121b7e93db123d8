"""Nota Dinas layouts Indonesian offices use, rebuilt with python-docx.

Where each class was seen: docs/inputs.md, "Where the layouts come from".

Each layout class is a builder beside the fields a person reads from it. Every
letter is the same kind of request (facilitation of SPSE for a unit's
procurement), written as the office whose layout it follows would write it.
"""

from __future__ import annotations

import copy
from pathlib import Path

import docx
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (
    f'xmlns:w="{W_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)

# What a person reads from the standard letter (each class changes what its layout shows differently).
READ = {
    "nomor": "000.4.5/606/ADPIM/2026",
    "tanggal": "2026-12-07",
    "dari": "Kepala Biro Administrasi Pimpinan",
    "kepada": "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi",
    "sifat": "Segera",
    "lampiran": "1 (satu) berkas",
    "hal": "Permohonan Fasilitasi Pemanfaatan SPSE",
    "tembusan": "",
}
KOP = [
    "KEMENTERIAN DALAM NEGERI",
    "REPUBLIK INDONESIA",
    "SEKRETARIAT JENDERAL",
    "Jalan Medan Merdeka Utara Nomor 7, Jakarta 10110, Telepon (021) 3450038",
]
BODY = [
    (
        "Dalam rangka pelaksanaan pengadaan barang/jasa Tahun Anggaran 2027 secara elektronik, bersama ini "
        "kami mohon fasilitasi pemanfaatan Sistem Pengadaan Secara Elektronik (SPSE) bagi unit kerja kami."
    ),
    (
        "Sebagai bahan pertimbangan, bersama ini kami lampirkan daftar Pejabat Pembuat Komitmen dan anggota "
        "panitia pengadaan yang akan menggunakan SPSE."
    ),
    "Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.",
]
SIGNER = ["Kepala Biro Administrasi Pimpinan,", "", "Drs. Bambang Sutrisno, M.Si.", "NIP 19700512 199503 1 002"]


def _new(kop=True, title="NOTA DINAS"):
    document = docx.Document()
    for line in KOP if kop else ():
        document.add_paragraph(line)
    if title:
        document.add_paragraph(title)
    return document


def _lines(document, lines):
    for line in lines:
        document.add_paragraph(line)


def _tab_header(document, pairs, sep="\t: "):
    for label, value in pairs:
        document.add_paragraph(f"{label}{sep}{value}")


def _table(document, rows):
    table = document.add_table(rows=0, cols=max(len(row) for row in rows))
    for row in rows:
        cells = table.add_row().cells
        for index, text in enumerate(row):
            cells[index].text = text
    return table


def _close(document, path, place_date=None, tembusan=()):
    _lines(document, BODY)
    if place_date:
        document.add_paragraph(place_date)
    _lines(document, SIGNER)
    _lines(document, tembusan)
    document.save(str(path))
    return path


STANDARD = [
    ("Yth.", "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi"),
    ("Dari", "Kepala Biro Administrasi Pimpinan"),
    ("Sifat", "Segera"),
    ("Lampiran", "1 (satu) berkas"),
    ("Hal", "Permohonan Fasilitasi Pemanfaatan SPSE"),
]


def kemendagri_nomor_under_title(path: Path) -> Path:
    """Permendagri tata naskah dinas: NOMOR under the title, Yth./Dari/Sifat/Lampiran/Hal, date at the signature."""
    document = _new()
    document.add_paragraph("NOMOR : 000.4.5/606/ADPIM/2026")
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 7 Desember 2026")


def bps_nomor_without_colon(path: Path) -> Path:
    """BPS: ``NOMOR B-325/33000/KP.300/2026`` under the title, no colon, no label column."""
    document = _new()
    document.add_paragraph("NOMOR B-325/33000/KP.300/2026")
    _tab_header(
        document,
        [("Yth.", READ["kepada"]), ("Dari", "Kepala Bagian Umum BPS Provinsi Jawa Tengah"), ("Hal", READ["hal"])],
    )
    return _close(document, path, "Semarang, 7 Desember 2026")


def bare_number_under_title(path: Path) -> Path:
    """The number alone under the title, neither ``Nomor`` nor colon."""
    document = _new()
    document.add_paragraph("325/33000/KP.300/2026")
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 7 Desember 2026")


def letter_spaced_title(path: Path) -> Path:
    """A letter-spaced title (``N O T A   D I N A S``) and ``Nomor: ...`` centred under it."""
    document = _new(title="N O T A   D I N A S")
    document.add_paragraph("Nomor: 027/1187/PUSDATIN/2026")
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 7 Desember 2026")


def title_and_number_one_paragraph(path: Path) -> Path:
    """Title and number in one paragraph, split by a line break (Shift+Enter)."""
    document = _new(title=None)
    paragraph = document.add_paragraph("NOTA DINAS")
    paragraph.add_run().add_break()
    paragraph.add_run("NOMOR 800.1.2/417/BKD/2026")
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 7 Desember 2026")


def table_colon_cell(path: Path) -> Path:
    """A borderless label / ``:`` / value table, ``Kepada Yth.`` and a Tanggal row."""
    document = _new()
    _table(
        document,
        [
            ("Kepada Yth.", ":", READ["kepada"]),
            ("Dari", ":", READ["dari"]),
            ("Tanggal", ":", "7 Desember 2026"),
            ("Nomor", ":", READ["nomor"]),
            ("Sifat", ":", "Segera"),
            ("Lampiran", ":", "1 (satu) berkas"),
            ("Hal", ":", READ["hal"]),
        ],
    )
    return _close(document, path)


def table_colon_in_value(path: Path) -> Path:
    """A two-column table with the colon in the value cell (``: value``), Tembusan as a table after the signature."""
    document = _new()
    document.add_paragraph("NOMOR : W2.IMI.5-UM.01.01-0713")
    _table(
        document,
        [
            ("Yth", ": " + READ["kepada"]),
            ("Dari", ": " + READ["dari"]),
            ("Hal", ": " + READ["hal"]),
            ("Lampiran", ": -"),
            ("Tanggal", ": 7 Desember 2026"),
        ],
    )
    _lines(document, BODY + SIGNER + ["Tembusan :"])
    _table(document, [("1.", "Direktur Jenderal Imigrasi"), ("2.", "Kepala Kantor Wilayah DKI Jakarta")])
    document.save(str(path))
    return path


def table_colon_in_label(path: Path) -> Path:
    """A two-column table with the colon in the label cell (``Nomor :`` | value)."""
    document = _new()
    _table(
        document,
        [
            ("Yth. :", READ["kepada"]),
            ("Dari :", READ["dari"]),
            ("Nomor :", READ["nomor"]),
            ("Tanggal :", "7 Desember 2026"),
            ("Sifat :", "Biasa"),
            ("Perihal :", READ["hal"]),
        ],
    )
    return _close(document, path)


def table_colon_glued(path: Path) -> Path:
    """Labels with the colon glued on (``Nomor:``) in their own cell, uppercase labels."""
    document = _new()
    _table(
        document,
        [
            ("KEPADA:", READ["kepada"]),
            ("DARI:", READ["dari"]),
            ("NOMOR:", READ["nomor"]),
            ("TANGGAL:", "07-12-2026"),
            ("SIFAT:", "SEGERA"),
            ("PERIHAL:", READ["hal"]),
        ],
    )
    return _close(document, path)


def hari_tanggal(path: Path) -> Path:
    """``Hari/Tanggal : Senin, 7 Desember 2026`` (weekday before the date), Sifat Penting."""
    document = _new()
    _table(
        document,
        [
            ("Kepada", ":", READ["kepada"]),
            ("Dari", ":", READ["dari"]),
            ("Hari/Tanggal", ":", "Senin, 7 Desember 2026"),
            ("Nomor", ":", READ["nomor"]),
            ("Sifat", ":", "Penting"),
            ("Lampiran", ":", "-"),
            ("Perihal", ":", READ["hal"]),
        ],
    )
    return _close(document, path)


def hari_tanggal_without_comma(path: Path) -> Path:
    """``Hari, Tanggal`` with the weekday run into the date (``Jum’at 4 Desember 2026``)."""
    document = _new()
    _table(
        document,
        [
            ("Kepada", ":", READ["kepada"]),
            ("Dari", ":", READ["dari"]),
            ("Hari, Tanggal", ":", "Jum’at 4 Desember 2026"),
            ("Nomor", ":", READ["nomor"]),
            ("Sifat", ":", "Segera"),
            ("Lampiran", ":", "1 (satu) berkas"),
            ("Hal", ":", READ["hal"]),
        ],
    )
    return _close(document, path)


def nd_prefix_number(path: Path) -> Path:
    """A number with an ``ND-`` prefix typed with a space (``ND- 17/...``), as a prosecutor's office writes it."""
    document = _new()
    _tab_header(
        document,
        [
            ("Kepada", READ["kepada"]),
            ("Dari", READ["dari"]),
            ("Nomor", "ND- 17/H.4/Hkt.2/12/2026"),
            ("Sifat", "Rahasia"),
            ("Lampiran", "-"),
            ("Perihal", READ["hal"]),
        ],
    )
    return _close(document, path, "Jakarta, 7 Desember 2026")


def kepada_right_by_tabs(path: Path) -> Path:
    """Nomor with the place and date on its line, ``Kepada Yth.`` and the addressee pushed right with tabs."""
    document = _new(title=None)
    _lines(
        document,
        [
            f"Nomor\t\t: {READ['nomor']} \t\t\tJakarta, 7 Desember 2026",
            "Lampiran\t: -",
            f"Perihal\t\t: {READ['hal']}",
            f"Dari\t\t: {READ['dari']}",
            "",
            "\t\t\t\t\t\t\t\t\tKepada Yth.",
            f"\t\t\t\t\t\t\t\t\t{READ['kepada']}",
            "\t\t\t\t\t\t\t\t\tdi Jakarta",
        ],
    )
    return _close(document, path)


def short_labels_numeric_date(path: Path) -> Path:
    """Short labels ``No.``, ``Tgl.``, ``Lamp.`` and a ``dd-mm-yyyy`` date."""
    document = _new()
    _tab_header(
        document,
        [
            ("Kepada", READ["kepada"]),
            ("Dari", READ["dari"]),
            ("No.", READ["nomor"]),
            ("Tgl.", "07-12-2026"),
            ("Sifat", "Segera"),
            ("Lamp.", "1 (satu) berkas"),
            ("Hal", READ["hal"]),
        ],
    )
    return _close(document, path)


def nomor_surat_slash_date(path: Path) -> Path:
    """``Nomor Surat``, ``Tanggal Surat`` with a ``dd/mm/yyyy`` date, ``Sifat Surat`` Rahasia."""
    document = _new()
    _tab_header(
        document,
        [
            ("Kepada Yth.", READ["kepada"]),
            ("Dari", READ["dari"]),
            ("Nomor Surat", READ["nomor"]),
            ("Tanggal Surat", "07/12/2026"),
            ("Sifat Surat", "Rahasia"),
            ("Perihal", READ["hal"]),
        ],
    )
    return _close(document, path)


def iso_date(path: Path) -> Path:
    """An ISO date, as a form exported from an application writes it."""
    document = _new()
    _tab_header(document, [("Nomor", READ["nomor"]), ("Tanggal", "2026-12-07"), *STANDARD])
    return _close(document, path)


def old_month_spelling(path: Path) -> Path:
    """An old spelling of the month (``Nopember``) in the date by the signature."""
    document = _new()
    document.add_paragraph("NOMOR : 000.4.5/606/ADPIM/2026")
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 16 Nopember 2026")


def run_together_label(path: Path) -> Path:
    """``Kepada`` and ``Yth.`` in runs with no space between (``KepadaYth.``)."""
    document = _new()
    paragraph = document.add_paragraph()
    for text in ("Kepada", "Yth.", "\t: ", READ["kepada"]):
        paragraph.add_run(text)
    _tab_header(
        document,
        [("Dari", READ["dari"]), ("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), ("Hal", READ["hal"])],
    )
    return _close(document, path)


def dotted_leaders(path: Path) -> Path:
    """Labels padded with a dotted leader up to the colon (``Nomor ........ : ...``)."""
    document = _new()
    for label, value in [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), *STANDARD]:
        document.add_paragraph(f"{label} {'.' * (14 - len(label))} : {value}")
    return _close(document, path)


def tab_runs(path: Path) -> Path:
    """Labels followed by several tabs, a tab after the colon, and values split over runs."""
    document = _new()
    for label, value in [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), *STANDARD]:
        paragraph = document.add_paragraph()
        paragraph.add_run(label)
        paragraph.add_run("\t\t\t:\t")
        for start in range(0, len(value), 4):
            paragraph.add_run(value[start : start + 4])
    return _close(document, path)


def template_blank_in_number(path: Path) -> Path:
    """The template's blank left in the number (``000.4.5/606          /ADPIM/2026``)."""
    document = _new()
    document.add_paragraph("NOMOR : 000.4.5/606          /ADPIM/2026")
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 7 Desember 2026")


def spaced_b_number(path: Path) -> Path:
    """A BPS ``B-`` number typed with spaces around every separator."""
    document = _new()
    _tab_header(
        document, [("Nomor", "B - 0456 / 35000 / HM.340 / 12 / 2026"), ("Tanggal", "7 Desember 2026"), *STANDARD]
    )
    return _close(document, path)


def unfilled_placeholders(path: Path) -> Path:
    """Template fields left unfilled (``${lampiran}``, ``{{ tembusan }}``, ``{sifat}``); Tanggal a dotted leader."""
    document = _new()
    _tab_header(
        document,
        [
            ("Nomor", READ["nomor"]),
            ("Tanggal", "........................"),
            ("Yth.", READ["kepada"]),
            ("Dari", READ["dari"]),
            ("Sifat", "{sifat}"),
            ("Lampiran", "${lampiran}"),
            ("Hal", READ["hal"]),
            ("Tembusan", "{{ tembusan }}"),
        ],
    )
    return _close(document, path, "Jakarta, 7 Desember 2026")


def unfilled_mail_merge(path: Path) -> Path:
    """Mail-merge fields never merged (``«Kepada»``) and a bracketed blank (``[lampiran]``)."""
    document = _new()
    _tab_header(
        document,
        [
            ("Nomor", READ["nomor"]),
            ("Tanggal", "7 Desember 2026"),
            ("Kepada", "\u00abKepada\u00bb"),
            ("Dari", READ["dari"]),
            ("Lampiran", "[lampiran]"),
            ("Hal", READ["hal"]),
        ],
    )
    return _close(document, path)


def _text_box(paragraph, lines):
    """Anchor a text box holding ``lines`` in ``paragraph``, as Word writes it: DrawingML with a VML fallback."""
    content = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>' for line in lines)
    xml = (
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
        'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5400000" cy="2700000"/><wp:wrapTopAndBottom/><wp:docPr id="1" name="Kop"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape style="width:425pt;height:213pt"><v:textbox>'
        f"<w:txbxContent>{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )
    paragraph._p.append(parse_xml(xml))


def kop_in_text_box(path: Path) -> Path:
    """The kop, title and number in a text box (Word keeps a DrawingML and a VML copy of it)."""
    document = _new(kop=False, title=None)
    _text_box(document.add_paragraph(), [*KOP, "NOTA DINAS", "NOMOR 045.2/1290/SETDA/2026"])
    _tab_header(document, STANDARD)
    return _close(document, path, "Jakarta, 7 Desember 2026")


def tembusan_numbered_after_signature(path: Path) -> Path:
    """Tembusan as a numbered list typed after the signature."""
    document = _new()
    _tab_header(document, [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), *STANDARD])
    return _close(
        document,
        path,
        tembusan=["Tembusan:", "1. Sekretaris Jenderal;", "2. Inspektur Jenderal; dan", "3. Kepala Biro Umum."],
    )


def tembusan_word_list(path: Path) -> Path:
    """Tembusan Yth. as a Word numbered list (the numbers are not in the text)."""
    document = _new()
    _tab_header(document, [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), *STANDARD])
    _lines(document, BODY + SIGNER)
    document.add_paragraph("Tembusan Yth.:")
    for item in ("Sekretaris Jenderal", "Inspektur Jenderal"):
        document.add_paragraph(item, style="List Number")
    document.save(str(path))
    return path


def tembusan_in_header(path: Path) -> Path:
    """Tembusan as a header row with one addressee."""
    document = _new()
    _tab_header(
        document,
        [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), *STANDARD, ("Tembusan", "Sekretaris Jenderal")],
    )
    return _close(document, path)


def date_beside_number_tabs(path: Path) -> Path:
    """Place and date on the number's line, right of a tab run (surat dinas arrangement)."""
    document = _new()
    document.add_paragraph(f"Nomor\t: {READ['nomor']}\t\t\tJakarta, 7 Desember 2026")
    _tab_header(document, STANDARD)
    return _close(document, path)


def date_beside_number_table(path: Path) -> Path:
    """Place and date in a fourth cell of the number's row."""
    document = _new()
    _table(
        document,
        [
            ("Nomor", ":", READ["nomor"], "Jakarta, 7 Desember 2026"),
            ("Sifat", ":", "Segera", ""),
            ("Lampiran", ":", "1 (satu) berkas", ""),
            ("Hal", ":", READ["hal"], ""),
            ("Dari", ":", READ["dari"], ""),
        ],
    )
    document.add_paragraph("Yth. " + READ["kepada"])
    document.add_paragraph("di Jakarta")
    return _close(document, path)


def kepada_on_line_below(path: Path) -> Path:
    """``Kepada Yth.`` alone on a line and the addressee on the next."""
    document = _new()
    _tab_header(
        document,
        [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), ("Dari", READ["dari"]), ("Hal", READ["hal"])],
    )
    _lines(document, ["Kepada Yth.", READ["kepada"], "di Jakarta"])
    return _close(document, path)


def kepada_over_two_lines(path: Path) -> Path:
    """The addressee over two lines: two paragraphs in a cell, or a line break in a paragraph."""
    document = _new()
    table = _table(
        document,
        [
            ("Yth.", ":", ""),
            ("Dari", ":", READ["dari"]),
            ("Nomor", ":", READ["nomor"]),
            ("Tanggal", ":", "7 Desember 2026"),
            ("Hal", ":", READ["hal"]),
        ],
    )
    cell = table.rows[0].cells[2]
    cell.paragraphs[0].text = "Kepala Pusat Data, Informasi,"
    cell.add_paragraph("Komunikasi dan Telekomunikasi")
    return _close(document, path)


def header_in_nested_table(path: Path) -> Path:
    """The header table nested in a layout table's cell (the kop's logo in the other cell)."""
    document = _new(kop=False, title=None)
    outer = document.add_table(rows=1, cols=2)
    outer.rows[0].cells[0].text = "[logo]"
    inner_cell = outer.rows[0].cells[1]
    inner_cell.text = "NOTA DINAS"
    inner = inner_cell.add_table(rows=0, cols=3)
    for label, value in [("Nomor", READ["nomor"]), ("Tanggal", "7 Desember 2026"), *STANDARD]:
        cells = inner.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", value
    return _close(document, path)


def content_control_placeholder(path: Path) -> Path:
    """A Word form with content controls: Lampiran still shows its placeholder text."""
    document = _new()
    _tab_header(
        document,
        [
            ("Nomor", READ["nomor"]),
            ("Tanggal", "7 Desember 2026"),
            ("Yth.", READ["kepada"]),
            ("Dari", READ["dari"]),
            ("Hal", READ["hal"]),
        ],
    )
    paragraph = document.add_paragraph("Lampiran\t: ")
    paragraph._p.append(
        parse_xml(
            f"<w:sdt {NS}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r>"
            "<w:t>Klik atau ketuk di sini untuk memasukkan teks.</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    return _close(document, path)


def colon_glued_paragraphs(path: Path) -> Path:
    """``Label: value`` paragraphs, colon glued to the label, no tab; Sifat Sangat Segera."""
    document = _new()
    _tab_header(
        document,
        [
            ("Nomor", READ["nomor"]),
            ("Tanggal", "7 Desember 2026"),
            ("Kepada", READ["kepada"]),
            ("Dari", READ["dari"]),
            ("Sifat", "Sangat Segera"),
            ("Perihal", READ["hal"]),
        ],
        sep=": ",
    )
    return _close(document, path)


BSRE_NOTE = (
    "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
    "diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), BSSN."
)


def e_signed_note_after_tembusan(path: Path) -> Path:
    """An electronically signed memo: the BSrE note under the Tembusan list ends the list."""
    document = _new()
    document.add_paragraph("NOMOR : 000.4.5/606/ADPIM/2026")
    _tab_header(document, STANDARD)
    return _close(
        document,
        path,
        "Jakarta, 7 Desember 2026",
        tembusan=["Tembusan:", "1. Sekretaris Jenderal;", "2. Inspektur Jenderal.", BSRE_NOTE],
    )


def event_date_in_body(path: Path) -> Path:
    """An invitation-like request: the meeting's ``Hari/Tanggal`` in the body is not the letter's date."""
    document = _new()
    document.add_paragraph("NOMOR : 000.4.5/606/ADPIM/2026")
    _tab_header(document, STANDARD)
    document.add_paragraph(BODY[0])
    _tab_header(
        document,
        [
            ("Hari/Tanggal", "Rabu, 16 Desember 2026"),
            ("Pukul", "09.00 WIB s.d. selesai"),
            ("Tempat", "Ruang Rapat Pusdatinkomtel"),
        ],
    )
    return _close(document, path, "Jakarta, 7 Desember 2026")


def expect(**changes: str) -> dict[str, str]:
    """The standard fields a person reads, with this layout's differences."""
    return {**copy.deepcopy(READ), **changes}


LAYOUTS = {
    "kemendagri-nomor-di-bawah-judul": (kemendagri_nomor_under_title, expect()),
    "bps-nomor-tanpa-titik-dua": (
        bps_nomor_without_colon,
        expect(
            nomor="B-325/33000/KP.300/2026",
            dari="Kepala Bagian Umum BPS Provinsi Jawa Tengah",
            sifat="Biasa",
            lampiran="",
        ),
    ),
    "nomor-tanpa-label": (bare_number_under_title, expect(nomor="325/33000/KP.300/2026")),
    "judul-berjarak": (letter_spaced_title, expect(nomor="027/1187/PUSDATIN/2026")),
    "judul-dan-nomor-satu-paragraf": (title_and_number_one_paragraph, expect(nomor="800.1.2/417/BKD/2026")),
    "tabel-titik-dua-sel-sendiri": (table_colon_cell, expect()),
    "tabel-titik-dua-di-nilai": (
        table_colon_in_value,
        expect(
            nomor="W2.IMI.5-UM.01.01-0713",
            sifat="Biasa",
            lampiran="-",
            tembusan="Direktur Jenderal Imigrasi; Kepala Kantor Wilayah DKI Jakarta",
        ),
    ),
    "tabel-titik-dua-di-label": (table_colon_in_label, expect(sifat="Biasa", lampiran="")),
    "tabel-label-kapital": (table_colon_glued, expect(lampiran="")),
    "hari-tanggal": (hari_tanggal, expect(sifat="Penting", lampiran="-")),
    "hari-tanggal-tanpa-koma": (hari_tanggal_without_comma, expect(tanggal="2026-12-04")),
    "nomor-berawalan-nd": (nd_prefix_number, expect(nomor="ND-17/H.4/Hkt.2/12/2026", sifat="Rahasia", lampiran="-")),
    "kepada-di-kanan-bertab": (kepada_right_by_tabs, expect(sifat="Biasa", lampiran="-")),
    "label-singkat-tanggal-angka": (short_labels_numeric_date, expect()),
    "nomor-surat-tanggal-garis-miring": (nomor_surat_slash_date, expect(sifat="Rahasia", lampiran="")),
    "tanggal-iso": (iso_date, expect()),
    "ejaan-lama-bulan": (old_month_spelling, expect(tanggal="2026-11-16")),
    "label-menyatu": (run_together_label, expect(sifat="Biasa", lampiran="")),
    "garis-titik-penuntun": (dotted_leaders, expect()),
    "deret-tab": (tab_runs, expect()),
    "nomor-berongga": (template_blank_in_number, expect()),
    "nomor-b-berspasi": (spaced_b_number, expect(nomor="B-0456/35000/HM.340/12/2026")),
    "isian-templat-kosong": (unfilled_placeholders, expect(sifat="Biasa", lampiran="")),
    "isian-surat-massal-kosong": (unfilled_mail_merge, expect(kepada="", sifat="Biasa", lampiran="")),
    "kop-dalam-kotak-teks": (kop_in_text_box, expect(nomor="045.2/1290/SETDA/2026")),
    "tembusan-bernomor-setelah-ttd": (
        tembusan_numbered_after_signature,
        expect(tembusan="Sekretaris Jenderal; Inspektur Jenderal; Kepala Biro Umum"),
    ),
    "tembusan-daftar-word": (tembusan_word_list, expect(tembusan="Sekretaris Jenderal; Inspektur Jenderal")),
    "tembusan-di-kepala": (tembusan_in_header, expect(tembusan="Sekretaris Jenderal")),
    "tanggal-sebaris-nomor-tab": (date_beside_number_tabs, expect()),
    "tanggal-sebaris-nomor-tabel": (date_beside_number_table, expect()),
    "kepada-di-baris-bawah": (kepada_on_line_below, expect(sifat="Biasa", lampiran="")),
    "kepada-dua-baris": (kepada_over_two_lines, expect(sifat="Biasa", lampiran="")),
    "tabel-bersarang": (header_in_nested_table, expect()),
    "kontrol-isian-belum-diisi": (content_control_placeholder, expect(sifat="Biasa", lampiran="")),
    "titik-dua-menempel": (colon_glued_paragraphs, expect(sifat="Sangat Segera", lampiran="")),
    "catatan-tte-setelah-tembusan": (
        e_signed_note_after_tembusan,
        expect(tembusan="Sekretaris Jenderal; Inspektur Jenderal"),
    ),
    "hari-tanggal-acara-di-isi": (event_date_in_body, expect()),
}
