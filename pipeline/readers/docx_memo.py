"""Read the header of an incoming Nota Dinas from a .docx.

Senders use ``Label<TAB>: value`` paragraphs or a borderless
label/colon/value table, with label variants (Yth., Kepada Yth., Kepada;
Hal, Perihal). The text is read from ``word/document.xml`` with lxml, as
Word shows it: runs joined however Word and LibreOffice split them, tracked
insertions in, tracked deletions and hidden text (``w:vanish``) out, so
what the reader sees is what a person sees. Labels are matched on whole
paragraph or cell text.
"""

import io
import re
import zipfile
import zlib

from lxml import etree

from ..errors import InputRefused
from ..models import Parsed
from .cost import Budget, scan_xml
from .safety import check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
# Runs inside these are not on the page: deleted revisions, text moved away.
_GONE = {W + "del", W + "moveFrom"}
_FALSE = {"0", "false", "off"}

LABELS = {
    "nomor": "nomor",
    "no": "nomor",
    "nomor surat": "nomor",
    "tanggal": "tanggal",
    "tgl": "tanggal",
    "tanggal surat": "tanggal",
    "dari": "dari",
    "yth": "kepada",
    "kepada yth": "kepada",
    "kepada": "kepada",
    "sifat": "sifat",
    "lampiran": "lampiran",
    "lamp": "lampiran",
    "hal": "hal",
    "perihal": "hal",
    "tembusan": "tembusan",
}

_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z. ]{0,20}?)\s*(?:\t+\s*:?|:)\s*(.*)$", re.DOTALL)
_PLACE_DATE = re.compile(r"^[A-Z][A-Za-z .]+,\s*\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}$")
_SPACES = str.maketrans({"\u00a0": " ", "\uff1a": ":", "\u2009": " ", "\u202f": " "})


def _label(text):
    return LABELS.get(" ".join(text.replace(".", " ").split()).lower())


def _split(text):
    """Split ``Label<TAB>: value`` or ``Label : value`` into (field, value)."""
    match = _LINE.match(text.translate(_SPACES))
    if not match:
        return None
    name = _label(match.group(1))
    if not name:
        return None
    return name, _clean_value(match.group(2))


def _clean_value(text):
    text = text.translate(_SPACES).strip()
    if text.startswith(":"):
        text = text[1:]
    return " ".join(text.split())


def _vanish(rpr):
    """True/False when run properties say whether text is hidden, None when they say nothing."""
    vanish = rpr.find(W + "vanish") if rpr is not None else None
    return None if vanish is None else vanish.get(W + "val", "true").lower() not in _FALSE


def hidden_styles(styles_xml):
    """Style ids whose text is hidden (w:vanish, through basedOn), and whether the defaults hide text."""
    if styles_xml is None or _plainly_visible(styles_xml):
        return set(), False
    root = etree.fromstring(styles_xml, _PARSER)
    default = _vanish(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")) or False
    own, based = {}, {}
    for style in root.iter(W + "style"):
        sid = style.get(W + "styleId")
        own[sid] = _vanish(style.find(W + "rPr"))
        parent = style.find(W + "basedOn")
        based[sid] = parent.get(W + "val") if parent is not None else None

    def hides(sid, depth=0):
        if sid not in own or depth > 20:
            return None
        return own[sid] if own[sid] is not None else hides(based[sid], depth + 1)

    return {sid for sid in own if hides(sid)}, default


_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


def _plainly_visible(styles_xml):
    """True when styles.xml, UTF-8 as Word writes it, never names w:vanish: no style hides text.

    Parsing Word's styles (350 KB) costs more than reading the whole memo; an
    element name cannot be escaped in XML, so in UTF-8 its absence is certain.
    Any other encoding (a BOM, NUL bytes, another declared encoding) is parsed.
    """
    if b"\x00" in styles_xml[:200] or styles_xml[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    declared = _DECLARED.match(styles_xml.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return False
    return b"vanish" not in styles_xml


class _Hidden:
    """Decides whether a run is hidden: its own properties, its style, its paragraph's style, defaults."""

    def __init__(self, styles, default):
        self.styles, self.default = styles, default

    def __call__(self, run, paragraph):
        rpr = run.find(W + "rPr")
        own = _vanish(rpr)
        if own is not None:
            return own
        style = rpr.find(W + "rStyle") if rpr is not None else None
        if style is not None and style.get(W + "val") in self.styles:
            return True
        pstyle = paragraph.find(f"{W}pPr/{W}pStyle")
        if pstyle is not None and pstyle.get(W + "val") in self.styles:
            return True
        return self.default


_HIDDEN = _Hidden(set(), False)


def _run_text(run):
    parts = []
    for node in run:
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        elif node.tag in (W + "br", W + "cr"):
            parts.append("\n")
    return "".join(parts)


def paragraph_text(paragraph, hidden=_HIDDEN):
    """The text of a w:p as it shows on the page."""
    parts = []
    for run in paragraph.iter(W + "r"):
        ancestors = {a.tag for a in run.iterancestors() if a is not paragraph}
        if ancestors & _GONE or W + "p" in ancestors or hidden(run, paragraph):
            continue
        parts.append(_run_text(run))
    return "".join(parts)


def _blocks(container):
    """Paragraphs and tables directly in a body or cell, content controls unwrapped."""
    for child in container:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def _cell_texts(row, hidden):
    cells = []
    for cell in row.iter(W + "tc"):
        if next(cell.iterancestors(W + "tr")) is not row:
            continue  # a nested table's cell
        cells.append("\n".join(paragraph_text(p, hidden) for p in _blocks(cell) if p.tag == W + "p"))
    return cells


def _row_pairs(cells):
    """Pairs from a table row: [label, ':', value], [label, ': value'] or [label, value]."""
    cells = [text.translate(_SPACES).strip() for text in cells]
    pairs = []
    index = 0
    while index < len(cells):
        name = _label(cells[index].rstrip(":").strip())
        if name and index + 1 < len(cells):
            rest = cells[index + 1 :]
            if rest and rest[0] == ":" and len(rest) > 1:
                pairs.append((name, _clean_value(rest[1])))
                index += 3
                continue
            pairs.append((name, _clean_value(rest[0])))
            index += 2
            continue
        split = _split(cells[index])
        if split:
            pairs.append(split)
        index += 1
    return pairs


def _iter_pairs(body, hidden):
    blocks = list(_blocks(body))
    for block in blocks:
        if block.tag == W + "p":
            split = _split(paragraph_text(block, hidden))
            if split:
                yield split
    for table in (b for b in blocks if b.tag == W + "tbl"):
        for row in table.iter(W + "tr"):
            if next(row.iterancestors(W + "tbl")) is not table:
                continue
            yield from _row_pairs(_cell_texts(row, hidden))
            for cell in row.findall(W + "tc"):
                for paragraph in _blocks(cell):
                    split = _split(paragraph_text(paragraph, hidden)) if paragraph.tag == W + "p" else None
                    if split:
                        yield split


def _place_date(body, hidden):
    """A date written as ``Jakarta, 7 Oktober 2026`` near the signature."""
    for block in _blocks(body):
        if block.tag == W + "p":
            text = " ".join(paragraph_text(block, hidden).translate(_SPACES).split())
            if _PLACE_DATE.match(text):
                return text
    return None


def _body(path, budget):
    """The document's body, and how to tell hidden text (from the run, its styles, the defaults).

    Each part is streamed within the input's budget before a tree of it is built."""
    with zipfile.ZipFile(path) as archive:
        with archive.open("word/document.xml") as stream:
            scan_xml(stream, budget, "Dokumen Word")
        root = etree.fromstring(archive.read("word/document.xml"), _PARSER)
        names = set(archive.namelist())
        styles = archive.read("word/styles.xml") if "word/styles.xml" in names else None
    if styles is not None and not _plainly_visible(styles):
        scan_xml(io.BytesIO(styles), budget, "Daftar gaya dokumen Word")
    body = root.find(W + "body")
    if root.tag != W + "document" or body is None:
        raise ValueError("word/document.xml has no w:body")
    return body, _Hidden(*hidden_styles(styles))


def read(path, limits):
    """Return the memo header found in the .docx at ``path``."""
    check_zip(path, limits)
    try:
        fields = _header(*_body(path, Budget(limits, kind="nota_dinas")))
    except _BROKEN as exc:
        raise InputRefused(
            "Berkas .docx tidak dapat dibuka sebagai dokumen Word "
            f"({type(exc).__name__}). Bila berkas ini surat masuk, mintalah kiriman ulang berkas aslinya "
            "kepada pengirimnya dan letakkan kiriman itu di inbox.",
            kind="nota_dinas",
        ) from None
    return Parsed(kind="nota_dinas", fmt="docx", fields=fields)


# What a damaged or forged .docx raises from zipfile, zlib and lxml
# (lxml's XMLSyntaxError is a SyntaxError).
_BROKEN = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, TypeError, AttributeError, IndexError,
           OSError, SyntaxError, EOFError, etree.LxmlError, StopIteration)


def _header(body, hidden):
    fields = {}
    for name, value in _iter_pairs(body, hidden):
        if value and name not in fields:
            fields[name] = value
    if "tanggal" not in fields:
        found = _place_date(body, hidden)
        if found:
            fields["tanggal"] = found
    return fields
