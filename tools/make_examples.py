"""Build the shipped examples/ (memos as units of the ministry send them).

Run ``python tools/make_examples.py``. The scanned example is printed to PDF
with LibreOffice when ``soffice`` is available; the committed PDF is kept
otherwise. ``--demo-inbox DIR`` puts a PDF memo and a scanned memo, built
now and never committed, into DIR (``make demo``). ``--decide ROOT RUJUKAN``
makes every decision of one case by filling the decision forms in the
officials' folders of the workspace ROOT, then ``pipeline run`` (``make demo``).
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
    for text, size, bold in (
        ("KEMENTERIAN DALAM NEGERI REPUBLIK INDONESIA", 12, True),
        (unit.upper(), 11, True),
        (address, 9, False),
    ):
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


BODY = (
    "Dalam rangka pelaksanaan pengadaan barang/jasa secara elektronik Tahun Anggaran 2027, "
    "bersama ini kami mohon fasilitasi pemanfaatan Sistem Pengadaan Secara Elektronik (SPSE) "
    "bagi PPK dan panitia pengadaan di lingkungan kami. Data PPK, panitia, paket dan pagu "
    "anggaran akan kami sampaikan menyusul."
)


def main():
    OUT.mkdir(exist_ok=True)
    memo_table(
        OUT / "nota-dinas-bpsdm.docx",
        [
            ("Kepada Yth.", "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi"),
            ("Dari", "Ketua Unit Layanan Pengadaan Badan Pengembangan Sumber Daya Manusia"),
            ("Tanggal", "Jakarta, 12 Nopember 2026"),
            ("Nomor", "027/301/ULP-BPSDM/XI/2026"),
            ("Sifat", "Segera"),
            ("Lampiran", "-"),
            ("Perihal", "Permohonan Fasilitasi Pemanfaatan SPSE Tahun Anggaran 2027"),
        ],
        "Badan Pengembangan Sumber Daya Manusia",
        BODY,
        ("Ketua ULP,", "Ir. Retno Wulandari, M.M.", "19700515 199503 2 001"),
    )
    memo_tab(
        OUT / "nota-dinas-dukcapil.docx",
        [
            ("Yth.", "Kepala Pusdatinkomtel"),
            ("Dari", "Ketua ULP Direktorat Jenderal Kependudukan dan Pencatatan Sipil"),
            ("Tembusan", "Direktur Jenderal Kependudukan dan Pencatatan Sipil"),
            ("Tanggal", "20-11-2026"),
            ("Nomor", "470/1123/ULP-DUKCAPIL/XI/2026"),
            ("Sifat", "Sangat Segera"),
            ("Lampiran", "1 (satu) berkas"),
            ("Hal", "Pendaftaran PPK dan Panitia Pengadaan pada SPSE"),
        ],
        "Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
        BODY,
        ("Ketua ULP,", "Agus Salim Harahap, S.E., M.Ak.", "19780830 200212 1 003"),
    )
    memo_tab(
        OUT / "nota-dinas-tanpa-nomor.docx",
        [
            ("Yth.", "Kepala Pusdatinkomtel"),
            ("Dari", "Ketua ULP Inspektorat Jenderal"),
            ("Tanggal", "19 November 2026"),
            ("Sifat", "Biasa"),
            ("Hal", "Permohonan Akun SPSE"),
        ],
        "Inspektorat Jenderal",
        BODY,
        ("Ketua ULP,", "Bambang Sutejo, S.H.", "19690101 199203 1 002"),
    )
    sidecar = {
        "jenis": "nota_dinas",
        "nomor": "900/455/ULP-KEUDA/XI/2026",
        "tanggal": "17 November 2026",
        "dari": "Ketua Unit Layanan Pengadaan Direktorat Jenderal Bina Keuangan Daerah",
        "kepada": "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi",
        "sifat": "Biasa",
        "lampiran": "1 (satu) berkas",
        "hal": "Permohonan Pemanfaatan SPSE untuk Paket Pengadaan Tahun Anggaran 2027",
        "unit": "Direktorat Jenderal Bina Keuangan Daerah",
    }
    (OUT / "nota-dinas-keuda.yaml").write_text(
        "# Nota Dinas yang diterima dalam bentuk kertas; pindaiannya nota-dinas-keuda.pdf.\n"
        + yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    _scan_pdf(sidecar)
    _registrations()


BPSDM = "027/301/ULP-BPSDM/XI/2026"
DUKCAPIL = "470/1123/ULP-DUKCAPIL/XI/2026"


def _action(name, rujukan, langkah, **fields):
    data = {"jenis": "tindakan", "rujukan": rujukan, "langkah": langkah, **fields}
    (OUT / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _registrations():
    """Dispositions and data for two memos: one sound (CSV from Excel), one with errors (YAML)."""
    _action(
        "tindakan-bpsdm-1-disposisi-kapus.yaml",
        BPSDM,
        "disposisi_kapus",
        oleh="Dr. Ir. Suryo Wibowo, M.T.",
        kepada="Kepala Bidang Telematika",
        catatan="Proses lebih lanjut",
    )
    _action(
        "tindakan-bpsdm-2-disposisi-kabid.yaml",
        BPSDM,
        "disposisi_kabid",
        oleh="Ahmad Fauzi, S.Kom., M.M.",
        kepada="Kepala Subbidang Aplikasi",
        catatan="Koordinasikan/konfirmasikan dengan ULP BPSDM",
    )
    _action(
        "tindakan-bpsdm-3-otentikasi.yaml",
        BPSDM,
        "otentikasi",
        oleh="Dewi Lestari, S.T., M.Kom.",
        catatan="Dicocokkan dengan data SIMPEG dan DIPA BPSDM 2027",
    )
    rows = [
        "jenis;rujukan;nama;nip;jabatan;peran;email;telepon;no_sk;no_sertifikat;nama_paket;pagu;sumber_dana;metode;ppk_nip",
        f"ppk;{BPSDM};Ir. Retno Wulandari, M.M.;19700515 199503 2 001;Kepala Bagian Umum;;retno.w@kemendagri.go.id;0812-1111-2222;800/12/SK/BPSDM/2026;;;;;;",
        f"ppk;{BPSDM};Drs. Yohanes Situmorang;19680220 199303 1 002;Kepala Bagian Perencanaan;;yohanes.s@kemendagri.go.id;(021) 7940411;800/13/SK/BPSDM/2026;;;;;;",
        f"panitia;{BPSDM};André Kurniawan, S.Kom.;198402112009011003;;ketua;andre.k@kemendagri.go.id;;;L4.1101.0001.2025;;;;;",
        f"panitia;{BPSDM};Siti Nurhaliza, S.E.;198706302010122004;;sekretaris;siti.n@kemendagri.go.id;;;L4.1101.0002.2025;;;;;",
        f"panitia;{BPSDM};Bagus Pratama, S.T.;199001152015031001;;anggota;bagus.p@kemendagri.go.id;;;L4.1101.0003.2025;;;;;",
        f"paket;{BPSDM};;;;;;;;;Pembangunan Gedung Asrama Diklat;Rp12.500.000.000,00;APBN;pelelangan umum;197005151995032001",
        f"paket;{BPSDM};;;;;;;;;Pengadaan Peralatan Laboratorium Komputer;1.750.000.000;APBN;pelelangan sederhana;196802201993031002",
        f"paket;{BPSDM};;;;;;;;;Jasa Konsultansi Pengawasan Konstruksi;450000000;APBN;seleksi umum;197005151995032001",
    ]
    # Saved by Excel in an Indonesian locale: Windows-1252, semicolons, CRLF.
    (OUT / "registrasi-bpsdm.csv").write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    _action(
        "tindakan-dukcapil-1-disposisi-kapus.yaml",
        DUKCAPIL,
        "disposisi_kapus",
        kepada="Kepala Bidang Telematika",
        catatan="Proses lebih lanjut",
    )
    _action(
        "tindakan-dukcapil-2-disposisi-kabid.yaml",
        DUKCAPIL,
        "disposisi_kabid",
        kepada="Kepala Subbidang Aplikasi",
        catatan="Proses lebih lanjut",
    )
    data = {
        "jenis": "registrasi",
        "rujukan": DUKCAPIL,
        "unit": "Direktorat Jenderal Kependudukan dan Pencatatan Sipil",
        "tahun_anggaran": 2027,
        "ppk": [
            {
                "nama": "Agus Salim Harahap, S.E., M.Ak.",
                "nip": "19780830 200212 1 003",
                "jabatan": "Kepala Bagian Keuangan",
                "email": "agus.harahap@kemendagri.go.id",
                "telepon": "0813-2222-3333",
                "no_sk": "470/88/SK/DUKCAPIL/2026",
            }
        ],
        "panitia": [
            {
                "nama": "Lina Marpaung, S.Kom.",
                "nip": "198505052010122000",
                "peran": "ketua",
                "no_sertifikat": "L4.2201.0001.2025",
                "email": "lina.m@kemendagri.go.id",
            },
            {
                "nama": "Rudi Hartono, S.T.",
                "nip": "198811112014021002",
                "peran": "anggota",
                "email": "rudi.h@kemendagri",
            },
        ],
        "paket": [
            {
                "nama": "Pengadaan Blangko KTP Elektronik",
                "pagu": "Rp 95.000.000.000",
                "sumber_dana": "APBN",
                "metode": "pelelangan umum",
                "ppk_nip": "197808302002121003",
            }
        ],
    }
    (OUT / "registrasi-dukcapil.yaml").write_text(
        "# Data registrasi dengan kesalahan, untuk melihat Daftar Verifikasi dan Konsep Nota Dinas\n"
        "# pengembalian: NIP ketua bernomor urut 000, e-mail anggota tidak sah, panitia hanya 2 orang,\n"
        "# dan anggota tanpa nomor sertifikat.\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )


def _scan_pdf(fields):
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice tidak ada; nota-dinas-keuda.pdf dibiarkan seperti adanya")
        return
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / "nota-dinas-keuda.docx"
        header = [
            ("Yth.", fields["kepada"]),
            ("Dari", fields["dari"]),
            ("Tanggal", fields["tanggal"]),
            ("Nomor", fields["nomor"]),
            ("Sifat", fields["sifat"]),
            ("Hal", fields["hal"]),
        ]
        memo_tab(
            source, header, fields["unit"], BODY, ("Ketua ULP,", "Dra. Sri Handayani, M.Si.", "19720304 199803 2 002")
        )
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", temp, str(source)],
            check=True,
            capture_output=True,
        )
        shutil.copyfile(Path(temp) / "nota-dinas-keuda.pdf", OUT / "nota-dinas-keuda.pdf")


def demo_arrivals(inbox):
    """For ``make demo``: a memo that arrives as a PDF exported from Word (read from its text layer)
    and a paper memo scanned to PNG at 200 dpi (read by OCR into a draft staff confirm); built here,
    never committed. Needs LibreOffice (and poppler for the scan)."""
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice tidak ada; contoh Nota Dinas PDF dan pindaian tidak dibuat")
        return
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        memo_tab(
            temp / "nota-dinas-polpum.docx",
            [
                ("Yth.", "Kepala Pusdatinkomtel"),
                ("Dari", "Ketua ULP Ditjen Politik dan Pemerintahan Umum"),
                ("Tanggal", "23 November 2026"),
                ("Nomor", "200/877/ULP-POLPUM/XI/2026"),
                ("Sifat", "Segera"),
                ("Lampiran", "-"),
                ("Hal", "Permohonan Fasilitasi Pemanfaatan SPSE"),
            ],
            "Direktorat Jenderal Politik dan Pemerintahan Umum",
            BODY,
            ("Ketua ULP,", "Hendra Gunawan, S.Sos., M.Si.", "19750612 200003 1 004"),
        )
        memo_tab(
            temp / "nota-dinas-bangda.docx",
            [
                ("Yth.", "Kepala Pusdatinkomtel"),
                ("Dari", "Ketua ULP Direktorat Jenderal Bina Pembangunan Daerah"),
                ("Tanggal", "24 November 2026"),
                ("Nomor", "050/932/ULP-BANGDA/XI/2026"),
                ("Sifat", "Biasa"),
                ("Hal", "Permohonan Akun SPSE bagi PPK"),
            ],
            "Direktorat Jenderal Bina Pembangunan Daerah",
            BODY,
            ("Ketua ULP,", "Rina Marlina, S.E.", "19800214 200501 2 006"),
        )
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={(temp / 'profil').as_uri()}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(temp),
                str(temp / "nota-dinas-polpum.docx"),
                str(temp / "nota-dinas-bangda.docx"),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.copyfile(temp / "nota-dinas-polpum.pdf", inbox / "nota-dinas-polpum.pdf")
        if shutil.which("pdftoppm"):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "200",
                    "-gray",
                    "-png",
                    "-singlefile",
                    str(temp / "nota-dinas-bangda.pdf"),
                    str(temp / "pindaian"),
                ],
                check=True,
                capture_output=True,
                timeout=120,
            )
            shutil.copyfile(temp / "pindaian.png", inbox / "nota-dinas-bangda-pindaian.png")


# What each official answers on the BPSDM case's decision forms in ``make demo``.
DEMO_DECISIONS = {
    "disposisi_kapus": {
        "kepada": "Kepala Bidang Telematika",
        "harap": ["Proses lebih lanjut"],
        "catatan": "Mohon segera ditelaah",
    },
    "disposisi_kabid": {
        "kepada": "Kepala Subbidang Aplikasi",
        "harap": ["Koordinasikan/konfirmasikan"],
        "catatan": "Koordinasikan dengan ULP BPSDM",
    },
    "otentikasi": {"catatan": "Dicocokkan dengan data SIMPEG dan DIPA BPSDM 2027"},
    "periksa": {"keputusan": "Setujui", "catatan": "Konsep Nota Dinas sudah sesuai"},
    "setujui": {"keputusan": "Setujui"},
}


def decide(root, rujukan):
    """For ``make demo``: every decision of the case ``rujukan`` made as its officials make it, by
    filling the form in their folder keputusan/<account>/ (as Word saves it), then ``pipeline run``."""
    import sys

    from fill_form import fill

    from pipeline.config import load
    from pipeline.documents.contexts import HARAP
    from pipeline.readers import decision_form
    from pipeline.register import open_register

    config = load(root / "config.yaml")
    with open_register(config, writer=False) as register:
        [case] = register.find_cases(rujukan)
    for _ in range(len(DEMO_DECISIONS) + 1):
        waiting = [
            (path, decision_form.read(path, HARAP))
            for path in sorted(config.decisions_dir.glob("*/*.docx"))
            if decision_form.is_form(path)
        ]
        mine = [(path, form) for path, form in waiting if form.kasus == case.id and form.langkah in DEMO_DECISIONS]
        if not mine:
            return
        path, form = mine[0]
        print(f"\n== Akun {path.parent.name} membuka {path.relative_to(config.root)}, mengisi dan menyimpannya ==")
        fill(path, **DEMO_DECISIONS[form.langkah])
        subprocess.run([sys.executable, "-m", "pipeline", "--config", str(root / "config.yaml"), "run"], check=True)


def single_user(config_path):
    """For ``make demo``: one account holds every role, so decisions are taken from the inbox too
    (``access.keputusan_dari_inbox: true``; the Dukcapil case's dispositions are action files)."""
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(
        text.replace("  keputusan_dari_inbox: false", "  keputusan_dari_inbox: true", 1), encoding="utf-8"
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--demo-inbox"]:
        demo_arrivals(Path(sys.argv[2]))
        single_user(Path(sys.argv[2]).parent / "config.yaml")
    elif sys.argv[1:2] == ["--decide"]:
        decide(Path(sys.argv[2]), sys.argv[3])
    else:
        main()
