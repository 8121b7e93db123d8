"""Build input files for tests: memos in the layouts real senders use."""

import zipfile

import docx
import yaml
from docx.shared import Pt

HEADER = {
    "Nomor": "005/88/ULP-LITBANG/X/2026",
    "Tanggal": "7 Oktober 2026",
    "Dari": "Ketua Unit Layanan Pengadaan Badan Penelitian dan Pengembangan",
    "Yth.": "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi",
    "Sifat": "Segera",
    "Lampiran": "1 (satu) berkas",
    "Hal": "Permohonan Pemanfaatan SPSE",
    "Tembusan": "Sekretaris Jenderal",
}


def _letterhead(document):
    document.add_paragraph("KEMENTERIAN DALAM NEGERI REPUBLIK INDONESIA")
    document.add_paragraph("NOTA DINAS")


def _body(document):
    document.add_paragraph("Dengan hormat, bersama ini kami mohon fasilitasi pemanfaatan SPSE.")
    document.add_paragraph("Demikian disampaikan, atas perhatiannya diucapkan terima kasih.")


def tab_memo(path, header=None, split_runs=False):
    """``Label<TAB>: value`` paragraphs; optionally each value split over many runs."""
    document = docx.Document()
    _letterhead(document)
    for label, value in (header or HEADER).items():
        paragraph = document.add_paragraph()
        paragraph.add_run(label)
        paragraph.add_run("\t")
        if split_runs:
            paragraph.add_run(":")
            for start in range(0, len(value), 3):
                run = paragraph.add_run(value[start:start + 3])
                run.font.size = Pt(11 + start % 2)
        else:
            paragraph.add_run(": " + value)
    _body(document)
    document.save(path)
    return path


def table_memo(path, header=None, colon_cell=True):
    """A borderless label/colon/value table (or label/': value' when colon_cell is False)."""
    header = header or HEADER
    document = docx.Document()
    _letterhead(document)
    table = document.add_table(rows=0, cols=3 if colon_cell else 2)
    for label, value in header.items():
        cells = table.add_row().cells
        cells[0].text = label
        if colon_cell:
            cells[1].text = ":"
            cells[2].text = value
        else:
            cells[1].text = ": " + value
    _body(document)
    document.save(path)
    return path


def yaml_memo(path, **fields):
    data = {"jenis": "nota_dinas", "nomor": "050/17/ULP-OTDA/XI/2026",
            "tanggal": "3 November 2026", "dari": "Ketua Unit Layanan Pengadaan Ditjen Otonomi Daerah",
            "kepada": "Kepala Pusdatinkomtel", "sifat": "Biasa", "hal": "Permohonan Akun SPSE",
            "unit": "Direktorat Jenderal Otonomi Daerah"}
    data.update(fields)
    data = {k: v for k, v in data.items() if v is not None}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def scan(path):
    path.write_bytes(MINIMAL_PDF)
    return path


def zip_with(path, entries):
    """A zip holding ``entries`` (name -> bytes), named however the test likes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def docx_text(path):
    """All text of a .docx, paragraphs and table cells, one line each."""
    document = docx.Document(str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = []
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.append(cell._tc)
                    lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)
