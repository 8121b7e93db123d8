"""Build the default Word templates shipped in pipeline/defaults/templates.

Run ``python tools/make_templates.py`` after changing a layout here. Staff
edit the copies in their workspace's templates/ folder with Word; these are
only the starting point. Each placeholder sits in a run of its own so Word
keeps it intact.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "defaults" / "templates"
FONT = "Arial"


def new_document(width_mm, height_mm, margins_mm=(12, 15, 12, 15)):
    """A document with the page size, margins and base font of a form."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width_mm), Mm(height_mm)
    top, right, bottom, left = margins_mm
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.font.size = Pt(9)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing = 1.0
    document.core_properties.author = "Pusdatinkomtel"
    return document


def para(container, text="", size=None, bold=False, align=None, space_after=0, space_before=0):
    """Add a paragraph with one run; return it."""
    paragraph = container.add_paragraph()
    if text:
        run(paragraph, text, size=size, bold=bold)
    if align:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(space_before)
    return paragraph


def run(paragraph, text, size=None, bold=False, italic=False):
    """Add a run; placeholders must each live in one run."""
    result = paragraph.add_run(text)
    result.bold = bold
    result.italic = italic
    if size:
        result.font.size = Pt(size)
    return result


def bottom_rule(paragraph):
    """The thick-thin double line under a letterhead (kop surat)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "thickThinSmallGap"), ("sz", "18"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)


def letterhead(document):
    """Kop surat from config: ministry, unit, address, contact, double rule."""
    center = WD_ALIGN_PARAGRAPH.CENTER
    para(document, "{{ kop.ministry }}", size=11, bold=True, align=center)
    para(document, "{{ kop.name }}", size=10, bold=True, align=center)
    para(document, "{{ kop.address }}", size=7.5, align=center)
    last = para(document, "{{ kop.contact }}", size=7.5, align=center, space_after=2)
    bottom_rule(last)


def labelled(cell_or_doc, label, value, label_cm, first=False, size=None):
    """``Label : value`` with the value aligned after the colon on every line."""
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(label_cm + 0.35)
    fmt.first_line_indent = -Cm(label_cm + 0.35)
    fmt.tab_stops.add_tab_stop(Cm(label_cm))
    fmt.tab_stops.add_tab_stop(Cm(label_cm + 0.35))
    fmt.space_after = Pt(2)
    run(paragraph, label, size=size)
    run(paragraph, "\t:\t", size=size)
    run(paragraph, value, size=size, bold=False)
    return paragraph


def set_widths(table, widths_cm):
    """Column widths in both places Word and LibreOffice read them (grid and cells)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_cm):
        column.set(qn("w:w"), str(int(width * 567)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def cell_margins(table, cm=0.12):
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:w"), str(int(cm * 567)))
        node.set(qn("w:type"), "dxa")
        margins.append(node)
    tblpr.append(margins)


def row_height(row, cm):
    trpr = row._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(int(cm * 567)))
    height.set(qn("w:hRule"), "atLeast")
    trpr.append(height)


def lembar_disposisi():
    """Lembar Disposisi on A5: the form a memo travels with down the chain."""
    document = new_document(148, 210, (10, 15, 10, 15))
    letterhead(document)
    para(
        document, "LEMBAR DISPOSISI", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6, space_after=6
    )

    head = document.add_table(rows=7, cols=2, style="Table Grid")
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(head)
    rows = head.rows

    def full(row):
        return row.cells[0].merge(row.cells[1])

    labelled(full(rows[0]), "Surat dari", "{{ memo.dari }}", 2.2, first=True)
    labelled(full(rows[1]), "Nomor surat", "{{ memo.nomor }}", 2.2, first=True)
    labelled(
        full(rows[2]),
        "Klasifikasi",
        "{{ (klasifikasi.kode ~ ' ' ~ klasifikasi.judul) | trim if klasifikasi.kode else '-' }}",
        2.2,
        first=True,
    )
    labelled(rows[3].cells[0], "Tanggal surat", "{{ memo.tanggal | tanggal }}", 2.2, first=True)
    labelled(rows[3].cells[1], "Diterima tgl.", "{{ diterima | tanggal }}", 2.5, first=True)
    labelled(rows[4].cells[0], "Lampiran", "{{ memo.lampiran or '-' }}", 2.2, first=True)
    labelled(rows[4].cells[1], "Nomor agenda", "{{ nomor_agenda }}", 2.5, first=True)
    sifat = full(rows[5]).paragraphs[0]
    sifat.paragraph_format.tab_stops.add_tab_stop(Cm(2.2))
    sifat.paragraph_format.space_after = Pt(2)
    run(sifat, "Sifat\t:  ")
    for option in ("Sangat Segera", "Segera", "Rahasia", "Biasa"):
        run(sifat, "{{ memo.sifat | tanda('%s') }}" % option, size=10)
        run(sifat, " " + option + "    ")
    labelled(full(rows[6]), "Hal", "{{ memo.hal }}", 2.2, first=True)
    set_widths(head, (5.9, 5.9))
    # One line per electronic signature the incoming letter carries; none when it is unsigned.
    document.add_paragraph("{%p for t in tte_masuk %}")
    para(document, "{{ t }}", size=8, space_before=3)
    document.add_paragraph("{%p endfor %}")

    para(document, "", space_after=4)
    chain = document.add_table(rows=4, cols=4, style="Table Grid")
    chain.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(chain)
    for cell, text in zip(chain.rows[0].cells, ("No.", "Diteruskan kepada", "Tanggal", "Paraf")):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        run(cell.paragraphs[0], text, bold=True)
    chain.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in rantai %}")
    number, target, date, _ = chain.rows[2].cells
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(number.paragraphs[0], "{{ r.no }}.")
    run(target.paragraphs[0], "{{ r.jabatan }}", bold=True, size=8)
    run(para(target), "{{ r.nama }}", size=7.5)
    run(date.paragraphs[0], "{{ r.tanggal }}", size=8)
    row_height(chain.rows[2], 0.8)
    chain.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    set_widths(chain, (0.9, 6.9, 2.2, 1.8))

    para(document, "", space_after=4)
    notes = document.add_table(rows=1, cols=2, style="Table Grid")
    notes.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(notes)
    wish, remark = notes.rows[0].cells
    run(wish.paragraphs[0], "Dengan hormat harap:", bold=True)
    for option in (
        "Tanggapan dan saran",
        "Proses lebih lanjut",
        "Koordinasikan/konfirmasikan",
        "Untuk diketahui",
        "Untuk diselesaikan",
        "Arsip",
    ):
        line = wish.add_paragraph()
        line.paragraph_format.left_indent = Cm(0.2)
        run(line, "{{ harap | tanda('%s') }}" % option, size=10)
        run(line, " " + option)
    run(remark.paragraphs[0], "Catatan:", bold=True)
    run(remark.add_paragraph(), "{{ catatan }}")
    row_height(notes.rows[0], 2.4)
    set_widths(notes, (5.3, 6.5))

    para(
        document,
        "PERHATIAN: Dilarang memisahkan sehelai surat pun yang tergabung dalam berkas ini",
        size=8,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        space_before=4,
    )
    footer_note(document, qr_cm=1.7, text_cm=10.1, qr="keaslian.qr_kecil")
    document.core_properties.title = "Lembar Disposisi"
    return document


def shade(cell, fill="D9D9D9"):
    tcpr = cell._tc.get_or_add_tcPr()
    node = OxmlElement("w:shd")
    node.set(qn("w:val"), "clear")
    node.set(qn("w:color"), "auto")
    node.set(qn("w:fill"), fill)
    tcpr.append(node)


def repeat_header(row):
    """Repeat this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    node = OxmlElement("w:tblHeader")
    node.set(qn("w:val"), "true")
    trpr.append(node)


def cant_split(row):
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
CENTER = WD_ALIGN_PARAGRAPH.CENTER


def loop_table(container, headers, cells, widths, loop, size=8.5, align=None, total=None):
    """A bordered table: repeated header row, then one row per item of ``loop``.

    ``cells`` are the Jinja expressions of the repeated row; ``total`` an
    optional closing row (label, value) under the last column.
    """
    table = container.add_table(rows=4, cols=len(headers), style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(table, 0.1)
    head, opener, body, closer = table.rows
    for cell, text in zip(head.cells, headers):
        cell.paragraphs[0].alignment = CENTER
        run(cell.paragraphs[0], text, bold=True, size=size)
        shade(cell)
    repeat_header(head)
    opener.cells[0].paragraphs[0].add_run("{%%tr for %s %%}" % loop)
    for index, (cell, text) in enumerate(zip(body.cells, cells)):
        if align and align[index]:
            cell.paragraphs[0].alignment = align[index]
        run(cell.paragraphs[0], text, size=size)
    cant_split(body)
    closer.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    if total:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-2])
        merged.paragraphs[0].alignment = RIGHT
        run(merged.paragraphs[0], total[0], bold=True, size=size)
        row.cells[-1].paragraphs[0].alignment = RIGHT
        run(row.cells[-1].paragraphs[0], total[1], bold=True, size=size)
    set_widths(table, widths)
    return table


def heading(document, text, size=10, space_before=8):
    return para(document, text, size=size, bold=True, space_before=space_before, space_after=3)


def title(document, *lines):
    para(document, lines[0], size=12, bold=True, align=CENTER, space_before=8)
    for line in lines[1:]:
        para(document, line, size=10, bold=True, align=CENTER)
    para(document, "", space_after=4)


def info(document, rows, label_cm=3.6):
    for label, value in rows:
        labelled(document, label, value, label_cm, size=9.5)


def bookmark(paragraph, name, ident):
    """A named place in the text; LibreOffice turns it into a PDF destination (the TTE stamp goes there)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(ident))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(ident))
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def signature(container, intro, role, who, align_cm=9.5, stamp=False, room=3):
    """Place, date, position, room to sign (``room`` lines), name and NIP: the Indonesian signature block.

    With ``stamp`` the room to sign is bookmarked ``TTE``: an electronic signature's stamp goes there.
    """
    lines = [
        (intro, False),
        (f"{{{{ {role} }}}}", False),
        *[("", False)] * room,
        (f"{{{{ {who}.nama }}}}", True),
        (f"NIP {{{{ {who}.nip | nip }}}}", False),
    ]
    for index, (text, bold) in enumerate(lines):
        paragraph = container.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(align_cm)
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1  # the block never splits
        if stamp and index == 2:
            bookmark(paragraph, "TTE", 90)
        if text:
            result = run(paragraph, text, bold=bold, size=10)
            result.underline = bold


def case_info(document):
    info(
        document,
        [
            ("Unit kerja", "{{ unit }}"),
            ("Tahun anggaran", "{{ data.tahun_anggaran }}"),
            (
                "Dasar",
                "Nota Dinas {{ memo.dari }} Nomor {{ memo.nomor }} tanggal {{ memo.tanggal | tanggal }} "
                "hal {{ memo.hal }}",
            ),
            ("Nomor agenda / kasus", "{{ nomor_agenda }} / {{ kasus }}"),
            ("Data diterima", "{{ data_diterima | waktu }} ({{ data_berkas }})"),
        ],
    )


def no_borders(table):
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{side}")
        node.set(qn("w:val"), "nil")
        borders.append(node)
    tblpr.append(borders)


def footer_note(document, qr_cm=2.2, text_cm=13.0, qr="keaslian.qr"):
    """The verification block in the page footer, so it is on every page and never makes a page of
    its own: QR, code, how to check, case, page number."""
    section = document.sections[0]
    section.footer_distance = Mm(6)
    footer = section.footer
    footer.is_linked_to_previous = False
    table = footer.add_table(rows=1, cols=2, width=Cm(qr_cm + text_cm))
    no_borders(table)
    cell_margins(table, 0.05)
    qr_cell, text_cell = table.rows[0].cells
    run(qr_cell.paragraphs[0], "{{ %s }}" % qr)
    first = text_cell.paragraphs[0]
    run(first, "Kode verifikasi: ", size=7.5)
    run(first, "{{ keaslian.kode }}", size=9, bold=True)
    for text in (
        "Keaslian dokumen ini dapat diperiksa dengan memindai kode QR di samping, atau dengan "
        "perintah \u201cpipeline verify --kode {{ keaslian.kode }}\u201d.",
        "Kasus {{ kasus }} \u00b7 {{ sop_code }} \u00b7 dicetak {{ dicetak | waktu }} \u00b7 halaman ",
    ):
        last = text_cell.add_paragraph()
        run(last, text, size=6.5, italic=True)
    page_field(last, "PAGE", size=6.5)
    run(last, " dari ", size=6.5, italic=True)
    page_field(last, "NUMPAGES", size=6.5)
    set_widths(table, (qr_cm, text_cm))
    footer.paragraphs[0].paragraph_format.space_after = Pt(0)


def page_field(paragraph, name, size):
    """A Word field (PAGE, NUMPAGES) the reader's word processor fills in."""
    for kind, text in (("begin", None), (None, f" {name} "), ("separate", None), (None, "1"), ("end", None)):
        element = paragraph.add_run()
        element.italic = True
        element.font.size = Pt(size)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            element._r.append(char)
        elif text.strip() == name:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            element._r.append(instr)
        else:
            element.text = text


def daftar_data():
    """Step 5: Daftar PPK, Panitia Pengadaan, Paket Lelang dan Pagu Anggaran (A4 landscape)."""
    document = new_document(297, 210, (10, 15, 10, 20))
    letterhead(document)
    title(document, "DAFTAR PPK, PANITIA PENGADAAN, PAKET LELANG DAN PAGU ANGGARAN", "{{ unit | upper }}")
    case_info(document)
    heading(document, "A. Pejabat Pembuat Komitmen (PPK)")
    loop_table(
        document,
        ["No.", "Nama", "NIP", "Jabatan", "Nomor SK", "E-mail", "Telepon"],
        [
            "{{ loop.index }}",
            "{{ r.nama or '-' }}",
            "{{ r.nip | nip }}",
            "{{ r.jabatan or '-' }}",
            "{{ r.no_sk or '-' }}",
            "{{ r.email or '-' }}",
            "{{ r.telepon or '-' }}",
        ],
        (1.0, 4.4, 4.2, 4.0, 4.4, 5.4, 2.8),
        "r in data.ppk",
        align=[CENTER] + [None] * 6,
    )
    heading(document, "B. Panitia Pengadaan")
    loop_table(
        document,
        ["No.", "Nama", "NIP", "Peran", "Nomor Sertifikat", "E-mail", "Telepon"],
        [
            "{{ loop.index }}",
            "{{ r.nama or '-' }}",
            "{{ r.nip | nip }}",
            "{{ (r.peran or '-') | capitalize }}",
            "{{ r.no_sertifikat or '-' }}",
            "{{ r.email or '-' }}",
            "{{ r.telepon or '-' }}",
        ],
        (1.0, 4.8, 4.2, 2.4, 4.2, 6.8, 2.8),
        "r in data.panitia",
        align=[CENTER] + [None] * 6,
    )
    heading(document, "C. Paket Lelang dan Pagu Anggaran")
    loop_table(
        document,
        ["No.", "Nama Paket", "Metode", "Sumber Dana", "PPK", "Pagu Anggaran"],
        [
            "{{ loop.index }}",
            "{{ r.nama or '-' }}",
            "{{ r.metode or '-' }}",
            "{{ r.sumber_dana or '-' }}",
            "{{ r.ppk_nama }}",
            "{{ r.pagu | rupiah }}",
        ],
        (1.0, 9.8, 4.0, 2.8, 5.2, 4.0),
        "r in data.paket",
        align=[CENTER, None, None, None, None, RIGHT],
        total=("Jumlah", "{{ data.jumlah.pagu_total | rupiah }}"),
    )
    # terbilang and the signature side by side: a landscape page has little height to spare
    closing = document.add_table(rows=1, cols=2)
    no_borders(closing)
    cell_margins(closing, 0.05)
    words, sign = closing.rows[0].cells
    run(words.paragraphs[0], "Terbilang: {{ data.jumlah.pagu_total | terbilang }}", size=9, italic=True)
    sign._tc.remove(sign.paragraphs[0]._p)
    signature(sign, "{{ kota }}, {{ tanggal | tanggal }}", "kasubbid.jabatan + ','", "kasubbid", 0, room=2)
    set_widths(closing, (16.7, 9.5))
    footer_note(document, qr_cm=1.5)
    return document


def check_list(title_text, basis_label):
    """Steps 6 and 7: every record, every check, its result, and the conclusion."""
    document = new_document(210, 297, (15, 15, 15, 20))
    letterhead(document)
    title(document, title_text, "{{ unit | upper }}")
    case_info(document)
    info(document, [(basis_label, "{{ dasar }}")])
    info(document, [("Ringkasan", "{{ ringkasan }}")])
    para(document, "", space_after=3)
    loop_table(
        document,
        ["No.", "Data", "Pemeriksaan dan hasilnya", "Hasil", "Keterangan"],
        ["{{ loop.index }}", "{{ c.record }}", "{{ c.name }}", "{{ c.hasil }}", "{{ c.message or '-' }}"],
        (1.0, 5.0, 5.0, 1.9, 4.6),
        "c in pemeriksaan",
        align=[CENTER, None, None, CENTER, None],
    )
    conclusion = para(document, "", size=10, space_before=8)
    run(conclusion, "Kesimpulan: ", bold=True, size=10)
    run(conclusion, "{{ kesimpulan }}", size=10)
    para(document, "")
    signature(document, "{{ kota }}, {{ tanggal | tanggal }}", "kasubbid.jabatan + ','", "kasubbid", 9.5)
    footer_note(document)
    return document


def daftar_verifikasi():
    return check_list("DAFTAR VERIFIKASI DATA PEMANFAATAN SPSE", "Dasar verifikasi")


def daftar_otentifikasi():
    return check_list("DAFTAR OTENTIFIKASI DATA PEMANFAATAN SPSE", "Dasar otentikasi")


def laporan_kesiapan():
    """Step 8: the draft readiness report with totals, Rupiah and terbilang."""
    document = new_document(210, 297, (20, 20, 20, 25))
    document.styles["Normal"].font.size = Pt(10.5)
    para(document, "DRAFT", size=14, bold=True, align=RIGHT)
    letterhead(document)
    title(
        document,
        "LAPORAN KESIAPAN PEMANFAATAN",
        "SISTEM PENGADAAN SECARA ELEKTRONIK (SPSE)",
        "{{ unit | upper }}",
        "TAHUN ANGGARAN {{ data.tahun_anggaran }}",
    )
    heading(document, "I. Dasar")
    for text in (
        "1.\t{{ sop_code }} tentang {{ sop_title }}.",
        "2.\tNota Dinas {{ memo.dari }} Nomor {{ memo.nomor }} tanggal {{ memo.tanggal | tanggal }} "
        "hal {{ memo.hal }}, tercatat dengan nomor agenda {{ nomor_agenda }}.",
    ):
        item = para(document, text, size=10.5, space_after=2)
        item.paragraph_format.left_indent = Cm(0.8)
        item.paragraph_format.first_line_indent = Cm(-0.6)
    heading(document, "II. Data yang Diterima")
    summary = document.add_table(rows=4, cols=2, style="Table Grid")
    cell_margins(summary, 0.12)
    rows = [
        ("Pejabat Pembuat Komitmen (PPK)", "{{ data.jumlah.ppk }} orang"),
        ("Anggota panitia pengadaan", "{{ data.jumlah.panitia }} orang"),
        ("Paket lelang", "{{ data.jumlah.paket }} paket"),
        ("Jumlah pagu anggaran", "{{ data.jumlah.pagu_total | rupiah }}"),
    ]
    for row, (label, value) in zip(summary.rows, rows):
        run(row.cells[0].paragraphs[0], label, size=10)
        row.cells[1].paragraphs[0].alignment = RIGHT
        run(row.cells[1].paragraphs[0], value, size=10, bold=True)
    set_widths(summary, (9.0, 7.0))
    para(document, "Terbilang: {{ data.jumlah.pagu_total | terbilang }}.", size=10, space_before=3)
    para(document, "Rekapitulasi paket menurut metode pengadaan:", size=10, space_before=6, space_after=3)
    loop_table(
        document,
        ["Metode Pengadaan", "Jumlah Paket", "Pagu Anggaran"],
        ["{{ m.metode | capitalize }}", "{{ m.jumlah }}", "{{ m.pagu | rupiah }}"],
        (7.0, 3.0, 6.0),
        "m in data.per_metode",
        size=9.5,
        align=[None, CENTER, RIGHT],
        total=("Jumlah", "{{ data.jumlah.pagu_total | rupiah }}"),
    )
    heading(document, "III. Hasil Verifikasi")
    para(document, "{{ verifikasi }}", size=10.5)
    heading(document, "IV. Hasil Otentikasi")
    para(document, "{{ otentikasi }}", size=10.5)
    heading(document, "V. Kesimpulan")
    para(
        document,
        "Berdasarkan hasil verifikasi dan otentikasi di atas, {{ unit }} dinyatakan siap "
        "memanfaatkan SPSE untuk Tahun Anggaran {{ data.tahun_anggaran }} dengan {{ data.jumlah.ppk }} "
        "akun PPK, {{ data.jumlah.panitia }} akun panitia pengadaan, dan {{ data.jumlah.paket }} paket "
        "dengan jumlah pagu {{ data.jumlah.pagu_total | rupiah }} ({{ data.jumlah.pagu_total | terbilang }}).",
        size=10.5,
    ).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para(document, "")
    signature(document, "{{ kota }}, {{ tanggal | tanggal }}", "kasubbid.jabatan + ','", "kasubbid", 9.0)
    footer_note(document)
    return document


def nota_dinas():
    """Steps 9-10: the reply Nota Dinas, marked KONSEP and unnumbered until approved."""
    document = new_document(210, 297, (20, 20, 20, 25))
    document.styles["Normal"].font.size = Pt(11)
    para(document, "{{ tanda_konsep }}", size=16, bold=True, align=RIGHT)
    letterhead(document)
    heading_para = para(document, "NOTA DINAS", size=12, bold=True, align=CENTER, space_before=8, space_after=8)
    heading_para.runs[0].underline = True
    for label, value in (
        ("Yth.", "{{ kepada }}"),
        ("Dari", "{{ kapus.jabatan }}"),
        ("Tembusan", "{{ tembusan }}"),
        ("Tanggal", "{{ tanggal_surat }}"),
        ("Nomor", "{{ nomor_surat }}"),
        ("Sifat", "{{ sifat }}"),
        ("Lampiran", "{{ lampiran }}"),
        ("Hal", "{{ hal }}"),
    ):
        labelled(document, label, value, 2.4, size=11)
    rule = para(document, "", space_after=6)
    bottom_rule(rule)
    document.add_paragraph("{%p for isi in paragraf %}")
    body = para(document, "{{ isi }}", size=11, space_after=6)
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1.0)
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p for butir in daftar %}")
    item = para(document, "{{ loop.index }}.\t{{ butir }}", size=11, space_after=2)
    item.paragraph_format.left_indent = Cm(1.6)
    item.paragraph_format.first_line_indent = Cm(-0.6)
    document.add_paragraph("{%p endfor %}")
    closing = para(document, "{{ penutup }}", size=11, space_before=6)
    closing.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    closing.paragraph_format.first_line_indent = Cm(1.0)
    para(document, "")
    signature(document, "", "kapus.jabatan + ','", "kapus", 8.5, stamp=True)
    document.add_paragraph("{%p if tte %}")
    for text in (
        "Dokumen ini telah ditandatangani secara elektronik menggunakan sertifikat elektronik yang "
        "diterbitkan oleh Balai Besar Sertifikasi Elektronik (BSrE), Badan Siber dan Sandi Negara.",
        "Sesuai ketentuan peraturan perundang-undangan, dokumen elektronik dan hasil cetaknya merupakan "
        "alat bukti hukum yang sah dan tidak memerlukan tanda tangan basah maupun cap.",
    ):
        note = para(document, text, size=7.5, space_before=2)
        note.runs[0].italic = True
    document.add_paragraph("{%p endif %}")
    footer_note(document)
    return document


def report_footer(document):
    """The page footer of the performance report: what it is, when printed, the page number."""
    section = document.sections[0]
    section.footer_distance = Mm(6)
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = CENTER
    run(
        paragraph,
        "Laporan kinerja {{ sop_code }} \u00b7 {{ periode }} \u00b7 dicetak {{ dicetak }} \u00b7 halaman ",
        size=7,
        italic=True,
    )
    page_field(paragraph, "PAGE", size=7)
    run(paragraph, " dari ", size=7, italic=True)
    page_field(paragraph, "NUMPAGES", size=7)


def section_heading(document, text):
    """A numbered section's heading, kept on the page of the table it opens."""
    heading(document, text).paragraph_format.keep_with_next = True


def laporan_kinerja():
    """The SOP performance report for the Kapus (``pipeline laporan --pdf``), A4 portrait."""
    document = new_document(210, 297, (18, 15, 18, 20))
    document.styles["Normal"].font.size = Pt(10)
    letterhead(document)
    title(document, "LAPORAN KINERJA PELAKSANAAN SOP", "{{ sop_code }}", "PERIODE {{ periode | upper }}")
    info(
        document,
        [
            ("Kepada", "Yth. {{ kapus.jabatan }}"),
            ("Prosedur", "{{ sop_title }}"),
            ("Periode", "{{ dari }} s.d. {{ sampai }}"),
            ("Jam kerja", "{{ jam_kerja }}"),
        ],
    )
    section_heading(document, "I. Ringkasan Permohonan")
    loop_table(
        document,
        ["Uraian", "Jumlah"],
        ["{{ r.uraian }}", "{{ r.nilai }}"],
        (12.0, 5.0),
        "r in ringkasan",
        size=9.5,
        align=[None, RIGHT],
    )
    section_heading(document, "II. Waktu Setiap Langkah terhadap Target SOP")
    loop_table(
        document,
        [
            "No",
            "Langkah",
            "Target",
            "Jumlah",
            "Median kalender",
            "P90 kalender",
            "Median jam kerja",
            "P90 jam kerja",
            "Sesuai target",
        ],
        [
            "{{ s.no }}",
            "{{ s.nama }}",
            "{{ s.target }}",
            "{{ s.jumlah }}",
            "{{ s.median_kalender }}",
            "{{ s.p90_kalender }}",
            "{{ s.median_kerja }}",
            "{{ s.p90_kerja }}",
            "{{ s.sesuai }}",
        ],
        (0.8, 5.2, 1.4, 1.3, 1.7, 1.6, 1.7, 1.6, 1.6),
        "s in langkah",
        size=8,
        align=[CENTER, None, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
    )
    section_heading(document, "III. Waktu Tunggu Keputusan Pejabat")
    loop_table(
        document,
        ["Pejabat", "Langkah", "Jumlah", "Median kalender", "P90 kalender", "Median jam kerja", "P90 jam kerja"],
        [
            "{{ p.peran }}",
            "{{ p.langkah }}",
            "{{ p.jumlah }}",
            "{{ p.median_kalender }}",
            "{{ p.p90_kalender }}",
            "{{ p.median_kerja }}",
            "{{ p.p90_kerja }}",
        ],
        (4.1, 2.0, 1.5, 2.4, 2.3, 2.4, 2.3),
        "p in peran",
        size=8.5,
        align=[None, CENTER, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
    )
    section_heading(document, "IV. Permohonan per Unit Kerja")
    loop_table(
        document,
        [
            "Unit kerja",
            "Diterima",
            "Selesai",
            "Terbuka",
            "Dikembalikan",
            "Median lama (kalender)",
            "Median lama (jam kerja)",
        ],
        [
            "{{ u.unit }}",
            "{{ u.diterima }}",
            "{{ u.selesai }}",
            "{{ u.terbuka }}",
            "{{ u.dikembalikan }}",
            "{{ u.lama_kalender }}",
            "{{ u.lama_kerja }}",
        ],
        (4.6, 1.6, 1.6, 1.6, 2.4, 2.6, 2.6),
        "u in unit",
        size=8.5,
        align=[None, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
    )
    section_heading(document, "V. Alasan Pengembalian (Tolak)")
    loop_table(
        document,
        ["Alasan", "Jumlah"],
        ["{{ a.alasan }}", "{{ a.jumlah }}"],
        (14.0, 3.0),
        "a in alasan",
        size=9,
        align=[None, RIGHT],
    )
    para(document, "{{ catatan }}", size=8.5, space_before=6).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para(document, "")
    signature(document, "{{ kota }}, {{ tanggal }}", "kasubbid.jabatan + ','", "kasubbid", 9.0)
    report_footer(document)
    return document


TEMPLATES = {
    "lembar_disposisi.docx": lembar_disposisi,
    "daftar_data.docx": daftar_data,
    "daftar_verifikasi.docx": daftar_verifikasi,
    "daftar_otentifikasi.docx": daftar_otentifikasi,
    "laporan_kesiapan.docx": laporan_kesiapan,
    "nota_dinas.docx": nota_dinas,
    "laporan_kinerja.docx": laporan_kinerja,
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        build().save(OUT / name)
        print(OUT / name)


if __name__ == "__main__":
    main()
