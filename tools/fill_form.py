"""Filling a decision form as an official does in Word: the content controls changed in place
(a dropdown shows the chosen item, a checkbox is ticked, the placeholder is gone), nothing else.

Used by ``make demo`` (tools/make_examples.py ``--decide``) and the tests (tests/support/forms.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def _set_text(sdt, text: str) -> None:
    props = sdt.find(qn("w:sdtPr"))
    placeholder = props.find(qn("w:showingPlcHdr"))
    if placeholder is not None:
        props.remove(placeholder)
    content = sdt.find(qn("w:sdtContent"))
    runs = content.findall(qn("w:r"))
    for extra in runs[1:]:
        content.remove(extra)
    run = runs[0]
    for rpr in run.findall(qn("w:rPr")):
        run.remove(rpr)
    [node] = run.findall(qn("w:t"))
    node.text = text


def fill(
    path: Path,
    *,
    kepada: str = "",
    harap: Sequence[str] = (),
    keputusan: str = "",
    catatan: str = "",
    out: Path | None = None,
) -> Path:
    """Fill the form at ``path`` as Word saves it (to ``out``, default in place)."""
    document = Document(str(path))
    for sdt in document.element.body.iter(qn("w:sdt")):
        tag = sdt.find(qn("w:sdtPr")).find(qn("w:tag"))
        value = tag.get(qn("w:val")) if tag is not None else ""
        alias = sdt.find(qn("w:sdtPr")).find(qn("w:alias"))
        if value == "kepada" and kepada:
            _set_text(sdt, kepada)
        elif value == "keputusan" and keputusan:
            _set_text(sdt, keputusan)
        elif value == "catatan" and catatan:
            _set_text(sdt, catatan)
        elif value.startswith("harap:") and alias is not None and alias.get(qn("w:val")) in harap:
            box = sdt.find(qn("w:sdtPr")).find(f"{{{W14}}}checkbox")
            box.find(f"{{{W14}}}checked").set(f"{{{W14}}}val", "1")
            sdt.find(qn("w:sdtContent")).find(qn("w:r")).find(qn("w:t")).text = "\u2612"
    target = out or path
    document.save(str(target))
    return target
