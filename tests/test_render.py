import datetime as dt

import docx
import pytest
from builders import docx_text

from pipeline import render
from pipeline.errors import RenderError


def test_indonesian_filters():
    assert render.tanggal(dt.date(2026, 11, 25)) == "25 November 2026"
    assert render.tanggal("2026-02-03") == "3 Februari 2026"
    assert render.rupiah(1_500_000_000) == "Rp1.500.000.000,00"
    assert render.rupiah(95_000_000) == "Rp95.000.000,00"
    assert render.terbilang(1_500_000_000) == "satu miliar lima ratus juta rupiah"
    assert render.waktu(dt.datetime(2026, 11, 25, 14, 5)) == "25 November 2026 pukul 14.05"
    assert render.tanda("Segera", "Segera") == "☒" and render.tanda("Biasa", "Segera") == "☐"
    assert render.tanda(["Arsip"], "Arsip") == "☒"


def template(tmp_path, *lines):
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / "t.docx"
    document.save(str(path))
    return path


def test_data_is_escaped_and_rendered_once(tmp_path):
    path = template(tmp_path, "Hal: {{ hal }}")
    render.render(path, {"hal": "{{ 7*7 }} <x> & \x07bel"}, tmp_path / "o.docx")
    assert "Hal: {{ 7*7 }} <x> & bel" in docx_text(tmp_path / "o.docx")


def test_misspelt_placeholder_is_an_error_naming_it(tmp_path):
    path = template(tmp_path, "{{ nomer }}")
    with pytest.raises(RenderError, match=r"isian \{\{ nomer \}\} tidak dikenal"):
        render.render(path, {"nomor": "1"}, tmp_path / "o.docx")


def test_sandbox_blocks_python_internals(tmp_path):
    path = template(tmp_path, "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(RenderError):
        render.render(path, {}, tmp_path / "o.docx")
