"""Hostile input: mutated .docx zips, YAML and CSV never crash the pipeline.

Every reader either returns a reading or refuses with a reason; through
``run`` every file ends in the journal with an outcome.
"""

import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.builders import registration, registration_csv, tab_memo
from support.cli import invoke, journal_by_file
from support.workspace import make_workspace

from pipeline import readers
from pipeline.cli import main
from pipeline.errors import InputRefused
from pipeline.readers.registration import normalise
from pipeline.readers.validate import validate_memo
from pipeline.sop.inputs import clean_action
from pipeline.sop.procedure import Procedure

FUZZ = settings(
    max_examples=int(__import__("os").environ.get("SPSE_FUZZ", "120")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


KINDS = ("nota_dinas", "registrasi", "tindakan", "pindaian")


def check_read_or_refused(path, limits, steps):
    """Read and validate as the pipeline does: a reading of a kind the pipeline knows, or
    InputRefused with its reasons; nothing else escapes."""
    try:
        parsed = readers.read(path, limits)
        if parsed.kind == "nota_dinas":
            validate_memo(parsed.fields)
        elif parsed.kind == "registrasi":
            normalise(parsed.fields)
        elif parsed.kind == "tindakan":
            clean_action(parsed.fields, Procedure(steps))
    except InputRefused as exc:
        assert exc.reasons and all(isinstance(r, str) and r for r in exc.reasons)
    else:
        assert parsed.kind in KINDS


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return make_workspace(tmp_path_factory.mktemp("fuzz") / "ws")


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory):
    return tab_memo(tmp_path_factory.mktemp("memo") / "m.docx").read_bytes()


@FUZZ
@given(data=st.data())
def test_mutated_docx_bytes(config, docx_bytes, tmp_path_factory, data):
    raw = bytearray(docx_bytes)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(len(raw) // 2, len(raw)))
    path = tmp_path_factory.mktemp("d") / "m.docx"
    path.write_bytes(bytes(raw[:cut]))
    check_read_or_refused(path, config.limits, config.steps)


@FUZZ
@given(document_xml=st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_docx_with_garbage_document_xml(config, docx_bytes, tmp_path_factory, document_xml):
    source = zipfile.ZipFile(io.BytesIO(docx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, document_xml if item.filename == "word/document.xml" else source.read(item))
    path = tmp_path_factory.mktemp("d") / "m.docx"
    path.write_bytes(out.getvalue())
    check_read_or_refused(path, config.limits, config.steps)


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(
    jenis=st.sampled_from(["nota_dinas", "registrasi", "tindakan", "lain"]),
    fields=st.dictionaries(
        st.sampled_from(
            [
                "nomor",
                "tanggal",
                "dari",
                "hal",
                "sifat",
                "rujukan",
                "langkah",
                "ppk",
                "panitia",
                "paket",
                "waktu",
                "tahun_anggaran",
                "kepada",
            ]
        ),
        yaml_values,
        max_size=8,
    ),
)
def test_structured_yaml(config, tmp_path_factory, jenis, fields):
    import yaml

    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text(yaml.safe_dump({"jenis": jenis, **fields}, allow_unicode=True), encoding="utf-8")
    check_read_or_refused(path, config.limits, config.steps)


@FUZZ
@given(text=st.text(max_size=300))
def test_arbitrary_yaml_text(config, tmp_path_factory, text):
    path = tmp_path_factory.mktemp("y") / "x.yaml"
    path.write_text("jenis: tindakan\n" + text, encoding="utf-8")
    check_read_or_refused(path, config.limits, config.steps)


@FUZZ
@given(data=st.data())
def test_mutated_csv(config, tmp_path_factory, data):
    raw = bytearray(registration_csv(tmp_path_factory.mktemp("c") / "r.csv").read_bytes())
    for _ in range(data.draw(st.integers(1, 10))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path_factory.mktemp("c") / "r.csv"
    path.write_bytes(bytes(raw))
    check_read_or_refused(path, config.limits, config.steps)


@FUZZ
@given(field=st.sampled_from(["nip", "pagu", "email", "telepon", "nama", "peran", "ppk_nip"]), value=yaml_values)
def test_registration_with_odd_values(config, field, value):
    from pipeline.sop.rules import verify

    data = registration()
    for section in ("ppk", "panitia", "paket"):
        data[section][0][field] = value
    try:
        checks = verify(normalise(data), config.rules)
    except InputRefused as exc:  # refused whole, with its reasons
        assert exc.reasons and all(isinstance(r, str) and r for r in exc.reasons)
    else:  # or verified: every check judged, every finding explained
        assert checks and {c.result for c in checks} <= {"sesuai", "error", "peringatan"}
        assert all(c.message for c in checks if c.result != "sesuai")


def test_every_hostile_file_ends_in_the_journal(tmp_path, docx_bytes):
    ws = make_workspace(tmp_path / "ws")
    files = {
        "kosong.docx": b"",
        "potong.docx": docx_bytes[: len(docx_bytes) // 2],
        "bom.yaml": b"a: &a [1]\n" + b"".join(b"k%d: &k%d [*a, *a]\n" % (i, i) for i in range(60)),
        "tag.yaml": b"jenis: tindakan\nx: !!python/object:os.system {}\n",
        "biner.csv": bytes(range(256)),
        "teks.docx": b"PK\x03\x04 bukan zip",
        "daftar.yaml": b"- 1\n- 2\n",
        "acak.pdf": b"%PDF-1.4 rusak",
        "nol.yaml": b"\x00\x00",
        "waktu.yaml": b"jenis: tindakan\nrujukan: x\nlangkah: periksa\nwaktu: kemarin\n",
    }
    for name, content in files.items():
        (ws.inbox / name).write_bytes(content)
    (ws.inbox / "acak.yaml").write_bytes(b"jenis: nota_dinas\n")
    result = CliRunner().invoke(main, ["--config", str(ws.path), "run"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    journal = [
        json.loads(line)
        for line in CliRunner().invoke(main, ["--config", str(ws.path), "journal", "--json"]).output.splitlines()
    ]
    seen = {row["berkas"]: row for row in journal}
    for name in [*files, "acak.yaml"]:
        assert name in seen, name
        assert seen[name]["hasil"] in ("ditolak", "diterima"), seen[name]
        assert seen[name]["alasan"], name
    assert [p.name for p in ws.inbox.iterdir() if p.is_file()] == []


@settings(
    max_examples=int(__import__("os").environ.get("SPSE_FUZZ_RUN", "25")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@given(
    files=st.lists(
        st.tuples(st.sampled_from([".docx", ".yaml", ".csv", ".pdf", ".txt"]), st.binary(max_size=300)),
        min_size=1,
        max_size=5,
    )
)
def test_any_files_through_a_run_end_in_the_journal(tmp_path_factory, docx_bytes, files):
    from pipeline.engine import open_workspace

    ws = make_workspace(tmp_path_factory.mktemp("run") / "ws")
    names = []
    for n, (suffix, content) in enumerate(files):
        if suffix == ".docx" and n % 2:
            content = docx_bytes[: max(len(content), 100)] + content  # a damaged real document
        name = f"berkas-{n}{suffix}"
        (ws.inbox / name).write_bytes(content)
        names.append(name)
    with open_workspace(ws) as workspace:
        workspace.process_inbox()
        journal = {entry.berkas: entry for entry in workspace.register.journal()}
    for name in names:
        lying = (ws.inbox / name).exists()
        waiting_scan = name.endswith(".pdf") and lying
        assert name in journal or waiting_scan, name
        if name in journal:
            assert journal[name].hasil in ("diterima", "ditolak", "duplikat", "menunggu")
    assert not ws.work_dir.exists() or list(ws.work_dir.iterdir()) == []


@pytest.mark.parametrize(
    "name, content, reason",
    [
        (
            "surrogate.yaml",
            b'jenis: nota_dinas\nnomor: "1/\\udc80/2026"\ntanggal: 1 Juli 2026\ndari: ULP\nhal: Uji\n',
            "memuat karakter yang tidak sah (U+DC80)",
        ),
        (
            "kontrol.yaml",
            b'jenis: nota_dinas\nnomor: "1/\\x07/2026"\ntanggal: 1 Juli 2026\ndari: ULP\nhal: Uji\n',
            "memuat karakter yang tidak sah (U+0007)",
        ),
        (
            "pagu.yaml",
            b"jenis: registrasi\nrujukan: x\npaket:\n- {nama: A, pagu: 10000000000000000000000000000000000000000,"
            b" sumber_dana: APBN, metode: tender, ppk_nip: '197106051998031004'}\n",
            "terlalu besar untuk sebuah pagu",
        ),
    ],
)
def test_one_poison_input_is_refused_and_the_batch_goes_on(tmp_path, name, content, reason):
    ws = make_workspace(tmp_path / "ws")
    (ws.inbox / name).write_bytes(content)
    tab_memo(ws.inbox / "baik.docx")
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output, result.output
    assert reason in (ws.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
    assert invoke(ws, "run").exit_code == 0  # and the next start is clean


def test_an_act_argument_in_another_encoding_is_one_line(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    oleh = b"Dr. Sury\xf6 Wibowo".decode("utf-8", "surrogateescape")
    result = CliRunner().invoke(
        main,
        ["--config", str(ws.path), "act", "005/88/ULP-LITBANG/X/2026", "disposisi_kapus", "--oleh", oleh],
        catch_exceptions=False,
    )
    assert result.exit_code == 1 and "karakter yang tidak sah (U+DCF6)" in result.output


def test_stray_things_in_the_work_folder_never_stop_a_pass(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    ws.work_dir.mkdir(parents=True)
    (ws.work_dir / "catatan-staf.txt").write_text("bukan klaim")
    (ws.work_dir / "0123456789abcdef__folder").mkdir()
    (ws.work_dir / "fedcba9876543210__tautan.docx").symlink_to("/etc/hostname")
    tab_memo(ws.inbox / "nota.docx")
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output
    assert invoke(ws, "run").exit_code == 0


def test_a_stray_file_under_a_claim_the_journal_knows_is_set_aside_and_the_batch_goes_on(tmp_path):
    from support.builders import HEADER

    ws = make_workspace(tmp_path / "ws")
    tab_memo(ws.inbox / "nota.docx")
    assert "1 diterima" in invoke(ws, "run").output
    from pipeline.engine import open_workspace

    with open_workspace(ws, lock=False) as workspace:
        [claim] = [entry.klaim for entry in workspace.register.journal()]
    for name in ("salinan.docx", "nota.docx"):  # a name the claim never had, and its own name
        (ws.work_dir / f"{claim}__{name}").write_bytes(b"bukan berkas yang diklaim " + name.encode())
    tab_memo(ws.inbox / "baik.docx", {**HEADER, "Nomor": "010/ULP-LAIN/2026"})
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output and "2 ditolak" in result.output, result.output
    assert journal_by_file(ws)["baik.docx"]["hasil"] == "diterima"
    for name in ("salinan.docx", "nota.docx"):
        assert (ws.rejected_dir / name).read_bytes().startswith(b"bukan berkas yang diklaim")
        reason = (ws.rejected_dir / f"{name}.alasan.txt").read_text(encoding="utf-8")
        assert (
            f"Berkas ini ditemukan di folder kerja inbox/.kerja dengan nama klaim {claim}, tetapi buku agenda "
            "tidak mencatatnya sebagai bagian dari klaim itu"
        ) in reason
    assert list(ws.work_dir.iterdir()) == []
    assert (
        invoke(ws, "run").exit_code == 0
        and "Arsip utuh"
        in CliRunner().invoke(main, ["--config", str(ws.path), "verify"], catch_exceptions=False).output
    )


def test_an_unexpected_fault_settling_one_group_never_stops_the_pass(tmp_path, monkeypatch):
    from support.builders import HEADER

    from pipeline.inbox import placing

    ws = make_workspace(tmp_path / "ws")
    tab_memo(ws.inbox / "racun.docx")
    tab_memo(ws.inbox / "baik.docx", {**HEADER, "Nomor": "010/ULP-LAIN/2026"})
    finish = placing.finish

    def faulty(config, inbounds, entries, home=None):  # a fault no one foresaw, after the memo's commit
        if inbounds[0].name == "racun.docx":
            raise KeyError(inbounds[0].name)
        return finish(config, inbounds, entries, home)

    monkeypatch.setattr(placing, "finish", faulty)
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output and "1 menunggu" in result.output, result.output
    assert journal_by_file(ws)["baik.docx"]["hasil"] == "diterima"
    assert "galat yang tidak terduga (KeyError)" in " ".join(result.output.split())
    monkeypatch.undo()
    result = invoke(ws, "run")
    assert result.exit_code == 0 and "1 diterima" in result.output, result.output
    numbers = [
        json.loads(line)["nomor_urut"]
        for line in CliRunner()
        .invoke(main, ["--config", str(ws.path), "register", "--json"], catch_exceptions=False)
        .output.splitlines()
    ]
    assert sorted(numbers) == [1, 2] and list(ws.work_dir.iterdir()) == []


def test_a_name_too_long_to_claim_is_shortened_not_stuck(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    name = "nota-dinas-" + "sangat-panjang-" * 15 + ".docx"
    assert len(name.encode()) > 200
    tab_memo(ws.inbox / name)
    result = invoke(ws, "run")
    assert "1 diterima" in result.output
    [row] = journal_by_file(ws).values()
    assert row["hasil"] == "diterima" and row["berkas"].startswith("nota-dinas-sangat-panjang-")
    assert len(row["berkas"].encode()) <= 180 and row["berkas"].endswith(".docx")


def test_links_in_the_inbox_are_never_read_or_archived(tmp_path):
    from support.builders import scan, yaml_memo

    ws = make_workspace(tmp_path / "ws")
    secret = scan(tmp_path / "rahasia.pdf")
    yaml_memo(ws.inbox / "surat.yaml")
    (ws.inbox / "surat.pdf").symlink_to(secret)
    (ws.inbox / "lain.docx").symlink_to(tab_memo(tmp_path / "lain.docx"))
    invoke(ws, "run")
    entries = [
        json.loads(line)
        for line in CliRunner().invoke(main, ["--config", str(ws.path), "register", "--json"]).output.splitlines()
    ]
    [entry] = entries
    assert "asli_surat.pdf" not in entry["berkas"]
    journal = journal_by_file(ws)
    assert journal["surat.pdf"]["hasil"] == "diabaikan" and journal["lain.docx"]["hasil"] == "diabaikan"
    assert "Tautan (symlink)" in journal["surat.pdf"]["alasan"][0]
    assert (ws.inbox / "surat.pdf").is_symlink()


@FUZZ
@given(
    name=st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=80),
    value=st.one_of(st.text(max_size=30), st.integers(min_value=-(10**40), max_value=10**40)),
)
def test_odd_names_and_values_never_escape_the_barrier(tmp_path_factory, name, value):
    from pipeline.engine import open_workspace

    ws = make_workspace(tmp_path_factory.mktemp("odd") / "ws")
    path = ws.inbox / (name.strip(".") or "x")
    try:
        path.write_text(
            f"jenis: registrasi\nrujukan: {json.dumps(str(value))}\npaket:\n"
            f"- {{nama: A, pagu: {json.dumps(value)}, sumber_dana: APBN, metode: tender, ppk_nip: x}}\n",
            encoding="utf-8",
        )
    except OSError:
        return  # a name this file system itself refuses
    with open_workspace(ws) as workspace:
        workspace.process_inbox()
        assert len(list(workspace.register.journal())) + len(list(ws.inbox.glob("*"))) >= 1
    assert not ws.work_dir.exists() or list(ws.work_dir.iterdir()) == []


def test_a_yaml_registration_beyond_its_record_limit_is_refused_before_it_is_built(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"limits": {"max_yaml_records": 10}})
    people = "".join(f"- {{nama: Orang {n}, nip: '19800101200501100{n % 10}'}}\n" for n in range(50))
    (ws.inbox / "besar.yaml").write_text(f"jenis: registrasi\nrujukan: x\nppk:\n{people}", encoding="utf-8")
    invoke(ws, "run")
    reason = (ws.rejected_dir / "besar.yaml.alasan.txt").read_text(encoding="utf-8")
    assert "Berkas YAML berisi lebih dari 10 butir data. Bagi datanya menjadi beberapa berkas." in reason
