"""The SRIKANDI bundle: per sent letter, the signed file and the fields of SRIKANDI's form."""

import csv
import json

from support.builders import MEMO_NOMOR, scan
from support.cases import to_authentication
from support.cli import invoke, jsonl
from support.workspace import make_workspace

from pipeline.fields import format_nip


def approved(tmp_path, overrides=None):
    ws = make_workspace(tmp_path / "ws", overrides)
    cli = lambda *a: invoke(ws, *a)
    to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    return ws, cli, letter


def test_a_letter_signed_in_ink_and_sent_is_bundled_with_the_form_fields(tmp_path):
    ws, cli, letter = approved(tmp_path, {"signing": {"scan_sends": True}})
    signed = scan(ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".pdf"))
    scanned = signed.read_bytes()
    assert "diterima" in cli("run").output
    result = cli("export", "srikandi", str(tmp_path / "unggah"))
    assert result.exit_code == 0, result.output
    key = letter["nomor_surat"].replace("/", "-").replace(".", "-").lower()
    folder = tmp_path / "unggah" / key
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{key}.pdf", "isian-srikandi.json", "isian-srikandi.txt"]
    )
    assert (folder / f"{key}.pdf").read_bytes() == scanned
    fields = json.loads((folder / "isian-srikandi.json").read_text(encoding="utf-8"))
    assert {
        k: fields[k]
        for k in (
            "jenis_naskah",
            "nomor",
            "sifat",
            "klasifikasi",
            "tujuan",
            "penandatangan",
            "nip_penandatangan",
            "tanda_tangan",
            "kasus",
        )
    } == {
        "jenis_naskah": "Nota Dinas",
        "nomor": letter["nomor_surat"],
        "sifat": letter["sifat"],
        "klasifikasi": "000.4.5",
        "tujuan": letter["kepada"],
        "penandatangan": ws.officials["kapus"].nama,
        "nip_penandatangan": format_nip(ws.officials["kapus"].nip),
        "tanda_tangan": "basah (pindaian)",
        "kasus": "2026-0001",
    }
    assert fields["klasifikasi_judul"] == "Pengolahan Sistem Informasi Pengadaan"
    assert fields["hal"] == letter["hal"] and fields["tanggal_iso"] == letter["tanggal_surat"][:10]
    form = (folder / "isian-srikandi.txt").read_text(encoding="utf-8")
    assert f"Nomor                 : {letter['nomor_surat']}" in form and "Klasifikasi           : 000.4.5" in form
    assert "Judul Klasifikasi     : Pengolahan Sistem Informasi Pengadaan" in form
    with open(tmp_path / "unggah" / "daftar-kiriman.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:3] == ["Jenis Naskah", "Nomor", "Tanggal"] and rows[1][1] == letter["nomor_surat"]
    assert rows[1][-1] == key
    # exporting again replaces the letter's folder whole and keeps one line per letter
    assert cli("export", "srikandi", "2026-0001", str(tmp_path / "unggah")).exit_code == 0
    assert len(list((tmp_path / "unggah").iterdir())) == 2


def test_only_sent_letters_that_are_signed_and_not_void_go(tmp_path):
    _ws, cli, letter = approved(tmp_path)
    result = cli("export", "srikandi", str(tmp_path / "unggah"))
    assert result.exit_code == 0 and "Belum ada Nota Dinas yang dikirim" in result.output
    assert cli("act", MEMO_NOMOR, "kirim").exit_code == 0  # sent on paper, no scan filed yet
    result = cli("export", "srikandi", MEMO_NOMOR, str(tmp_path / "unggah"))
    assert result.exit_code == 0
    assert f"Dilewati: Nota Dinas {letter['nomor_surat']}: belum ada salinan bertanda tangan" in " ".join(
        result.output.split()
    )
    assert not (tmp_path / "unggah" / "daftar-kiriman.csv").exists()


def test_the_bundle_never_lands_where_the_pipeline_keeps_its_files(config, cli):
    result = cli("export", "srikandi", str(config.archive / "srikandi"))
    assert result.exit_code == 1 and "Berkas keluaran" in result.output
    assert not (config.archive / "srikandi").exists()
    unknown = cli("export", "srikandi", "2099-0001", str(config.root.parent / "unggah"))
    assert unknown.exit_code == 1 and "tidak ditemukan" in unknown.output


def test_the_classification_comes_from_the_number_format():
    from pipeline.outputs.srikandi import klasifikasi

    assert klasifikasi("027/{nomor}/Pusdatinkomtel/{tahun}") == "027"
    assert klasifikasi("{nomor}/ND/{tahun}") == ""
    assert klasifikasi("ND-{nomor}-{tahun}") == ""  # no classification code before a slash: staff fill it in


def test_a_letter_voided_after_an_export_leaves_the_bundle_and_a_bad_folder_is_said(tmp_path):
    ws, cli, letter = approved(tmp_path, {"signing": {"scan_sends": True}})
    scan(ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".pdf"))
    cli("run")
    assert cli("export", "srikandi", str(tmp_path / "unggah")).exit_code == 0
    key = letter["nomor_surat"].replace("/", "-").replace(".", "-").lower()
    assert (tmp_path / "unggah" / key).is_dir()
    assert cli("batal", letter["nomor_surat"], "--alasan", "Salah alamat").exit_code == 0
    cli("export", "srikandi", str(tmp_path / "unggah"))
    assert not (tmp_path / "unggah" / key).exists()
    (tmp_path / "berkas").write_text("bukan folder")
    cli("act", MEMO_NOMOR, "setujui")
    [_, second] = jsonl(cli("register", "--json", "--buku", "keluar"))
    scan(ws.inbox / (second["nomor_surat"].replace("/", "-") + ".pdf")).write_bytes(b"%PDF-1.4 pindaian kedua")
    assert "1 diterima." in cli("run").output  # the new letter's scan, beside the new letter
    result = cli("export", "srikandi", str(tmp_path / "berkas"))
    assert result.exit_code == 1 and "tidak dapat ditulis" in result.output
