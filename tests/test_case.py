"""Whole SOP cases through the command line: files dropped in the inbox, as staff work."""

import json

import pytest
from support.builders import (
    HEADER,
    MEMO_NOMOR,
    action,
    docx_text,
    registration,
    registration_csv,
    registration_yaml,
    tab_memo,
)
from support.cases import to_authentication
from support.cli import invoke, invoker, jsonl
from support.steps import edit_steps
from support.workspace import make_workspace

from pipeline.sop.access import current_account


def status(cli):
    [item] = jsonl(cli("status", "--json", "--all"))
    return item


def step_status(cli):
    return {s["no"]: s["status"] for s in status(cli)["langkah"]}


def outbox_text(ws, pattern):
    [path] = sorted(ws.outbox.glob(f"*/{pattern}"))
    return docx_text(path)


def test_whole_case_from_memo_to_konsep_with_files_only(config, cli):
    to_authentication(config, cli)
    item = status(cli)
    assert item["langkah_sekarang"] == 7 and item["status"] == "berjalan"
    assert item["data"] == {"ppk": 1, "panitia": 3, "paket": 2, "pagu_total": 2_395_000_000}
    assert item["masalah"] == []
    action(
        config.inbox / "otentikasi.yaml",
        "otentikasi",
        oleh="Dewi Lestari, S.T., M.Kom.",
        catatan="Dicocokkan dengan SIMPEG",
    )
    cli("run")
    assert status(cli)["langkah_sekarang"] == 9

    sheet = outbox_text(config, "*_04_lembar-disposisi_v2.docx")
    assert "☒ Proses lebih lanjut" in sheet and "☐ Arsip" in sheet
    assert "Kapusdatinkomtel (" in sheet and "kepada Kepala Bidang Telematika; Proses lebih lanjut" in sheet

    data = outbox_text(config, "*_05_daftar-ppk-panitia-paket-pagu.docx")
    for expected in (
        "DAFTAR PPK, PANITIA PENGADAAN, PAKET LELANG DAN PAGU ANGGARAN",
        "Dr. Hendra Gunawan, M.Si.",
        "19710605 199803 1 004",
        "+628119876543",
        "Rp2.300.000.000,00",
        "Rp95.000.000,00",
        "Rp2.395.000.000,00",
        "Terbilang: dua miliar tiga ratus sembilan puluh lima juta rupiah",
        "NIP 19810715 200501 2 003",
    ):
        assert expected in data, expected

    verification = outbox_text(config, "*_06_daftar-verifikasi.docx")
    assert "Kesimpulan: Data MEMENUHI SYARAT." in verification
    assert "29 pemeriksaan: 29 sesuai, 0 tidak sesuai, 0 peringatan." in verification

    authentication = outbox_text(config, "*_07_daftar-otentifikasi.docx")
    assert "Otentikasi oleh Dewi Lestari, S.T., M.Kom." in authentication
    assert "Dicocokkan dengan SIMPEG" in authentication
    assert (
        "Panitia 3 (NIP 19820909 200912 2 003, Maria Goretti Sitanggang)\nidentitas dan jabatan: sesuai"
        in authentication
    )
    assert "Rp2.395.000.000,00, diotentikasi oleh Dewi Lestari, S.T., M.Kom." in authentication

    report = outbox_text(config, "*_08_draft-laporan-kesiapan.docx")
    assert report.startswith("DRAFT")
    assert "Rp2.395.000.000,00 (dua miliar tiga ratus sembilan puluh lima juta rupiah)" in report
    # each section says its own finding (the document's verification code never takes a field's name)
    verification = report.split("III. Hasil Verifikasi\n")[1].split("\n")[0]
    assert verification.startswith("Data memenuhi syarat") or "sesuai" in verification, verification
    assert "kode" not in verification and "Kode verifikasi: " in report

    konsep = outbox_text(config, "*_09_konsep-nota-dinas.docx")
    assert konsep.startswith("KONSEP")
    assert "Yth.\t:\tKetua Unit Layanan Pengadaan Badan Penelitian dan Pengembangan" in konsep
    assert "Nomor\t:\t000.4.5/\u2002\u2002\u2002\u2002\u2002\u2002/Pusdatinkomtel/" in konsep
    assert "Hal\t:\tHasil Fasilitasi Pemanfaatan SPSE" in konsep
    assert f"Menindaklanjuti Nota Dinas Saudara Nomor {MEMO_NOMOR} tanggal 7 Oktober 2026" in konsep
    assert "Dr. Ir. Suryo Wibowo, M.T." in konsep


def test_approval_numbers_the_letter_and_sending_closes_the_case(config, cli):
    to_authentication(config, cli)
    for name, langkah in (("o.yaml", "otentikasi"), ("p.yaml", "periksa")):
        action(config.inbox / name, langkah)
        cli("run")
    result = cli("act", MEMO_NOMOR, "setujui", "--oleh", "Dr. Ir. Suryo Wibowo, M.T.")
    assert result.exit_code == 0, result.output
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert letter["nomor_urut"] == 1 and letter["nomor_surat"].startswith("000.4.5/1/Pusdatinkomtel/")
    assert letter["kepada"] == "Ketua Unit Layanan Pengadaan Badan Penelitian dan Pengembangan"
    final = docx_text(config.root / letter["berkas"]["nota-dinas.docx"])
    assert not final.startswith("KONSEP") and f"Nomor\t:\t{letter['nomor_surat']}" in final
    cli("act", letter["kasus"], "kirim", "--catatan", "Dikirim melalui kurir")
    assert status(cli)["status"] == "selesai"
    assert jsonl(cli("register", "--json", "--buku", "keluar"))[0]["dikirim"]
    assert "Arsip utuh" in cli("verify").output


@pytest.mark.parametrize("order", ["data-first", "actions-reversed", "separate-runs-data-before-memo"])
def test_inputs_in_any_order(config, cli, order):
    if order == "separate-runs-data-before-memo":
        registration_csv(config.inbox / "registrasi.csv")
        result = cli("run")
        assert "menunggu" in result.output
        [row] = jsonl(cli("journal", "--json"))
        assert row["hasil"] == "menunggu" and row["kasus"] == ""
        assert "setelah Nota Dinas dengan nomor" in row["alasan"][0]
        tab_memo(config.inbox / "nota.docx")
        cli("run")
        action(config.inbox / "b.yaml", "disposisi_kabid")
        action(config.inbox / "a.yaml", "disposisi_kapus")
    else:
        registration_yaml(config.inbox / "0-registrasi.yaml")
        names = ("1-kabid.yaml", "2-kapus.yaml") if order == "actions-reversed" else ("1-kapus.yaml", "2-kabid.yaml")
        action(config.inbox / names[0], "disposisi_kabid" if order == "actions-reversed" else "disposisi_kapus")
        action(config.inbox / names[1], "disposisi_kapus" if order == "actions-reversed" else "disposisi_kabid")
        tab_memo(config.inbox / "z-nota.docx")
    cli("run")
    assert status(cli)["langkah_sekarang"] == 7
    assert {r["hasil"] for r in jsonl(cli("journal", "--json"))} == {"diterima"}


def test_an_early_authentication_never_applies_to_data_that_came_after_it(config, cli):
    data = registration()
    data["ppk"][0]["email"] = "hendra@"
    to_authentication(config, cli, data)  # held at verification: the data has an error
    assert status(cli)["langkah_sekarang"] == 6
    assert cli("act", MEMO_NOMOR, "otentikasi", "--oleh", "Dewi Lestari").exit_code == 0  # kept, early
    registration_yaml(config.inbox / "perbaikan.yaml")  # the corrected data it never saw
    cli("run")
    assert status(cli)["langkah_sekarang"] == 7
    [early] = [r for r in jsonl(cli("journal", "--json")) if r["berkas"].startswith("tindakan-otentikasi")]
    assert early["hasil"] == "ditolak" and early["alasan"] == [
        "Dibatalkan: Data registrasi baru diterima; langkah 5 dan seterusnya diulang. Catat ulang bila masih berlaku."
    ]
    assert cli("act", MEMO_NOMOR, "otentikasi", "--oleh", "Dewi Lestari").exit_code == 0
    assert status(cli)["langkah_sekarang"] == 9


def test_an_approval_kept_before_tolak_is_void_and_never_judges_the_corrected_data(tmp_path):
    """An office lets the Kapus approve early; a tolak at review voids that approval."""

    def early_approval(steps):
        next(s for s in steps if s["key"] == "setujui")["early"] = True
        return steps

    ws = edit_steps(make_workspace(tmp_path / "ws"), early_approval)
    cli = invoker(ws)
    to_authentication(ws, cli)
    cli("act", MEMO_NOMOR, "otentikasi")
    assert cli("act", MEMO_NOMOR, "setujui").exit_code == 0  # kept: the case is at review
    result = cli("act", MEMO_NOMOR, "tolak", "--catatan", "Pagu belum sesuai DIPA")
    assert result.exit_code == 0, result.output
    [approval] = [r for r in jsonl(cli("journal", "--json")) if "setujui" in r["berkas"]]
    assert approval["hasil"] == "ditolak" and approval["alasan"][0].startswith(
        "Dibatalkan: Dikembalikan pada langkah 9 oleh"
    )
    registration_yaml(ws.inbox / "perbaikan.yaml", registration(unit="Balitbang"))
    cli("run")
    cli("act", MEMO_NOMOR, "otentikasi")
    cli("act", MEMO_NOMOR, "periksa")
    item = status(cli)
    assert item["langkah_sekarang"] == 10 and jsonl(cli("register", "--json", "--buku", "keluar")) == []


def test_a_repeated_act_after_a_resubmission_is_recorded(config, cli):
    to_authentication(config, cli)
    cli("act", MEMO_NOMOR, "otentikasi")
    assert cli("act", MEMO_NOMOR, "tolak", "--catatan", "Perbaiki").exit_code == 0
    registration_yaml(config.inbox / "perbaikan.yaml", registration(unit="Balitbang"))
    cli("run")
    result = cli("act", MEMO_NOMOR, "otentikasi")
    assert result.exit_code == 0 and "(diterima)" in result.output, result.output
    assert status(cli)["langkah_sekarang"] == 9


@pytest.mark.parametrize(
    "first, second, reason",
    [
        ([], ("periksa", {}), "kasus belum sampai langkah 9 (Memeriksa draft laporan). Menunggu Kapusdatinkomtel"),
        (
            [("disposisi_kabid", {})],
            ("disposisi_kabid", {"oleh": "Ahmad Fauzi"}),
            "tindakan disposisi_kabid sudah diterima dan sedang menunggu diterapkan.",
        ),
        (
            [],
            ("tolak", {"catatan": "x"}),
            "tindakan tolak hanya dapat dilakukan pada langkah 9 (Memeriksa draft laporan) atau "
            "10 (Menyetujui Nota Dinas).",
        ),
    ],
)
def test_actions_that_do_not_fit_are_refused_with_what_the_case_waits_for(config, cli, first, second, reason):
    tab_memo(config.inbox / "nota.docx")
    for n, (langkah, extra) in enumerate(first):
        action(config.inbox / f"a{n}.yaml", langkah, **extra)
    cli("run")
    action(config.inbox / "salah.yaml", second[0], **second[1])
    cli("run")
    text = (config.rejected_dir / "salah.yaml.alasan.txt").read_text(encoding="utf-8")
    assert reason in text, text


def test_second_disposition_after_it_was_applied_is_refused(config, cli):
    tab_memo(config.inbox / "nota.docx")
    action(config.inbox / "a.yaml", "disposisi_kapus")
    cli("run")
    result = cli("act", MEMO_NOMOR, "disposisi_kapus")
    assert result.exit_code == 1
    assert "langkah 3 (Menelaah dan mendisposisikan kepada Kepala Bidang) sudah dicatat pada" in result.output
    assert "Menunggu Kabid" in result.output


def test_action_for_unknown_case_refused(config, cli):
    action(config.inbox / "a.yaml", "disposisi_kapus", rujukan="999/TIDAK-ADA/2026")
    cli("run")
    text = (config.rejected_dir / "a.yaml.alasan.txt").read_text(encoding="utf-8")
    assert "Kasus dengan rujukan “999/TIDAK-ADA/2026” tidak ditemukan." in text


def test_unknown_action_step_refused(config, cli):
    tab_memo(config.inbox / "nota.docx")
    action(config.inbox / "a.yaml", "terbang")
    cli("run")
    text = (config.rejected_dir / "a.yaml.alasan.txt").read_text(encoding="utf-8")
    assert "Kolom “langkah” pada berkas tindakan harus salah satu dari: disposisi_kapus" in text


def test_errors_hold_the_case_and_a_return_memo_lists_the_corrections(config, cli):
    data = registration()
    data["panitia"][0]["nip"] = "198003142006042000"
    data["ppk"][0]["email"] = "hendra@"
    to_authentication(config, cli, data)
    item = status(cli)
    assert item["status"] == "tertahan" and item["langkah_sekarang"] == 6
    assert "Tertahan pada langkah 6" in item["menunggu"]
    expected = [
        "PPK 1 (NIP 19710605 199803 1 004, Dr. Hendra Gunawan, M.Si.): alamat e-mail “hendra@” tidak sah",
        "Panitia 1 (NIP 19800314 200604 2 000, Rina Marlina, S.T.): nomor urut pada NIP tidak boleh 000",
    ]
    assert item["masalah"] == expected
    verification = outbox_text(config, "*_06_daftar-verifikasi.docx")
    assert "Data BELUM MEMENUHI SYARAT; 2 hal harus diperbaiki" in verification
    assert (
        "kelengkapan isian, NIP, telepon: sesuai; e-mail: tidak sesuai\nTidak sesuai\nalamat e-mail “hendra@” tidak sah"
    ) in verification
    konsep = outbox_text(config, "*_06_konsep-nota-dinas.docx")
    assert "Hal\t:\tPengembalian Data Registrasi Pemanfaatan SPSE" in konsep
    assert "\n".join(f"{n}.\t{text}" for n, text in enumerate(expected, start=1)) in konsep

    registration_csv(config.inbox / "perbaikan.csv")
    cli("run")
    item = status(cli)
    assert item["status"] == "berjalan" and item["langkah_sekarang"] == 7 and item["masalah"] == []
    assert outbox_text(config, "*_06_daftar-verifikasi_v2.docx").count("Data MEMENUHI SYARAT.") == 1


def test_newer_registration_supersedes_and_documents_are_regenerated(config, cli):
    to_authentication(config, cli)
    data = registration()
    data["paket"] = data["paket"][:1]
    registration_yaml(config.inbox / "registrasi-baru.yaml", data)
    cli("run")
    item = status(cli)
    assert item["langkah_sekarang"] == 7
    assert item["data"]["paket"] == 1 and item["data"]["pagu_total"] == 2_300_000_000
    assert "Rp2.300.000.000,00" in outbox_text(config, "*_05_daftar-ppk-panitia-paket-pagu_v2.docx")
    assert (config.outbox / item["kasus"] / f"{item['kasus']}_05_daftar-ppk-panitia-paket-pagu.docx").exists()
    kept = [r for r in jsonl(cli("journal", "--json")) if r["jenis"] == "registrasi"]
    assert [r["alasan"] for r in kept] == [["Digantikan oleh data registrasi yang lebih baru."], []]
    assert "Arsip utuh" in cli("verify").output


def test_tolak_at_review_sends_the_case_back_to_step_5(config, cli):
    to_authentication(config, cli)
    cli("act", MEMO_NOMOR, "otentikasi")
    result = cli(
        "act", MEMO_NOMOR, "tolak", "--oleh", "Ahmad Fauzi", "--catatan", "Pagu paket server belum sesuai DIPA"
    )
    assert result.exit_code == 0, result.output
    item = status(cli)
    assert item["langkah_sekarang"] == 5 and item["status"] == "tertahan"
    konsep = outbox_text(config, "*_09_konsep-nota-dinas_v2.docx")
    assert "1.\tPagu paket server belum sesuai DIPA" in konsep
    registration_yaml(config.inbox / "perbaikan.yaml", registration(tahun_anggaran=2027, unit="Balitbang"))
    cli("run")
    assert status(cli)["langkah_sekarang"] == 7


def reference_workspace(tmp_path, employees, budget):
    (tmp_path / "pegawai.csv").write_text(employees, encoding="utf-8")
    (tmp_path / "dipa.csv").write_text(budget, encoding="utf-8")
    ws = make_workspace(
        tmp_path / "ws",
        {"reference": {"employees": str(tmp_path / "pegawai.csv"), "budget": str(tmp_path / "dipa.csv")}},
    )
    return ws


EMPLOYEES = (
    "nip;nama;unit\n197106051998031004;HENDRA GUNAWAN;Balitbang\n"
    "198003142006042002;Rina Marlina;Balitbang\n198711202011011005;Teguh Prasetyo;Balitbang\n"
    "198209092009122003;Maria Goretti Sitanggang;Balitbang\n"
)


def test_authentication_against_reference_data(tmp_path):
    ws = reference_workspace(
        tmp_path, EMPLOYEES, "unit;tahun_anggaran;pagu\nBadan Penelitian dan Pengembangan;2027;Rp3.000.000.000\n"
    )
    cli = lambda *a: invoke(ws, *a)
    tab_memo(ws.inbox / "nota.docx")
    cli("run")
    refused = cli("act", MEMO_NOMOR, "otentikasi")
    assert refused.exit_code == 1 and "otentikasi dilakukan otomatis terhadap data acuan" in refused.output
    (ws.inbox / "nota.docx").unlink(missing_ok=True)
    to_authentication(ws, cli)
    item = status(cli)
    assert item["langkah_sekarang"] == 9, item["menunggu"]
    text = outbox_text(ws, "*_07_daftar-otentifikasi.docx")
    assert "data induk pegawai (pegawai.csv) dan alokasi anggaran DIPA (dipa.csv)" in text
    assert "Rp2.395.000.000,00 dari alokasi Rp3.000.000.000,00 (dipa.csv)" in text


def test_authentication_failure_holds_and_can_be_overridden(tmp_path):
    employees = EMPLOYEES.replace("Rina Marlina", "Rina Marlinawati")
    ws = reference_workspace(
        tmp_path, employees, "unit;tahun_anggaran;pagu\nBadan Penelitian dan Pengembangan;2027;2000000000\n"
    )
    cli = lambda *a: invoke(ws, *a)
    to_authentication(ws, cli)
    item = status(cli)
    assert item["status"] == "tertahan" and item["langkah_sekarang"] == 7
    assert item["masalah"] == [
        "Panitia 1 (NIP 19800314 200604 2 002, Rina Marlina, S.T.): nama di data induk pegawai adalah "
        "“Rina Marlinawati”",
        "Pagu seluruh paket: jumlah pagu Rp2.395.000.000,00 melebihi alokasi Rp2.000.000.000,00 (dipa.csv)",
    ]
    assert "Pengembalian Data Registrasi" in outbox_text(ws, "*_07_konsep-nota-dinas.docx")
    result = cli("act", MEMO_NOMOR, "otentikasi", "--catatan", "Nama sesuai SK terbaru; revisi DIPA")
    assert result.exit_code == 0, result.output
    assert status(cli)["langkah_sekarang"] == 9


def test_a_rujukan_two_cases_share_is_refused_naming_both(config, cli):
    tab_memo(config.inbox / "a.docx")
    tab_memo(config.inbox / "b.docx", {**HEADER, "Dari": "Ketua ULP Inspektorat Jenderal"})
    cli("run")
    ids = [item["kasus"] for item in jsonl(cli("status", "--json"))]
    result = cli("act", MEMO_NOMOR, "disposisi_kapus")
    assert result.exit_code == 1
    assert f"cocok dengan lebih dari satu kasus: {ids[0]}, {ids[1]}. Tuliskan nomor kasusnya" in result.output
    assert cli("act", ids[1], "disposisi_kapus").exit_code == 0


def test_the_same_memo_typed_differently_is_not_numbered_twice(config, cli):
    tab_memo(config.inbox / "a.docx")
    cli("run")
    tab_memo(
        config.inbox / "b.docx",
        {
            **HEADER,
            "Nomor": " 005/88/ulp-litbang/X/2026 ",
            "Dari": HEADER["Dari"].replace("Ketua", "ketua").replace(" ", "  "),
        },
    )
    cli("run")
    assert len(jsonl(cli("register", "--json"))) == 1
    assert "sudah tercatat dengan nomor agenda" in (config.rejected_dir / "b.docx.alasan.txt").read_text()


def test_a_decision_written_before_new_data_never_judges_it_even_in_one_pass(config, cli):
    """The Kasubbid authenticates at 10:00; corrected data lands at 10:05; both are taken together."""
    import os
    import time

    to_authentication(config, cli)
    stamp = time.time()
    path = action(config.inbox / "otentikasi.yaml", "otentikasi")
    os.utime(path, (stamp - 300, stamp - 300))
    newer = registration_yaml(config.inbox / "perbaikan.yaml", registration(unit="Balitbang"))
    os.utime(newer, (stamp, stamp))
    cli("run")
    # taken in the order they were written: the authentication judged the data it saw, then the
    # corrected data sent the case back, and it waits for an authentication of that data
    item = status(cli)
    assert item["langkah_sekarang"] == 7 and item["data"]["pagu_total"] == 2_395_000_000
    [early] = [r for r in jsonl(cli("journal", "--json")) if r["berkas"] == "otentikasi.yaml"]
    assert early["hasil"] == "diterima"
    steps = {s["key"]: s for s in item["langkah"]}
    assert steps["otentikasi"]["status"] == "berjalan" and steps["input_data"]["status"] == "selesai"


def test_a_judgement_cannot_come_before_there_is_data_to_judge(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    result = cli("act", MEMO_NOMOR, "otentikasi")
    assert result.exit_code == 1 and "kasus belum menerima data registrasi" in result.output


def test_a_voided_number_stays_in_the_book_and_is_never_given_again(config, cli):
    to_authentication(config, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    code = docx_text(config.root / letter["berkas"]["nota-dinas.docx"]).split("Kode verifikasi: ")[1][:11]
    refused = cli("batal", letter["nomor_surat"], "--alasan", " ")
    assert refused.exit_code == 1 and "Alasan pembatalan wajib diisi" in refused.output
    result = cli("batal", letter["nomor_surat"].replace("/", "-"), "--alasan", "Salah alamat tujuan")
    assert result.exit_code == 0, result.output
    assert json.loads(cli("verify", "--kode", code, "--json").output)["status"] == "batal"
    assert status(cli)["langkah_sekarang"] == 10
    assert cli("batal", letter["nomor_surat"], "--alasan", "lagi").exit_code == 1
    assert cli("act", MEMO_NOMOR, "setujui").exit_code == 0
    first, second = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert (first["batal"], first["alasan_batal"], first["batal_oleh"]) == (
        True,
        "Salah alamat tujuan",
        current_account(),
    )
    assert (second["nomor_urut"], second["batal"]) == (2, False)
    assert cli("act", second["kasus"], "kirim").exit_code == 0
    first, second = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert first["dikirim"] is None and second["dikirim"]
    cli("register", "--buku", "keluar", "--csv", str(config.root.parent / "keluar.csv"))
    book = (config.root.parent / "keluar.csv").read_text(encoding="utf-8-sig")
    assert f"BATAL: Salah alamat tujuan (oleh {current_account()}," in book


def approved_letter(tmp_path):
    """A workspace whose ink-signed scan records the sending, with a case approved to a numbered letter."""
    ws = make_workspace(tmp_path / "ws", {"signing": {"scan_sends": True}})
    cli = lambda *a: invoke(ws, *a)
    to_authentication(ws, cli)
    for langkah in ("otentikasi", "periksa", "setujui"):
        assert cli("act", MEMO_NOMOR, langkah).exit_code == 0
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    return ws, cli, letter


@pytest.mark.parametrize("how", ["name", "sidecar"])
def test_the_letter_signed_in_ink_is_filed_beside_it_and_can_close_the_case(tmp_path, how):
    from support.builders import scan

    ws, cli, letter = approved_letter(tmp_path)
    if how == "name":
        scan(ws.inbox / (letter["nomor_surat"].replace("/", "-") + ".pdf"))
    else:
        scan(ws.inbox / "surat-ttd.pdf")
        (ws.inbox / "surat-ttd.yaml").write_text(f"jenis: surat_keluar_ttd\nnomor: {letter['nomor_surat']}\n")
    result = cli("run")
    assert "diterima" in result.output, result.output
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert letter["ditandatangani"] and letter["ditandatangani_oleh"] == "tanda tangan basah (pindaian)"
    assert letter["dikirim"] and status(cli)["status"] == "selesai"
    [copy] = (ws.root / letter["berkas"]["nota-dinas.docx"]).parent.glob("ttd_v1/asli_*.pdf")
    assert copy.read_bytes().startswith(b"%PDF")
    assert "Arsip utuh" in cli("verify").output


def test_a_scan_named_after_no_letter_waits_for_its_sidecar(config, cli):
    from support.builders import scan

    scan(config.inbox / "000.4.5-99-Pusdatinkomtel-2026.pdf")  # the default format, its code's dots kept
    cli("run")
    assert (config.inbox / "000.4.5-99-Pusdatinkomtel-2026.pdf").exists()
    assert [e["hasil"] for e in jsonl(cli("journal", "--json"))] == ["menunggu"]
    (config.inbox / "000.4.5-99-Pusdatinkomtel-2026.yaml").write_text(
        "jenis: surat_keluar_ttd\nnomor: 000.4.5/99/X/2026\n"
    )
    cli("run")
    [entry] = [e for e in jsonl(cli("journal", "--json")) if e["berkas"].endswith(".pdf")]
    assert entry["hasil"] == "ditolak" and "000.4.5/99/X/2026" in entry["alasan"][0]


def test_a_sidecar_without_its_scan_is_no_signed_letter(tmp_path):
    ws, cli, letter = approved_letter(tmp_path)
    (ws.inbox / "ttd.yaml").write_text(f"jenis: surat_keluar_ttd\nnomor: {letter['nomor_surat']}\n")
    cli("run")
    [entry] = [e for e in jsonl(cli("journal", "--json")) if e["berkas"] == "ttd.yaml"]
    assert entry["hasil"] == "ditolak" and "tidak disertai pindaian" in entry["alasan"][0]
    [letter] = jsonl(cli("register", "--json", "--buku", "keluar"))
    assert not letter["ditandatangani"] and not letter["dikirim"] and status(cli)["status"] == "berjalan"
