"""The warm converter: one LibreOffice per pipeline process converts many documents over UNO, is
replaced when it crashes, hangs or has converted pdf.restart_after documents, is killed whole by the
stop event, makes the same PDF as one process per document, and gives way to that where uno is missing."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support.builders import HEADER, tab_memo
from support.cli import invoke
from support.processes import running_in_group
from support.workspace import make_workspace

from pipeline.documents import pdf
from pipeline.documents.warm import warm_problem
from pipeline.engine import open_workspace
from pipeline.errors import ConversionStopped
from pipeline.letters import signing

BINARY = pdf.shutil.which("soffice")
pytestmark = pytest.mark.skipif(
    warm_problem(BINARY, pdf.SYSTEM_PYTHON) is not None,
    reason="LibreOffice, python3-uno atau unoserver belum terpasang; .ci/run memasangnya",
)


def warm(**options):
    converter = pdf.Converter(True, timeout=120, warm=True, **options)
    assert converter.mode() == (True, None)
    return converter


def convert(converter, folder, name):
    [target] = converter.convert([tab_memo(folder / f"{name}.docx")], folder)
    assert target.read_bytes().startswith(b"%PDF-")
    return converter.office.office_pid()


def test_one_libreoffice_converts_every_document_of_a_process(tmp_path):
    converter = warm()
    try:
        pids = {convert(converter, tmp_path, f"nota-{n}") for n in range(3)}
        assert len(pids) == 1 and converter.office.starts == 1
        group = converter.office.process.pid
    finally:
        converter.close()
    assert running_in_group(group) == [] and converter.profile is None


def test_libreoffice_is_replaced_after_restart_after_documents(tmp_path):
    converter = warm(restart_after=2)
    try:
        pids = [convert(converter, tmp_path, f"nota-{n}") for n in range(5)]
        assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
        assert converter.office.starts == 3
    finally:
        converter.close()


def test_a_killed_libreoffice_is_started_again_at_the_next_conversion(tmp_path):
    converter = warm()
    try:
        first = convert(converter, tmp_path, "satu")
        group = converter.office.process.pid
        for pid in running_in_group(group):  # LibreOffice (oosplash and soffice.bin) crashes, its server stays
            if int(pid) != group:
                os.kill(int(pid), signal.SIGKILL)
        second = convert(converter, tmp_path, "dua")
        assert second != first and converter.office.starts == 2
    finally:
        converter.close()


def test_a_hung_libreoffice_is_killed_whole_at_the_time_limit_and_the_retry_uses_a_new_one(tmp_path):
    converter = warm()
    try:
        first = convert(converter, tmp_path, "satu")
        group = converter.office.process.pid
        os.killpg(group, signal.SIGSTOP)  # hangs: answers nothing
        converter.timeout = 5
        second = convert(converter, tmp_path, "dua")
        assert second != first and running_in_group(group) == []
    finally:
        converter.close()


def test_the_stop_event_kills_a_warm_conversion_in_flight(tmp_path):
    stop = threading.Event()
    converter = warm(stop=stop)
    try:
        convert(converter, tmp_path, "satu")
        group = converter.office.process.pid
        os.killpg(group, signal.SIGSTOP)
        threading.Thread(target=lambda: (time.sleep(1), stop.set()), daemon=True).start()
        with pytest.raises(ConversionStopped, match="Konversi PDF dihentikan"):
            converter.convert([tab_memo(tmp_path / "dua.docx")], tmp_path)
        assert running_in_group(group) == [] and converter.office.process is None
    finally:
        converter.close()


def pages(path, folder):
    """The pages of a PDF rendered at 30 dpi (raw pixels of each page, in order)."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", str(path), str(folder / "p")], check=True)
    return [page.read_bytes() for page in sorted(folder.glob("p*.ppm"))]


@pytest.mark.parametrize("template", ["nota_dinas.docx", "lembar_disposisi.docx"])
def test_the_warm_pdf_is_the_pdf_of_one_process_per_document(tmp_path, template):
    """Rendered pages alike, and the TTE bookmark a named destination in both (the signature's place)."""
    source = Path(pdf.__file__).parents[1] / "defaults" / "templates" / template
    (tmp_path / "warm").mkdir()
    (tmp_path / "cold").mkdir()
    converter, cold = warm(), pdf.Converter(True, timeout=120)
    try:
        [hot_pdf] = converter.convert([source], tmp_path / "warm")
        [cold_pdf] = cold.convert([source], tmp_path / "cold")
    finally:
        converter.close()
        cold.close()
    assert cold.mode() == (False, "pdf.warm: false")
    hot, plain = pages(hot_pdf, tmp_path / "hot-pages"), pages(cold_pdf, tmp_path / "cold-pages")
    assert len(hot) == len(plain) >= 1 and hot == plain
    assert signing.stamp_box(hot_pdf) == signing.stamp_box(cold_pdf)


def libreoffice_finding(ws):
    return next(
        json.loads(line)
        for line in invoke(ws, "doctor", "--json").output.splitlines()
        if json.loads(line)["pemeriksaan"] == "LibreOffice"
    )


def test_memos_are_converted_warm_through_the_command_line_and_doctor_says_so(tmp_path):
    ws = make_workspace(tmp_path / "ws", pdf=True)
    for n in range(3):
        tab_memo(ws.inbox / f"nota-{n}.docx", dict(HEADER, Nomor=f"00{n}/ND/PPBJ/2026"))
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "3 diterima" in result.output, result.output
    assert len(list(ws.outbox.glob("*/*.pdf"))) == 3
    finding = libreoffice_finding(ws)
    assert finding["status"] == "baik"
    assert finding["pesan"] == f"{BINARY}; PDF dibuat oleh LibreOffice yang tetap berjalan (UNO)."


def test_without_uno_each_document_has_its_own_libreoffice_and_doctor_says_how_to_warm_it(tmp_path):
    """A Python without the uno module (the venv's own) stands for a machine without python3-uno."""
    ws = make_workspace(tmp_path / "ws", {"pdf": {"uno_python": sys.executable}}, pdf=True)
    tab_memo(ws.inbox / "nota.docx")
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output, result.output
    assert len(list(ws.outbox.glob("*/*.pdf"))) == 1
    finding = libreoffice_finding(ws)
    assert finding["status"] == "baik"
    assert finding["pesan"] == (
        f"{BINARY}; satu proses LibreOffice per dokumen (lebih lambat) karena modul uno (python3-uno) tidak ada "
        f"pada {sys.executable}. Untuk mode cepat, pasang \u201csudo apt-get install python3-uno\u201d dan paket "
        "Python unoserver (pip install unoserver) agar LibreOffice tetap berjalan dan PDF dibuat jauh lebih cepat."
    )


def test_a_killed_pipeline_process_leaves_no_libreoffice_running(tmp_path):
    """SIGKILL gives the pipeline no chance to close its converter: the warm LibreOffice leaves by itself."""
    script = (
        "import sys, time; from pathlib import Path; sys.path.insert(0, 'tests'); from support.builders import tab_memo\n"
        "from pipeline.documents import pdf\n"
        "c = pdf.Converter(True, 120, warm=True)\n"
        f"c.convert([tab_memo(Path({str(tmp_path)!r}) / 'a.docx')], Path({str(tmp_path)!r}))\n"
        "print(c.office.process.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parent.parent
    )
    group = int(child.stdout.readline())
    assert running_in_group(group)
    child.kill()
    child.wait()
    deadline = time.monotonic() + 60
    while running_in_group(group) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert running_in_group(group) == []


def test_a_run_with_memos_waiting_starts_libreoffice_before_its_first_conversion(tmp_path):
    """Started in the background at the start of the pass, the office is the one that converts the memos."""
    config = make_workspace(tmp_path / "ws", pdf=True)
    tab_memo(config.inbox / "nota.docx")
    with open_workspace(config) as ws:
        ws.start()
        office = ws.converter.office
        assert office is not None and office.process is not None and office.starts == 1 and not office.answering
        ws.process_inbox()
        assert office.starts == 1 and office.converted == 1
        group = office.process.pid
    assert len(list(config.outbox.glob("*/*.pdf"))) == 1 and running_in_group(group) == []


def test_nothing_in_the_inbox_starts_no_libreoffice(tmp_path):
    config = make_workspace(tmp_path / "ws", pdf=True)
    with open_workspace(config) as ws:
        ws.start()
        assert ws.converter.office is None or ws.converter.office.process is None


def test_an_office_started_ahead_that_dies_before_answering_still_gives_the_pdf(tmp_path):
    converter = warm()
    try:
        converter.warm_up()
        group = converter.office.process.pid
        os.killpg(group, signal.SIGKILL)
        [target] = converter.convert([tab_memo(tmp_path / "nota.docx")], tmp_path)
        assert target.read_bytes().startswith(b"%PDF-")
    finally:
        converter.close()
    assert running_in_group(group) == []


def test_an_office_started_ahead_and_never_used_is_closed_whole(tmp_path):
    converter = warm()
    converter.warm_up()
    group = converter.office.process.pid
    converter.close()
    assert running_in_group(group) == [] and converter.office.process is None


def test_pipeline_run_starts_libreoffice_before_it_opens_the_workspace(tmp_path, monkeypatch):
    """The office starts while the pipeline still loads and opens its register; the same one converts."""
    from pipeline import engine

    config = make_workspace(tmp_path / "ws", pdf=True)
    tab_memo(config.inbox / "nota.docx")
    seen, opened = [], engine.open_workspace

    def opening(*args, **kwargs):
        office = kwargs["converter"].office
        seen.append(office is not None and office.process is not None and not office.answering)
        return opened(*args, **kwargs)

    monkeypatch.setattr(engine, "open_workspace", opening)
    result = invoke(config, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output, result.output
    assert seen == [True] and len(list(config.outbox.glob("*/*.pdf"))) == 1


def test_the_warm_office_opens_a_document_hidden_and_read_only_and_exports_it_with_the_filter(tmp_path):
    """Hidden, LibreOffice makes no view for the document (about a quarter of a conversion saved); the PDF is
    the same (test_the_warm_pdf_is_the_pdf_of_one_process_per_document)."""
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(pdf.__file__).parent)!r})\n"
        "import uno_server\n"
        "seen = {}\n"
        "class Document:\n"
        "    def storeToURL(self, url, props):\n"
        "        seen['store'] = {p.Name: p.Value for p in props if p.Name != 'FilterData'}\n"
        "        seen['data'] = {p.Name: p.Value for p in [q for q in props if q.Name == 'FilterData'][0].Value}\n"
        "    def close(self, force):\n"
        "        seen['closed'] = force\n"
        "class Desktop:\n"
        "    def loadComponentFromURL(self, url, frame, flags, props):\n"
        "        seen['load'] = {p.Name: p.Value for p in props}\n"
        "        return Document()\n"
        "uno_server.export(Desktop(), '/tmp/a.docx', '/tmp/a.pdf', sys.argv[1], sys.argv[2:])\n"
        "print(json.dumps(seen))\n"
    )
    done = subprocess.run(
        [pdf.SYSTEM_PYTHON, "-c", script, pdf.FILTER_NAME, *pdf.FILTER_OPTIONS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["load"] == {"ReadOnly": True, "Hidden": True}
    assert seen["store"] == {"FilterName": "writer_pdf_Export", "Overwrite": True}
    assert seen["data"] == {"ExportBookmarksToPDFDestination": True} and seen["closed"] is True
