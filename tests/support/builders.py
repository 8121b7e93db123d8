"""Build input files for tests: memos in the layouts real senders use."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
import yaml
from docx.shared import Pt

if TYPE_CHECKING:
    from openpyxl import Workbook

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


def tab_memo(path: Path, header: dict[str, str] | None = None, split_runs: bool = False) -> Path:
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
                run = paragraph.add_run(value[start : start + 3])
                run.font.size = Pt(11 + start % 2)
        else:
            paragraph.add_run(": " + value)
    _body(document)
    document.save(str(path))
    return path


def table_memo(path: Path, header: dict[str, str] | None = None, colon_cell: bool = True) -> Path:
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
    document.save(str(path))
    return path


def yaml_memo(path: Path, **fields: Any) -> Path:
    """A typed Nota Dinas as YAML (``jenis: nota_dinas``); a field given None is left out."""
    data = {
        "jenis": "nota_dinas",
        "nomor": "050/17/ULP-OTDA/XI/2026",
        "tanggal": "3 November 2026",
        "dari": "Ketua Unit Layanan Pengadaan Ditjen Otonomi Daerah",
        "kepada": "Kepala Pusdatinkomtel",
        "sifat": "Biasa",
        "hal": "Permohonan Akun SPSE",
        "unit": "Direktorat Jenderal Otonomi Daerah",
    }
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


def scan(path: Path) -> Path:
    """A minimal one-page PDF, as a scanner writes a signed letter."""
    path.write_bytes(MINIMAL_PDF)
    return path


def zip_with(path: Path, entries: dict[str, bytes]) -> Path:
    """A zip holding ``entries`` (name -> bytes), named however the test likes."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def docx_text(path: Path) -> str:
    """All text of a .docx, paragraphs and table cells, one line each: the body, then the page footers."""
    document = docx.Document(str(path))
    lines = _story_text(document)
    for section in document.sections:
        lines += _story_text(section.footer)
    return "\n".join(lines)


def _story_text(story):
    lines = [p.text for p in story.paragraphs]
    for table in story.tables:
        for row in table.rows:
            seen = []
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.append(cell._tc)
                    lines.extend(p.text for p in cell.paragraphs)
    return lines


MEMO_NOMOR = HEADER["Nomor"]


def registration(**overrides: Any) -> dict[str, Any]:
    """Registration data like a unit's ULP sends (sound unless a test spoils it)."""
    data = {
        "jenis": "registrasi",
        "rujukan": MEMO_NOMOR,
        "unit": "Badan Penelitian dan Pengembangan",
        "tahun_anggaran": 2027,
        "ppk": [
            {
                "nama": "Dr. Hendra Gunawan, M.Si.",
                "nip": "19710605 199803 1 004",
                "jabatan": "Kepala Bagian Keuangan",
                "email": "hendra.gunawan@kemendagri.go.id",
                "telepon": "0811-9876-543",
                "no_sk": "050/21/SK/LITBANG/2026",
            }
        ],
        "panitia": [
            {
                "nama": "Rina Marlina, S.T.",
                "nip": "198003142006042002",
                "peran": "ketua",
                "no_sertifikat": "L4.0001.2222.2024",
                "email": "rina.m@kemendagri.go.id",
            },
            {
                "nama": "Teguh Prasetyo, S.Kom.",
                "nip": "198711202011011005",
                "peran": "sekretaris",
                "no_sertifikat": "L4.0002.3333.2024",
                "email": "teguh.p@kemendagri.go.id",
            },
            {
                "nama": "Maria Goretti Sitanggang",
                "nip": "198209092009122003",
                "peran": "anggota",
                "no_sertifikat": "L4.0003.4444.2024",
                "email": "maria.gs@kemendagri.go.id",
            },
        ],
        "paket": [
            {
                "nama": "Pengadaan Server dan Penyimpanan Data Penelitian",
                "pagu": "Rp2.300.000.000,00",
                "sumber_dana": "APBN",
                "metode": "pelelangan umum",
                "ppk_nip": "197106051998031004",
            },
            {
                "nama": "Pemeliharaan Jaringan Intranet",
                "pagu": 95000000,
                "sumber_dana": "APBN",
                "metode": "pengadaan langsung",
                "ppk_nip": "197106051998031004",
            },
        ],
    }
    data.update(overrides)
    return data


def registration_yaml(path: Path, data: dict[str, Any] | None = None) -> Path:
    """The registration as the YAML a ULP sends."""
    path.write_text(yaml.safe_dump(data or registration(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


CSV_COLUMNS = [
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


def registration_csv(
    path: Path, data: dict[str, Any] | None = None, encoding: str = "utf-8-sig", sep: str = ";", newline: str = "\r\n"
) -> Path:
    """The registration as Excel saves it: one row per person or package."""
    data = data or registration()
    rows = []
    for section in ("ppk", "panitia", "paket"):
        for record in data[section]:
            row = {"jenis": section, "rujukan": data["rujukan"], **record}
            if section == "paket":
                row["nama_paket"] = row.pop("nama")
            rows.append(row)

    def cell(value: object) -> str:
        text = "" if value is None else str(value)
        return f'"{text}"' if sep in text or '"' in text else text

    lines = [sep.join(CSV_COLUMNS)] + [sep.join(cell(r.get(c)) for c in CSV_COLUMNS) for r in rows]
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


def action(path: Path, langkah: str, rujukan: str = MEMO_NOMOR, **fields: Any) -> Path:
    """An action file (``jenis: tindakan``) recording ``langkah`` on the case of ``rujukan``."""
    data = {"jenis": "tindakan", "rujukan": rujukan, "langkah": langkah, **fields}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def rewrite_document_xml(path: Path, edit: Callable[[str], str]) -> Path:
    """Change word/document.xml of a .docx (as Word would write tracked changes or hidden text)."""
    import shutil
    import tempfile

    with zipfile.ZipFile(path) as source:
        items = {info.filename: source.read(info.filename) for info in source.infolist()}
    items["word/document.xml"] = edit(items["word/document.xml"].decode("utf-8")).encode("utf-8")
    with tempfile.NamedTemporaryFile(delete=False, suffix=".docx") as temp:
        pass
    with zipfile.ZipFile(temp.name, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
    shutil.move(temp.name, path)
    return path


def memo_with_nomor_runs(path: Path, runs_xml: str) -> Path:
    """A tab memo whose Nomor paragraph is made of the given raw runs (w:r, w:del, w:ins ...)."""
    header = {**HEADER, "Nomor": "@@NOMOR@@"}
    tab_memo(path, header)
    return rewrite_document_xml(
        path,
        lambda xml: xml.replace(
            '<w:r><w:t xml:space="preserve">: @@NOMOR@@</w:t></w:r>',
            '<w:r><w:t xml:space="preserve">: </w:t></w:r>' + runs_xml,
        ).replace("<w:r><w:t>: @@NOMOR@@</w:t></w:r>", '<w:r><w:t xml:space="preserve">: </w:t></w:r>' + runs_xml),
    )


# The columns of the workbook ``pipeline formulir`` hands out, per sheet.
PPK = ["nama", "nip", "jabatan", "email", "telepon", "no_sk"]
PANITIA = ["nama", "nip", "peran", "no_sertifikat", "email", "telepon"]
PAKET = ["nama_paket", "pagu", "sumber_dana", "metode", "ppk_nip"]


def fill(
    workbook: Workbook, data: dict[str, Any] | None = None, nip: Callable[[str], Any] = lambda value: value
) -> Workbook:
    """Type ``data`` into a workbook from ``pipeline formulir`` (row 2 on), as a ULP would."""
    data = data or registration()
    workbook["umum"].cell(2, 1, data["rujukan"])
    workbook["umum"].cell(2, 2, data["unit"])
    workbook["umum"].cell(2, 3, data["tahun_anggaran"])
    for section, columns in (("ppk", PPK), ("panitia", PANITIA), ("paket", PAKET)):
        for row, record in enumerate(data[section], start=2):
            record = dict(record, nama_paket=record.get("nama"))
            for column, name in enumerate(columns, start=1):
                value = record.get(name)
                if name in ("nip", "ppk_nip") and value is not None:
                    value = nip(value)
                workbook[section].cell(row, column, value)
    return workbook


def digest(path: Path) -> str:
    """The SHA-256 of a file, as the register records it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
