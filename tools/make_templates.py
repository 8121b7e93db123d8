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
    document = new_document(148, 210)
    letterhead(document)
    para(document, "LEMBAR DISPOSISI", size=12, bold=True,
         align=WD_ALIGN_PARAGRAPH.CENTER, space_before=6, space_after=6)

    head = document.add_table(rows=6, cols=2, style="Table Grid")
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(head)
    rows = head.rows

    def full(row):
        return row.cells[0].merge(row.cells[1])

    labelled(full(rows[0]), "Surat dari", "{{ memo.dari }}", 2.2, first=True)
    labelled(full(rows[1]), "Nomor surat", "{{ memo.nomor }}", 2.2, first=True)
    labelled(rows[2].cells[0], "Tanggal surat", "{{ memo.tanggal | tanggal }}", 2.2, first=True)
    labelled(rows[2].cells[1], "Diterima tgl.", "{{ diterima | tanggal }}", 2.5, first=True)
    labelled(rows[3].cells[0], "Lampiran", "{{ memo.lampiran or '-' }}", 2.2, first=True)
    labelled(rows[3].cells[1], "Nomor agenda", "{{ nomor_agenda }}", 2.5, first=True)
    sifat = full(rows[4]).paragraphs[0]
    sifat.paragraph_format.tab_stops.add_tab_stop(Cm(2.2))
    sifat.paragraph_format.space_after = Pt(2)
    run(sifat, "Sifat\t:  ")
    for option in ("Sangat Segera", "Segera", "Rahasia", "Biasa"):
        run(sifat, "{{ memo.sifat | tanda('%s') }}" % option, size=10)
        run(sifat, " " + option + "    ")
    labelled(full(rows[5]), "Hal", "{{ memo.hal }}", 2.2, first=True)
    set_widths(head, (5.9, 5.9))

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
    row_height(chain.rows[2], 0.9)
    chain.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    set_widths(chain, (0.9, 6.9, 2.2, 1.8))

    para(document, "", space_after=4)
    notes = document.add_table(rows=1, cols=2, style="Table Grid")
    notes.alignment = WD_TABLE_ALIGNMENT.CENTER
    cell_margins(notes)
    wish, remark = notes.rows[0].cells
    run(wish.paragraphs[0], "Dengan hormat harap:", bold=True)
    for option in ("Tanggapan dan saran", "Proses lebih lanjut", "Koordinasikan/konfirmasikan",
                   "Untuk diketahui", "Untuk diselesaikan", "Arsip"):
        line = wish.add_paragraph()
        line.paragraph_format.left_indent = Cm(0.2)
        run(line, "{{ harap | tanda('%s') }}" % option, size=10)
        run(line, " " + option)
    run(remark.paragraphs[0], "Catatan:", bold=True)
    run(remark.add_paragraph(), "{{ catatan }}")
    row_height(notes.rows[0], 3.4)
    set_widths(notes, (5.3, 6.5))

    footer = para(document, "", size=6.5, space_before=6)
    run(footer, "Kasus {{ kasus }} \u00b7 {{ sop_code }} \u00b7 dicetak {{ dicetak | waktu }}", size=6.5, italic=True)
    document.core_properties.title = "Lembar Disposisi"
    return document


TEMPLATES = {"lembar_disposisi.docx": lembar_disposisi}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        build().save(OUT / name)
        print(OUT / name)


if __name__ == "__main__":
    main()
