"""Free text that reaches documents has limits, like the memo's fields: a pasted e-mail thread in an
action's catatan or an over-long registration field is refused with a reason naming the limit."""

import json

from click.testing import CliRunner
from support.builders import MEMO_NOMOR, action, registration, registration_csv, registration_yaml, tab_memo
from support.workspace import make_workspace

from pipeline.cli import main

THREAD = (
    "Dari: ulp@kemendagri.go.id\nKepada: pusdatinkomtel@kemendagri.go.id\n"
    "Mohon tindak lanjut permohonan pemanfaatan SPSE.\n\n"
) * 4000  # a pasted thread, about 380 KB


def refused(cli, name):
    outcomes = [json.loads(line) for line in cli("run", "--json").output.splitlines()]
    [outcome] = [o for o in outcomes if o["berkas"] == name]
    assert outcome["hasil"] == "ditolak", outcome
    return outcome["alasan"]


def test_a_pasted_thread_as_catatan_is_refused_naming_the_limit(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    action(config.inbox / "kapus.yaml", "disposisi_kapus", catatan=THREAD)
    [reason] = refused(cli, "kapus.yaml")
    length = f"{len(THREAD):,}".replace(",", ".")
    assert reason == (
        f"Kolom \u201ccatatan\u201d pada tindakan terlalu panjang: {length} karakter, paling "
        "banyak 2.000 (limits.max_note_chars di config.yaml). Tuliskan ringkasannya saja; teks "
        "lengkapnya (misalnya utas surel) kirimkan sebagai surat atau lampiran tersendiri, lalu catat "
        "tindakannya lagi."
    )
    assert (config.rejected_dir / "kapus.yaml").is_file()
    # within the limit the same disposition is taken
    action(config.inbox / "kapus-ringkas.yaml", "disposisi_kapus", catatan="Proses lebih lanjut sesuai SOP")
    [outcome] = [json.loads(line) for line in cli("run", "--json").output.splitlines()]
    assert outcome["hasil"] == "diterima"


def test_pipeline_act_refuses_an_over_long_catatan_and_kepada(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    result = cli("act", MEMO_NOMOR, "disposisi_kapus", "--catatan", "x" * 2001, "--kepada", "y" * 501)
    said = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "Kolom \u201ccatatan\u201d pada tindakan terlalu panjang: 2.001 karakter, paling banyak 2.000" in said
    assert "Kolom \u201ckepada\u201d pada tindakan terlalu panjang: 501 karakter, paling banyak 500" in said


def test_an_over_long_registration_field_is_refused_naming_its_row(config, cli):
    tab_memo(config.inbox / "nota.docx")
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    action(config.inbox / "kabid.yaml", "disposisi_kabid")
    cli("run")
    data = registration()
    data["paket"][1]["nama"] = "Pemeliharaan Jaringan " * 30
    registration_csv(config.inbox / "registrasi.csv", data)
    reasons = refused(cli, "registrasi.csv")
    assert reasons[0].startswith("Kolom \u201cnama\u201d pada baris ")
    assert (
        f"terlalu panjang: {len(' '.join(data['paket'][1]['nama'].split()))} karakter, paling banyak 500 "
        "(limits.max_text_chars di config.yaml)." in reasons[0]
    )
    assert reasons[-1] == "Ringkas isian itu, lalu letakkan kembali berkas registrasinya di inbox."
    data["paket"][1]["nama"] = "Pemeliharaan Jaringan Intranet"
    registration_yaml(config.inbox / "registrasi.yaml", data)
    [outcome] = [json.loads(line) for line in cli("run", "--json").output.splitlines()]
    assert outcome["hasil"] == "diterima", outcome


def test_a_registration_past_its_row_limit_is_refused_with_what_to_do(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"limits": {"max_registration_rows": 5}})

    def cli(*args):
        return CliRunner().invoke(main, ["--config", str(ws.path), *args], catch_exceptions=False)

    tab_memo(ws.inbox / "nota.docx")
    action(ws.inbox / "kapus.yaml", "disposisi_kapus")
    action(ws.inbox / "kabid.yaml", "disposisi_kabid")
    cli("run")
    data = registration()  # one PPK, three panitia, two paket: six rows
    registration_yaml(ws.inbox / "registrasi.yaml", data)
    assert refused(cli, "registrasi.yaml") == [
        "Data registrasi berisi 6 baris (PPK, panitia dan paket), melebihi batas 5 baris "
        "(limits.max_registration_rows di config.yaml): dokumennya tidak dapat dicetak dan diubah menjadi PDF "
        "dalam waktu wajar. Ajukan paket-paket itu dengan beberapa Nota Dinas, masing-masing dengan data "
        "registrasi paling banyak 5 baris."
    ]
