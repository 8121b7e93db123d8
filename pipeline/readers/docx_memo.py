"""Read the header of an incoming Nota Dinas from a .docx.

This module walks the Word XML; what the text means is header.py's, which
PDF-text and OCR readers share. The text is read from ``word/document.xml``
with lxml, as Word shows it: runs joined however Word and LibreOffice split
them, tracked insertions in, tracked deletions, hidden text (``w:vanish``)
and a content control's placeholder text out, text boxes once (the DrawingML
copy, not its VML fallback), so what the reader sees is what a person sees.
The document goes to ``header.fields_from_blocks`` as paragraphs and table
rows in reading order.
"""

import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from pipeline.errors import InputRefused
from pipeline.models import Parsed
from pipeline.readers.cost import Budget, scan_xml
from pipeline.readers.header import fields_from_blocks
from pipeline.readers.safety import check_zip

if TYPE_CHECKING:
    from pipeline.config import Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
# Runs inside these are not on the page: deleted revisions, text moved away; a
# text box's VML fallback repeats the DrawingML copy read instead.
_GONE = {W + "del", W + "moveFrom", MC + "Fallback"}
_FALSE = {"0", "false", "off"}
Block = str | tuple[str, ...]  # a paragraph's text, or a table row's cell texts


def _vanish(rpr: "etree._Element | None") -> bool | None:
    """True/False when run properties say whether text is hidden, None when they say nothing."""
    vanish = rpr.find(W + "vanish") if rpr is not None else None
    return None if vanish is None else vanish.get(W + "val", "true").lower() not in _FALSE


def hidden_styles(styles_xml: bytes | None) -> tuple[set[str | None], bool]:
    """Style ids whose text is hidden (w:vanish, through basedOn), and whether the defaults hide text."""
    if styles_xml is None or _plainly_visible(styles_xml):
        return set(), False
    root = etree.fromstring(styles_xml, _PARSER)
    default = _vanish(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")) or False
    own: dict[str | None, bool | None] = {}
    based: dict[str | None, str | None] = {}
    for style in root.iter(W + "style"):
        sid = style.get(W + "styleId")
        own[sid] = _vanish(style.find(W + "rPr"))
        parent = style.find(W + "basedOn")
        based[sid] = parent.get(W + "val") if parent is not None else None

    def hides(sid: str | None, depth: int = 0) -> bool | None:
        if sid not in own or depth > 20:
            return None
        return own[sid] if own[sid] is not None else hides(based[sid], depth + 1)

    return {sid for sid in own if hides(sid)}, default


_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")


def _plainly_visible(styles_xml: bytes) -> bool:
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

    def __init__(self, styles: set[str | None], default: bool) -> None:
        self.styles, self.default = styles, default

    def __call__(self, run: "etree._Element", paragraph: "etree._Element") -> bool:
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


def _run_text(run: "etree._Element") -> str:
    parts: list[str] = []
    for node in run:
        if node.tag == W + "t":
            parts.append(node.text or "")
        elif node.tag == W + "tab":
            parts.append("\t")
        elif node.tag in (W + "br", W + "cr"):
            parts.append("\n")
    return "".join(parts)


def paragraph_text(paragraph: "etree._Element", hidden: _Hidden = _HIDDEN) -> str:
    """The text of a w:p as it shows on the page (a text box in it is read as blocks of its own)."""
    parts: list[str] = []
    for run in paragraph.iter(W + "r"):
        ancestors = list(_up_to(run, paragraph))
        tags = {a.tag for a in ancestors}
        if tags & _GONE or W + "p" in tags or hidden(run, paragraph) or any(map(_placeholder, ancestors)):
            continue
        parts.append(_run_text(run))
    return "".join(parts)


def _up_to(node: "etree._Element", top: "etree._Element") -> Iterator["etree._Element"]:
    """The ancestors of ``node`` below ``top``."""
    for ancestor in node.iterancestors():
        if ancestor is top:
            return
        yield ancestor


def _placeholder(element: "etree._Element") -> bool:
    """True for a content control still showing its placeholder (``Klik di sini ...``): nothing was filled in."""
    return element.tag == W + "sdt" and element.find(f"{W}sdtPr/{W}showingPlcHdr") is not None


def _blocks(container: "etree._Element") -> Iterator["etree._Element"]:
    """Paragraphs and tables directly in a body or cell, content controls unwrapped."""
    for child in container:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag == W + "sdt" and not _placeholder(child):
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from _blocks(content)


def blocks(container: "etree._Element", hidden: _Hidden = _HIDDEN) -> Iterator[Block]:
    """The text of a body, cell or text box in reading order: paragraph texts and table rows (tuples)."""
    for block in _blocks(container):
        if block.tag == W + "p":
            for box in _text_boxes(block):
                yield from blocks(box, hidden)
            yield paragraph_text(block, hidden)
        else:
            yield from _rows(block, hidden)


def _text_boxes(paragraph: "etree._Element") -> Iterator["etree._Element"]:
    """The text boxes anchored in a paragraph, each once: not the VML fallback, not one inside another."""
    for box in paragraph.iter(W + "txbxContent"):
        ancestors = list(_up_to(box, paragraph))
        if not any(a.tag in (MC + "Fallback", W + "txbxContent", W + "p") for a in ancestors):
            yield box


def _rows(table: "etree._Element", hidden: _Hidden) -> Iterator[tuple[str, ...]]:
    """A table's rows as tuples of cell texts, each followed by the rows of tables nested in its cells."""
    for row in table.iter(W + "tr"):
        if next(row.iterancestors(W + "tbl")) is not table:
            continue
        cells = [cell for cell in row.iter(W + "tc") if next(cell.iterancestors(W + "tr")) is row]
        yield tuple("\n".join(paragraph_text(p, hidden) for p in _blocks(cell) if p.tag == W + "p") for cell in cells)
        for cell in cells:
            for nested in _blocks(cell):
                if nested.tag == W + "tbl":
                    yield from _rows(nested, hidden)


def _body(path: Path, budget: Budget) -> tuple["etree._Element", _Hidden]:
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


def read(path: Path, limits: "Limits") -> Parsed:
    """Return the memo header found in the .docx at ``path``."""
    check_zip(path, limits)
    try:
        budget = Budget(limits, kind="nota_dinas")
        fields = _header(*_body(path, budget), budget)
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
_BROKEN = (
    zipfile.BadZipFile,
    zlib.error,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    OSError,
    SyntaxError,
    EOFError,
    etree.LxmlError,
    StopIteration,
)


def _header(body: "etree._Element", hidden: _Hidden, budget: Budget) -> dict[str, Any]:
    """The header fields, read within the input's time budget."""
    return fields_from_blocks(list(blocks(body, hidden)), budget.check_time)
