import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree
from support.builders import MEMO_NOMOR, docx_text, registration_yaml, tab_memo

from pipeline import formats
from pipeline.documents import render
from pipeline.engine import open_workspace
from pipeline.errors import RenderError
from pipeline.outputs import report as reporting
from pipeline.outputs import report_views


def test_indonesian_filters():
    assert formats.tanggal(dt.date(2026, 11, 25)) == "25 November 2026"
    assert formats.tanggal("2026-02-03") == "3 Februari 2026"
    assert formats.rupiah(1_500_000_000) == "Rp1.500.000.000,00"
    assert formats.rupiah(95_000_000) == "Rp95.000.000,00"
    assert formats.terbilang(1_500_000_000) == "satu miliar lima ratus juta rupiah"
    assert formats.waktu(dt.datetime(2026, 11, 25, 14, 5)) == "25 November 2026 pukul 14.05"
    assert formats.tanda("Segera", "Segera") == "☒" and formats.tanda("Biasa", "Segera") == "☐"
    assert formats.tanda(["Arsip"], "Arsip") == "☒"


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


# -- the compiled renderer produces docxtpl's documents ------------------------------------------


def docxtpl_render(path, context, destination):
    """What docxtpl alone makes of a template: load, render in our sandbox, save."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(path))
    document.render(render.images(render.clean(context), document), jinja_env=render.environment(), autoescape=True)
    document.save(str(destination))


def canonical(path, part):
    with zipfile.ZipFile(path) as package:
        return etree.tostring(etree.fromstring(package.read(part)), method="c14n")


def assert_same_document(ours, theirs):
    assert docx_text(ours) == docx_text(theirs)
    for part in ("word/document.xml", "word/footer1.xml"):
        assert canonical(ours, part) == canonical(theirs, part), part
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
        assert a.testzip() is None
        assert sorted(a.namelist()) == sorted(b.namelist())
        media = [name for name in a.namelist() if name.startswith("word/media/")]
        assert all(a.read(name) == b.read(name) for name in media)


def test_every_shipped_template_renders_as_docxtpl_renders_it(config, cli, tmp_path, monkeypatch):
    """A whole case to a numbered letter, each document rendered again by docxtpl alone."""
    seen = []
    original = render.Template.render

    def recording(self, context):
        seen.append((Path(self.path), context))
        return original(self, context)

    monkeypatch.setattr(render.Template, "render", recording)
    tab_memo(config.inbox / "nota.docx")
    registration_yaml(config.inbox / "registrasi.yaml")
    cli("run")
    for langkah in ("disposisi_kapus", "disposisi_kabid", "otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    with open_workspace(config, lock=False) as opened:  # the month's performance report, for the Kapus
        now = opened.now()
        found = reporting.report_of(
            opened.register, opened.procedure, config.office_hours, reporting.month(now.year, now.month), now
        )
    render.render(
        config.template("laporan_kinerja"), report_views.document_context(found, config, now), tmp_path / "lap.docx"
    )
    monkeypatch.undo()
    shipped = {path.name for path in (config.root / "templates").glob("*.docx")}
    assert {path.name for path, _ in seen} == shipped
    for n, (path, context) in enumerate(seen):
        ours, theirs = tmp_path / f"ours-{n}.docx", tmp_path / f"docxtpl-{n}.docx"
        render.render(path, context, ours)
        docxtpl_render(path, context, theirs)
        assert_same_document(ours, theirs)


def test_pictures_in_the_body_and_the_footer_are_placed_as_docxtpl_places_them(tmp_path):
    from pipeline.documents.codes import QrImage, qr_png

    document = docx.Document()
    document.add_paragraph("Kode {{ kode }} {{ qr }}")
    document.add_paragraph("{% for baris in daftar %}{{ baris }} {% endfor %}")
    document.sections[0].footer.paragraphs[0].text = "{{ qr }} {{ kecil }} halaman"
    document.core_properties.title = "Lembar {{ kode }}"
    path = tmp_path / "t.docx"
    document.save(str(path))
    context = {
        "kode": "7KQ2M-XH4PD",
        "qr": QrImage(qr_png("7KQ2M-XH4PD")),
        "kecil": QrImage(qr_png("lain"), 14.0),
        "daftar": ["satu", "<dua>", "tiga & empat\tlima", "enam\ntujuh"],
    }
    render.render(path, context, tmp_path / "ours.docx")
    docxtpl_render(path, context, tmp_path / "theirs.docx")
    assert_same_document(tmp_path / "ours.docx", tmp_path / "theirs.docx")
    assert docx.Document(str(tmp_path / "ours.docx")).core_properties.title == "Lembar 7KQ2M-XH4PD"


def test_a_template_edited_in_word_is_compiled_again(tmp_path):
    path = template(tmp_path, "Versi pertama {{ hal }}")
    render.render(path, {"hal": "A"}, tmp_path / "1.docx")
    template(tmp_path, "Versi kedua yang lebih panjang {{ hal }}")
    render.render(path, {"hal": "B"}, tmp_path / "2.docx")
    assert "Versi pertama A" in docx_text(tmp_path / "1.docx")
    assert "Versi kedua yang lebih panjang B" in docx_text(tmp_path / "2.docx")
