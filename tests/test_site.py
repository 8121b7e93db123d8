"""The status site in outbox/status/: the DOM a real browser (Debian's chromium) builds from
each page holds what the page must show, escapes every value and refers to nothing outside."""

import datetime as dt
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from support.browser import dom, needs_browser
from support.builders import yaml_memo
from support.workspace import make_workspace

from pipeline.cli import main
from pipeline.engine import open_workspace
from pipeline.outputs import site

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HOSTILE = "<script>alert('hal')</script> & \"kutip\""


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The demo's cases (one at step 11, one held, one at step 3) and a memo whose subject
    carries markup."""
    config = make_workspace(tmp_path_factory.mktemp("site") / "ws")
    for example in EXAMPLES.iterdir():
        shutil.copy(example, config.inbox / example.name)
    yaml_memo(config.inbox / "nota-hostile.yaml", hal=HOSTILE, unit="Direktorat <b>Tebal</b>")
    runner = CliRunner()

    def cli(*args):
        result = runner.invoke(main, ["--config", str(config.path), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    cli("run")
    cli("act", "027/301/ULP-BPSDM/XI/2026", "periksa", "--oleh", "Dewi Lestari, S.T., M.Kom.")
    cli("act", "027/301/ULP-BPSDM/XI/2026", "setujui", "--oleh", "Dr. Ir. Suryo Wibowo, M.T.")
    return config


BPSDM, DUKCAPIL, KEUDA, OTDA = (
    "027/301/ULP-BPSDM/XI/2026",
    "470/1123/ULP-DUKCAPIL/XI/2026",
    "900/455/ULP-KEUDA/XI/2026",
    "050/17/ULP-OTDA/XI/2026",
)


def rows(tree):
    """The rows of a list of cases, by the memo's nomor (the third column)."""
    return {row.xpath("./td")[2].text_content(): row for row in tree.xpath("//table[@class='kasus']/tbody/tr")}


def case_id(config, nomor):
    with open_workspace(config, lock=False) as ws:
        return ws.register.find_cases(nomor)[0].id


def assert_self_contained(tree, page):
    """No script, nothing loaded from outside, every local link lands on a file."""
    assert tree.xpath("//script") == []
    for element, attribute, link, _pos in tree.iterlinks():
        parts = urlsplit(link)
        assert parts.scheme in ("", "file") and not parts.netloc, (element.tag, attribute, link)
        target = Path(unquote(parts.path)) if parts.scheme == "file" else page.parent / unquote(parts.path)
        assert target.resolve().exists(), link


@needs_browser
def test_the_index_shows_every_case_and_what_it_waits_for(office):
    page = office.outbox / "status" / "index.html"
    tree = dom(page)
    found = rows(tree)
    assert sorted(found) == sorted([BPSDM, DUKCAPIL, KEUDA, OTDA])
    assert sorted(r.get("data-kasus") for r in found.values()) == ["2026-0001", "2026-0002", "2026-0003", "2026-0004"]
    text = {k: " ".join(r.text_content().split()) for k, r in found.items()}
    assert "Menunggu Staf" in text[BPSDM] and "langkah 11" in text[BPSDM]
    assert "Tertahan pada langkah 6" in text[DUKCAPIL] and "tertahan" in text[DUKCAPIL]
    assert "Menunggu Kapusdatinkomtel" in text[KEUDA]
    assert "Direktorat <b>Tebal</b>" in text[OTDA]  # shown as text, never as markup
    assert tree.xpath("//b[text()='Tebal']") == []
    assert not any("terlambat" in (r.get("class") or "") for r in found.values())
    assert_self_contained(tree, page)


@needs_browser
def test_a_case_page_shows_its_timeline_documents_and_codes(office):
    kasus = case_id(office, BPSDM)
    page = office.outbox / "status" / "kasus" / f"{kasus}.html"
    tree = dom(page)
    bars = tree.xpath("//svg[@class='linimasa']//g[@class='langkah']")
    assert len(bars) == 11
    assert all(g.xpath(".//rect[@class='aktual']") for g in bars)  # every step has begun
    steps = tree.xpath("//table[@class='langkah-sop']/tbody/tr")
    assert [r.xpath("./td")[0].text_content() for r in steps] == [str(n) for n in range(1, 12)]
    documents = [a.text_content() for a in tree.xpath("//ul[@class='dokumen']//a")]
    assert f"{kasus}_10_nota-dinas.docx" in documents and len(documents) >= 4
    assert tree.xpath("//ul[@class='kode']//a")
    assert "2 PPK, 3 anggota panitia, 3 paket, pagu Rp14.700.000.000,00" in tree.text_content()
    assert_self_contained(tree, page)
    held = dom(office.outbox / "status" / "kasus" / f"{case_id(office, DUKCAPIL)}.html")
    findings = [" ".join(li.text_content().split()) for li in held.xpath("//ul[@class='temuan']/li")]
    assert findings and all(findings)


@needs_browser
def test_each_official_has_a_queue_and_the_day_has_its_agenda(office):
    kapus = dom(office.outbox / "status" / "antrean" / "kapus.html")
    assert sorted(rows(kapus)) == sorted([KEUDA, OTDA])
    staf = dom(office.outbox / "status" / "antrean" / "staf.html")
    assert sorted(rows(staf)) == [BPSDM]
    page = office.outbox / "status" / "agenda.html"
    agenda = dom(page)
    masuk = agenda.xpath("//table[@class='agenda-masuk']/tbody/tr")
    assert [r.xpath("./td")[0].text_content() for r in masuk] == [
        "0001/SM/2026",
        "0002/SM/2026",
        "0003/SM/2026",
        "0004/SM/2026",
    ]
    assert sum(HOSTILE in r.text_content() for r in masuk) == 1
    keluar = agenda.xpath("//table[@class='agenda-keluar']/tbody/tr")
    assert len(keluar) == 1 and "menunggu tanda tangan" in keluar[0].text_content()
    assert_self_contained(agenda, page)


@needs_browser
def test_a_step_past_its_target_is_highlighted_as_time_passes(office):
    later = dt.datetime.now(office.timezone) + dt.timedelta(days=2)
    with open_workspace(office, clock=lambda: later) as ws:
        assert ws.refresh_site(force=True) is None
    try:
        found = rows(dom(office.outbox / "status" / "index.html"))
        late = sorted(k for k, r in found.items() if "terlambat" in (r.get("class") or ""))
        assert late == sorted([BPSDM, KEUDA, OTDA])  # the held case waits for the unit, not for us
        assert "melewati target" in found[KEUDA].text_content()
        page = office.outbox / "status" / "kasus" / f"{case_id(office, KEUDA)}.html"
        assert dom(page).xpath("//table[@class='langkah-sop']/tbody/tr[@class='terlambat']")
        written = page.stat().st_mtime_ns
        with open_workspace(office, clock=lambda: later) as ws:
            assert ws.refresh_site(force=True) is None
        assert page.stat().st_mtime_ns == written  # already shown late: not rewritten at every rescan
    finally:
        with open_workspace(office) as ws:
            ws.refresh_site(force=True)


def test_pages_are_replaced_whole(office, monkeypatch):
    page = office.outbox / "status" / "index.html"
    before = page.read_bytes()

    def broken(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site.os, "replace", broken)
    with open_workspace(office) as ws:
        problem = ws.refresh_site(force=True)
    assert "Halaman status di outbox/status belum dapat diperbarui" in problem
    assert page.read_bytes() == before
    assert not list((office.outbox / "status").rglob("*.tmp"))


def test_the_site_is_written_again_only_after_a_change(office):
    index = office.outbox / "status" / "index.html"
    stamp = index.stat().st_mtime_ns
    with open_workspace(office) as ws:
        ws.refresh_site()
    assert index.stat().st_mtime_ns == stamp


@pytest.fixture
def own_office(office, tmp_path):
    """A copy of the office, for a test that changes its cases."""
    from pipeline import config as config_module

    shutil.copytree(office.root, tmp_path / "ws", symlinks=True)
    return config_module.load(tmp_path / "ws" / "config.yaml")


def described_during(monkeypatch, ws, refresh):
    """The ids of the cases described (their signatures read, ``views.describe``) while
    ``refresh()`` ran. The register is watched rather than ``views`` patched: a patched SOP
    module is another code, under which no kept row counts."""
    described, read = [], ws.register.incoming_signatures

    def counting(kasus=None):
        described.append(kasus)
        return read(kasus)

    monkeypatch.setattr(ws.register, "incoming_signatures", counting)
    refresh()
    monkeypatch.setattr(ws.register, "incoming_signatures", read)
    return described


def test_a_refresh_describes_again_only_the_cases_that_changed(own_office, monkeypatch):
    config = own_office
    with open_workspace(config) as ws:
        assert ws.refresh_site(force=True) is None  # the rows of the unfinished cases kept
        unfinished = {case.id for case in ws.register.open_cases()}
        index = (config.outbox / "status" / "index.html").read_text(encoding="utf-8")
        described = described_during(monkeypatch, ws, lambda: ws.refresh_site(force=True))
    assert unfinished and not unfinished & set(described)  # only the finished cases the index lists
    assert (config.outbox / "status" / "index.html").read_text(encoding="utf-8") == index
    keuda, status = case_id(config, KEUDA), config.outbox / "status"
    marks = {name: (status / name).read_bytes() for name in (".terakhir", ".baris")}
    runner = CliRunner()
    result = runner.invoke(
        main, ["--config", str(config.path), "act", KEUDA, "disposisi_kapus", "--oleh", "Dr. Ir. Suryo Wibowo, M.T."]
    )
    assert result.exit_code == 0, result.output
    for name, content in marks.items():  # as if the site were last written before the action
        (status / name).write_bytes(content)
    with open_workspace(config) as ws:
        described = described_during(monkeypatch, ws, lambda: ws.refresh_site(force=True))
    assert sorted(set(described) & unfinished) == [keuda]  # its row and its page, nothing else
    from lxml import html as lxml_html

    row = rows(lxml_html.fromstring((config.outbox / "status" / "index.html").read_bytes()))[KEUDA]
    assert "Menunggu Kapusdatinkomtel" not in " ".join(row.text_content().split())


def test_kept_rows_show_the_minutes_and_lateness_of_now(own_office):
    """Rows kept from an earlier refresh count a running step's minutes to the moment shown, as
    rows described afresh do: the pages are the same, byte for byte."""
    config, status = own_office, own_office.outbox / "status"
    later = dt.datetime.now(config.timezone) + dt.timedelta(days=2, minutes=7)
    pages = ["index.html", *(f"antrean/{p.name}" for p in (status / "antrean").iterdir())]
    with open_workspace(config) as ws:
        ws.refresh_site(force=True)
    with open_workspace(config, clock=lambda: later) as ws:
        ws.refresh_site(force=True)
    kept = {name: (status / name).read_bytes() for name in pages}
    assert b"melewati target" in kept["index.html"]
    (status / ".baris").unlink()  # every case described again
    with open_workspace(config, clock=lambda: later) as ws:
        ws.refresh_site(force=True)
    assert {name: (status / name).read_bytes() for name in pages} == kept


def test_an_event_committed_while_the_changes_are_read_is_seen_next_time(own_office, monkeypatch):
    """Another host may commit an event between the two reads of ``changed_cases``: the site,
    which keeps the rows of the cases it does not see change, must see that case next time."""
    from pipeline.register.records import Event

    kasus = case_id(own_office, KEUDA)
    with open_workspace(own_office) as ws:
        register = ws.register
        _, start = register.changed_cases(0)
        read = register._rows

        def racing(sql, *params):
            rows = read(sql, *params)
            if "DISTINCT kasus FROM events" in sql:
                with register.transaction():  # as if committed by another host meanwhile
                    register.record_event(Event(ws.clock.stamp(), kasus, "pipeline", "uji", {}))
            return rows

        monkeypatch.setattr(register, "_rows", racing)
        first, upto = register.changed_cases(start)
        monkeypatch.setattr(register, "_rows", read)
        again, _ = register.changed_cases(upto)
    assert kasus not in first and kasus in again
