"""The step table runs the SOP: edit config.yaml alone and cases follow it (through the CLI)."""

import json

import docx
import pytest
from support.builders import MEMO_NOMOR, action, docx_text, registration_yaml, tab_memo
from support.cli import invoker
from support.steps import PARAF, edit_steps, with_paraf
from support.workspace import make_workspace

from pipeline.sop.access import current_account


def status(cli):
    [item] = [json.loads(line) for line in cli("status", "--json").output.splitlines() if line.strip()]
    return item


def to_report(ws, cli):
    """A memo, both dispositions, data and authentication: the case passes step 8."""
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    action(ws.inbox / "otentikasi.yaml", "otentikasi", oleh="Dewi Lestari")
    assert cli("run").exit_code == 0


def paraf_template(ws):
    document = docx.Document()
    document.add_paragraph("LEMBAR PARAF DRAFT LAPORAN")
    document.add_paragraph("Kasus {{ kasus }}, {{ unit }}")
    document.add_paragraph("Diparaf oleh {{ tindakan.oleh }}: {{ tindakan.catatan }}")
    document.save(str(ws.templates_dir / "lembar_paraf.docx"))


def test_a_human_step_added_in_config_alone_holds_cases_until_its_action(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    paraf_template(ws)
    ws = edit_steps(ws, with_paraf(document="lembar_paraf"), {"lembar_paraf": "lembar_paraf.docx"})
    cli = invoker(ws)
    to_report(ws, cli)
    item = status(cli)
    assert item["langkah_sekarang"] == 9
    assert item["menunggu"] == (
        "Menunggu Kasubbid — Memaraf draft laporan (langkah 9; catat dengan tindakan “paraf_kasubbid”)"
    )
    early = cli("act", MEMO_NOMOR, "periksa")
    assert early.exit_code == 1 and "kasus belum sampai langkah 10 (Memeriksa draft laporan)" in early.output

    result = cli("act", MEMO_NOMOR, "paraf_kasubbid", "--oleh", "Dewi Lestari", "--catatan", "Sudah sesuai")
    assert result.exit_code == 0, result.output
    item = status(cli)
    assert item["langkah_sekarang"] == 10
    paraf = next(s for s in item["langkah"] if s["key"] == "paraf_kasubbid")
    assert (paraf["no"], paraf["status"], paraf["oleh"]) == (9, "selesai", f"Dewi Lestari (akun {current_account()})")
    [sheet] = ws.outbox.glob("*/*_09_lembar-paraf.docx")
    assert "Diparaf oleh Dewi Lestari: Sudah sesuai" in docx_text(sheet)
    assert cli("act", MEMO_NOMOR, "periksa").exit_code == 0
    assert status(cli)["langkah_sekarang"] == 11


KASUBBID = {
    "key": "disposisi_kasubbid",
    "kind": "human",
    "actor": "Kasubbid",
    "activity": "Mendisposisikan kepada staf",
    "target_minutes": 5,
    "output": "Disposisi kepada staf",
    "early": True,
}


def test_an_early_action_waits_for_its_step(tmp_path):
    def edit(steps):
        at = next(i for i, s in enumerate(steps) if s["key"] == "input_data")
        steps = [*steps[:at], {"number": 0, **KASUBBID}, *steps[at:]]
        return with_paraf(early=True)(steps)

    ws = edit_steps(make_workspace(tmp_path / "ws"), edit)
    cli = invoker(ws)
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kasubbid.yaml", "disposisi_kasubbid", oleh="Dewi Lestari")
    action(ws.inbox / "paraf.yaml", "paraf_kasubbid", oleh="Dewi Lestari")
    cli("run")
    item = status(cli)
    assert item["langkah_sekarang"] == 3
    assert {s["key"]: s["status"] for s in item["langkah"]}["disposisi_kasubbid"] == "menunggu"
    journal = {r["berkas"]: r for r in map(json.loads, cli("journal", "--json").output.splitlines())}
    assert journal["kasubbid.yaml"]["hasil"] == "menunggu"
    assert journal["kasubbid.yaml"]["alasan"] == [
        "Disimpan; akan diterapkan ketika kasus 2026-0001 mencapai langkah 5 (Mendisposisikan kepada staf).".replace(
            "2026", item["kasus"][:4]
        )
    ]
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    action(ws.inbox / "otentikasi.yaml", "otentikasi")
    cli("run")
    item = status(cli)
    steps = {s["key"]: s for s in item["langkah"]}
    assert steps["disposisi_kasubbid"]["oleh"] == f"Dewi Lestari (akun {current_account()})"
    # The paraf came before the data it would vouch for: it is void, the case waits for a new one.
    assert item["langkah_sekarang"] == 10 and steps["paraf_kasubbid"]["status"] == "berjalan"
    journal = {r["berkas"]: r for r in map(json.loads, cli("journal", "--json").output.splitlines())}
    assert journal["paraf.yaml"]["hasil"] == "ditolak"


def test_a_machine_step_removed_is_skipped(tmp_path):
    ws = edit_steps(make_workspace(tmp_path / "ws"), lambda s: [x for x in s if x["key"] != "otentikasi"])
    cli = invoker(ws)
    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    registration_yaml(ws.inbox / "registrasi.yaml")
    result = cli("run")
    assert result.exit_code == 0 and "Traceback" not in result.output
    item = status(cli)
    assert item["langkah_sekarang"] == 8 and [s["key"] for s in item["langkah"]][5:8] == [
        "verifikasi",
        "laporan_kesiapan",
        "periksa",
    ]
    [report] = ws.outbox.glob("*/*_07_draft-laporan-kesiapan.docx")
    assert "Tidak dilakukan dalam SOP ini." in docx_text(report)
    refused = cli("act", MEMO_NOMOR, "otentikasi")
    assert refused.exit_code == 2 and "pilih salah satu dari: disposisi_kapus" in refused.output


def test_an_unknown_handler_is_one_line_naming_it(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    text = ws.path.read_text(encoding="utf-8").replace("handler: setujui", "handler: setuju")
    ws.path.write_text(text, encoding="utf-8")
    result = invoker(ws)("status")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "handler “setuju” tidak dikenal. Handler yang tersedia: agenda_masuk" in lines[0]


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_table_changed_under_an_open_case(tmp_path, where):
    ws = make_workspace(tmp_path / "ws")
    cli = invoker(ws)
    to_report(ws, cli)
    assert status(cli)["langkah_sekarang"] == 9
    if where == "before":  # a step inserted before where the case stands: the case has passed it
        ws = edit_steps(ws, with_paraf())
    else:  # a step inserted after it: the case will wait there
        ws = edit_steps(ws, lambda s: [*s[:10], {"number": 0, **PARAF, "key": "paraf_kapus"}, *s[10:]])
    cli = invoker(ws)
    item = status(cli)
    assert item["menunggu"].startswith("Menunggu Kasubbid/Kabid — Memeriksa draft laporan")
    view = {s["key"]: s["status"] for s in item["langkah"]}
    assert view["periksa"] == "berjalan"
    assert view.get("paraf_kasubbid", "dilewati") == "dilewati" and view.get("paraf_kapus", "menunggu") == "menunggu"
    assert cli("act", MEMO_NOMOR, "periksa").exit_code == 0
    assert cli("act", MEMO_NOMOR, "setujui").exit_code == 0
    item = status(cli)
    expected = "paraf_kapus" if where == "after" else "kirim"
    assert next(s for s in item["langkah"] if s["status"] == "berjalan")["key"] == expected
