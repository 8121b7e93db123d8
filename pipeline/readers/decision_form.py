"""Reading a filled decision form (``documents.decision_form``): its content controls, as Word
saves them and as LibreOffice saves them after opening and saving the .docx.

A dropdown's choice is the text its content shows (Word keeps no separate value);
a placeholder still showing (``w:showingPlcHdr``, or the placeholder's own text)
is no answer; a checkbox is ticked by ``w14:checked`` (or, where that is missing,
by the ballot-box-with-x its content shows). The form is known by its marker
control's tag (``spse-keputusan|kasus|langkah|digest``), or by the document's
keywords where a writer dropped the tag.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from pipeline.errors import InputRefused

if TYPE_CHECKING:
    from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
MARK = "spse-keputusan"
_PLACEHOLDERS = ("Klik di sini untuk menulis catatan.", "Pilih salah satu.")
_MAX_XML = 20 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class FilledForm:
    """What an official answered on a decision form."""

    kasus: str
    langkah: str
    digest: str
    kepada: str = ""
    keputusan: str = ""
    harap: list[str] = field(default_factory=list)
    catatan: str = ""


_MAX_CORE = 64 * 1024  # docProps/core.xml: a few hundred bytes in any real document


def _part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_XML:
        raise InputRefused("Formulir keputusan terlalu besar untuk dibaca; simpan ulang formulirnya tanpa lampiran.")
    return archive.read(info)


def _mark(path: Path) -> tuple[str, etree._Element | None] | None:
    """(marker text, document body) when ``path`` is a decision form, else None."""
    try:
        with zipfile.ZipFile(path) as archive:
            body = _part(archive, "word/document.xml")
            core = _part(archive, "docProps/core.xml")
    except (OSError, zipfile.BadZipFile):
        return None
    if body is None:
        return None
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return None
    for tag in root.iter(f"{{{W}}}tag"):
        value = tag.get(f"{{{W}}}val") or ""
        if value.startswith(MARK + "|"):
            return value, root
    if core is not None:
        try:
            keywords = etree.fromstring(core, _PARSER).findtext(f"{{{CP}}}keywords") or ""
        except etree.XMLSyntaxError:
            keywords = ""
        if keywords.strip().startswith(MARK + "|"):
            return keywords.strip(), root
    return None


def is_form(path: Path) -> bool:
    """True when ``path`` is a decision form the pipeline wrote (filled or not).

    Asked of every .docx the pass takes, so it reads only the document's keywords (where the
    writer puts the marker and Word and LibreOffice keep it), a part of a few hundred bytes: a
    large or hostile .docx is no form and goes on to its reader, whose limits refuse it
    (docs/architecture.md, "Limits and hostile input")."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > _MAX_CORE:
                return False
            core = archive.read(info)
        keywords = etree.fromstring(core, _PARSER).findtext(f"{{{CP}}}keywords") or ""
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return False
    return keywords.strip().startswith(MARK + "|")


def _text(content: etree._Element) -> str:
    """The text of a control's content, paragraphs as lines."""
    lines = []
    paragraphs = content.findall(f".//{{{W}}}p")
    for paragraph in paragraphs or [content]:
        pieces = []
        for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
            pieces.append(node.text or "" if node.tag == f"{{{W}}}t" else ("\t" if node.tag.endswith("tab") else "\n"))
        lines.append("".join(pieces))
    return "\n".join(lines).strip()


def _answer(sdt: etree._Element) -> str:
    properties = sdt.find(f"{{{W}}}sdtPr")
    content = sdt.find(f"{{{W}}}sdtContent")
    if content is None:
        return ""
    if properties is not None and properties.find(f"{{{W}}}showingPlcHdr") is not None:
        return ""
    text = _text(content)
    return "" if text in _PLACEHOLDERS else text


def _checked(sdt: etree._Element) -> bool:
    properties = sdt.find(f"{{{W}}}sdtPr")
    box = properties.find(f"{{{W14}}}checkbox") if properties is not None else None
    state = box.find(f"{{{W14}}}checked") if box is not None else None
    if state is not None:
        return state.get(f"{{{W14}}}val", "0") in ("1", "true", "on")
    content = sdt.find(f"{{{W}}}sdtContent")
    return content is not None and "\u2612" in _text(content)


def _name(sdt: etree._Element, box_number: int) -> str:
    """Which field a control is: its tag as the pipeline wrote it; where a writer dropped the tag
    (LibreOffice keeps content controls but not every tag), its alias, else its kind: a dropdown
    offering Setujui/Tolak is the verdict, another dropdown the forwarding, a checkbox the next
    ``harap`` option in order."""
    properties = sdt.find(f"{{{W}}}sdtPr")
    if properties is None:
        return ""
    tag = properties.find(f"{{{W}}}tag")
    if tag is not None and tag.get(f"{{{W}}}val"):
        return tag.get(f"{{{W}}}val", "")
    if properties.find(f"{{{W14}}}checkbox") is not None:
        return f"harap:{box_number}"
    choices = properties.find(f"{{{W}}}dropDownList")
    if choices is not None:
        values = {item.get(f"{{{W}}}value", "") for item in choices.findall(f"{{{W}}}listItem")}
        return "keputusan" if values == {"Setujui", "Tolak"} else "kepada"
    alias = properties.find(f"{{{W}}}alias")
    return {"Catatan": "catatan"}.get(alias.get(f"{{{W}}}val", "") if alias is not None else "", "")


def read(path: Path, options: tuple[str, ...]) -> FilledForm:
    """The answers on a filled form; ``options``: the ``Dengan hormat harap`` choices in their order.

    Raises InputRefused when ``path`` is not a decision form."""
    found = _mark(path)
    if found is None:
        raise InputRefused(
            "Berkas ini bukan formulir keputusan dari pipeline. Isi formulir keputusan yang ditulis "
            "pipeline di folder keputusan Anda, tanpa mengganti namanya atau menyimpannya dalam format lain.",
            kind="tindakan",
        )
    mark, root = found
    parts = mark.split("|")
    if len(parts) != 4:
        raise InputRefused("Penanda formulir keputusan ini rusak; isi formulir baru dari folder keputusan Anda.")
    form = FilledForm(kasus=parts[1], langkah=parts[2], digest=parts[3])
    assert root is not None
    boxes = 0
    for sdt in root.iter(f"{{{W}}}sdt"):
        tag = _name(sdt, boxes + 1)
        boxes += tag.startswith("harap:")
        if tag == "kepada":
            form.kepada = _answer(sdt)
        elif tag == "keputusan":
            form.keputusan = _answer(sdt)
        elif tag == "catatan":
            form.catatan = _answer(sdt)
        elif tag.startswith("harap:") and _checked(sdt):
            index = tag.partition(":")[2]
            if index.isdigit() and 1 <= int(index) <= len(options):
                form.harap.append(options[int(index) - 1])
    return form
