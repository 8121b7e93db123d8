"""Build the shipped examples/ (memos as units of the ministry send them).

Run ``python tools/make_examples.py``. The scanned example is printed to PDF
with LibreOffice when ``soffice`` is available; the committed PDF is kept
otherwise.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import yaml
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "examples"


def _kop(document, unit, address):
    for text, size, bold in (("KEMENTERIAN DALAM NEGERI REPUBLIK INDONESIA", 12, True),
                             (unit.upper(), 11, True), (address, 9, False)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.font.size = bold, Pt(size)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("NOTA DINAS").bold = True


def _closing(document, body, role, name, nip, place_date=None):
    document.add_paragraph(body)
    document.add_paragraph("Demikian disampaikan, atas perhatian dan kerja samanya diucapkan terima kasih.")
    lines = ([place_date] if place_date else []) + [role, "", "", name, f"NIP {nip}"]
    for line in lines:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def memo_tab(path, header, unit, body, signer, place_date=None):
    """Header as ``Label<TAB>: value`` paragraphs, as most units type it."""
    document = docx.Document()
    _kop(document, unit, "Jalan Medan Merdeka Utara Nomor 7, Jakarta Pusat 10110")
    for label, value in header:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(Pt(80))
        paragraph.add_run(label)
        paragraph.add_run("\t")
        paragraph.add_run(": " + value)
    _closing(document, body, *signer, place_date=place_date)
    document.save(path)


def memo_table(path, header, unit, body, signer):
    """Header as a borderless label / colon / value table."""
    document = docx.Document()
    _kop(document, unit, "Jalan Kramat Raya Nomor 132, Jakarta Pusat 10450")
    table = document.add_table(rows=0, cols=3)
    for label, value in header:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", value
    _closing(document, body, *signer)
    document.save(path)


BODY = ("Dalam rangka pelaksanaan pengadaan barang/jasa secara elektronik Tahun Anggaran 2027, "
        "bersama ini kami mohon fasilitasi pemanfaatan Sistem Pengadaan Secara Elektronik (SPSE) "
        "bagi PPK dan panitia pengadaan di lingkungan kami. Data PPK, panitia, paket dan pagu "
        "anggaran akan kami sampaikan menyusul.")


def main():
    OUT.mkdir(exist_ok=True)
    memo_table(OUT / "nota-dinas-bpsdm.docx", [
        ("Kepada Yth.", "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi"),
        ("Dari", "Ketua Unit Layanan Pengadaan Badan Pengembangan Sumber Daya Manusia"),
        ("Tanggal", "Jakarta, 12 Nopember 2026"), ("Nomor", "027/301/ULP-BPSDM/XI/2026"),
        ("Sifat", "Segera"), ("Lampiran", "-"),
        ("Perihal", "Permohonan Fasilitasi Pemanfaatan SPSE Tahun Anggaran 2027")],
        "Badan Pengembangan Sumber Daya Manusia", BODY,
        ("Ketua ULP,", "Ir. Retno Wulandari, M.M.", "19700515 199503 2 001"))
    memo_tab(OUT / "nota-dinas-dukcapil.docx", [
        ("Yth.", "Kepala Pusdatinkomtel"),
        ("Dari", "Ketua ULP Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
        ("Tembusan", "Direktur Jenderal Kependudukan dan Pencatatan Sipil"),
        ("Tanggal", "20-11-2026"), ("Nomor", "470/1123/ULP-DUKCAPIL/XI/2026"),
        ("Sifat", "Sangat Segera"), ("Lampiran", "1 (satu) berkas"),
        ("Hal", "Pendaftaran PPK dan Panitia Pengadaan pada SPSE")],
        "Direktorat Jenderal Kependudukan dan Pencatatan Sipil", BODY,
        ("Ketua ULP,", "Agus Salim Harahap, S.E., M.Ak.", "19780830 200212 1 003"))
    memo_tab(OUT / "nota-dinas-tanpa-nomor.docx", [
        ("Yth.", "Kepala Pusdatinkomtel"), ("Dari", "Ketua ULP Inspektorat Jenderal"),
        ("Tanggal", "19 November 2026"), ("Sifat", "Biasa"),
        ("Hal", "Permohonan Akun SPSE")],
        "Inspektorat Jenderal", BODY,
        ("Ketua ULP,", "Bambang Sutejo, S.H.", "19690101 199203 1 002"))
    sidecar = {
        "jenis": "nota_dinas", "nomor": "900/455/ULP-KEUDA/XI/2026", "tanggal": "17 November 2026",
        "dari": "Ketua Unit Layanan Pengadaan Direktorat Jenderal Bina Keuangan Daerah",
        "kepada": "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi",
        "sifat": "Biasa", "lampiran": "1 (satu) berkas",
        "hal": "Permohonan Pemanfaatan SPSE untuk Paket Pengadaan Tahun Anggaran 2027",
        "unit": "Direktorat Jenderal Bina Keuangan Daerah",
    }
    (OUT / "nota-dinas-keuda.yaml").write_text(
        "# Nota Dinas yang diterima dalam bentuk kertas; pindaiannya nota-dinas-keuda.pdf.\n"
        + yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _scan_pdf(sidecar)


def _scan_pdf(fields):
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice tidak ada; nota-dinas-keuda.pdf dibiarkan seperti adanya")
        return
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "nota-dinas-keuda.docx"
        header = [("Yth.", fields["kepada"]), ("Dari", fields["dari"]),
                  ("Tanggal", fields["tanggal"]), ("Nomor", fields["nomor"]),
                  ("Sifat", fields["sifat"]), ("Hal", fields["hal"])]
        memo_tab(source, header, fields["unit"], BODY,
                 ("Ketua ULP,", "Dra. Sri Handayani, M.Si.", "19720304 199803 2 002"))
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", temp, str(source)],
                       check=True, capture_output=True)
        shutil.copyfile(Path(temp) / "nota-dinas-keuda.pdf", OUT / "nota-dinas-keuda.pdf")


if __name__ == "__main__":
    main()
