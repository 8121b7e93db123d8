import datetime as dt

import pytest
from support.builders import HEADER, scan, tab_memo, table_memo, yaml_memo, zip_with
from support.workspace import SAMPLES

from pipeline import readers
from pipeline.errors import IncompleteLetter, InputRefused
from pipeline.readers.validate import memo_unit, validate_memo

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"
EXPECTED = {
    "nomor": HEADER["Nomor"],
    "tanggal": HEADER["Tanggal"],
    "dari": HEADER["Dari"],
    "kepada": HEADER["Yth."],
    "sifat": "Segera",
    "lampiran": "1 (satu) berkas",
    "hal": "Permohonan Pemanfaatan SPSE",
    "tembusan": "Sekretaris Jenderal",
}


def read(ws, path):
    return readers.read(path, ws.limits)


@pytest.mark.parametrize(
    "build",
    [
        lambda p: tab_memo(p),
        lambda p: tab_memo(p, split_runs=True),
        lambda p: table_memo(p),
        lambda p: table_memo(p, colon_cell=False),
    ],
    ids=["tab", "tab-split-runs", "table-3-cells", "table-colon-value"],
)
def test_docx_layouts(config, tmp_path, build):
    parsed = read(config, build(tmp_path / "memo.docx"))
    assert (parsed.kind, parsed.fmt) == ("nota_dinas", "docx")
    assert parsed.fields == EXPECTED


@pytest.mark.parametrize(
    "label, field",
    [
        ("Kepada Yth.", "kepada"),
        ("Kepada", "kepada"),
        ("Yth", "kepada"),
        ("Perihal", "hal"),
        ("Hal", "hal"),
        ("No.", "nomor"),
        ("Tgl.", "tanggal"),
    ],
)
def test_label_variants(config, tmp_path, label, field):
    base = {
        "nomor": ("Nomor", "1/2026"),
        "tanggal": ("Tanggal", "1 Juli 2026"),
        "dari": ("Dari", "ULP"),
        "hal": ("Hal", "Uji"),
    }
    header = {name: value for key, (name, value) in base.items() if key != field}
    header[label] = "nilai uji"
    parsed = read(config, tab_memo(tmp_path / "memo.docx", header))
    assert parsed.fields[field] == "nilai uji"


def test_libreoffice_saved_table_memo(config):
    parsed = read(config, FIXTURES / "nota-dinas-libreoffice.docx")
    memo = validate_memo(parsed.fields)
    assert memo["nomor"] == "027/301/ULP-BPSDM/XI/2026"
    assert memo["tanggal"] == dt.date(2026, 11, 12)
    assert memo["hal"] == "Permohonan Pemanfaatan SPSE"
    assert memo["kepada"].startswith("Kepala Pusat Data")
    assert memo_unit(memo) == "Badan Pengembangan Sumber Daya Manusia"


def test_date_found_beside_signature_when_header_has_none(config, tmp_path):
    header = {k: v for k, v in HEADER.items() if k != "Tanggal"}
    path = tab_memo(tmp_path / "memo.docx", header)
    import docx

    document = docx.Document(str(path))
    document.add_paragraph("Jakarta, 18 November 2026")
    document.save(str(path))
    assert read(config, path).fields["tanggal"] == "Jakarta, 18 November 2026"


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples not present")
def test_shared_sample_docx(config):
    memo = validate_memo(read(config, SAMPLES / "nota-dinas-litbang.docx").fields)
    assert memo["nomor"] == "005/88/ULP-LITBANG/X/2026"
    assert memo["tanggal"] == dt.date(2026, 10, 7)
    assert memo_unit(memo) == "Badan Penelitian dan Pengembangan"


def test_yaml_memo_kind_from_content_not_name(config, tmp_path):
    path = yaml_memo(tmp_path / "catatan.yaml")
    renamed = path.rename(tmp_path / "catatan.txt")
    parsed = read(config, renamed)
    assert (parsed.kind, parsed.fmt) == ("nota_dinas", "yaml")
    assert validate_memo(parsed.fields)["tanggal"] == dt.date(2026, 11, 3)


def test_scan_told_by_magic_bytes(config, tmp_path):
    parsed = read(config, scan(tmp_path / "pindaian.bin"))
    assert (parsed.kind, parsed.fmt) == ("pindaian", "pdf")


def refusal(ws, path):
    with pytest.raises(InputRefused) as caught:
        read(ws, path)
    return " ".join(caught.value.reasons)


def test_empty_file_refused(config, tmp_path):
    (tmp_path / "kosong.docx").write_bytes(b"")
    assert refusal(config, tmp_path / "kosong.docx").startswith("Berkas kosong (0 bita).")


def test_text_named_docx_refused(config, tmp_path):
    (tmp_path / "palsu.docx").write_text("ini bukan dokumen word")
    assert "Berkas bernama .docx tetapi isinya bukan dokumen Word" in refusal(config, tmp_path / "palsu.docx")


def test_old_office_file_that_is_not_word_refused(config, tmp_path):
    # An OLE2 file without a WordDocument stream (an old Excel or Outlook file) is not a letter;
    # a real .doc is converted and read (tests/test_lengkapi.py).
    (tmp_path / "lama.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert refusal(config, tmp_path / "lama.doc").startswith("Jenis berkas tidak dikenali.")


def test_zip_with_too_many_entries_refused(config, tmp_path):
    path = zip_with(tmp_path / "banyak.docx", {f"x/{i}.xml": b"a" for i in range(1001)})
    assert "berisi 1001 bagian, melebihi batas 1000" in refusal(config, path)


def test_zip_bomb_refused_before_parsing(config, tmp_path):
    path = zip_with(tmp_path / "bom.docx", {"word/document.xml": b"\0" * (201 * 1024 * 1024)})
    assert "melebihi batas 200 MB" in refusal(config, path)


def test_broken_zip_refused(config, tmp_path):
    path = zip_with(tmp_path / "rusak.docx", {"word/document.xml": b"<x/>"})
    path.write_bytes(path.read_bytes()[:-30])
    assert "Berkas rusak atau bukan dokumen Word" in refusal(config, path)


def test_zip_without_word_document_refused(config, tmp_path):
    path = zip_with(tmp_path / "arsip.docx", {"data.txt": b"hello"})
    assert "tidak dapat dibuka sebagai dokumen Word" in refusal(config, path)


def test_yaml_python_tag_refused(config, tmp_path):
    path = tmp_path / "jahat.yaml"
    path.write_text("jenis: nota_dinas\nnomor: !!python/object/apply:os.system ['true']\n")
    assert "memuat tag yang tidak diizinkan" in refusal(config, path)


def test_yaml_alias_bomb_refused(config, tmp_path):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 9) + "]")
    path = tmp_path / "bom.yaml"
    path.write_text("\n".join(lines) + "\njenis: nota_dinas\n")
    assert "lebih dari 50 alias" in refusal(config, path)


def test_yaml_without_jenis_refused(config, tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text("nomor: 1\n")
    assert "Kunci “jenis” berisi “None”" in refusal(config, path)


def test_oversized_file_refused(tmp_path):
    from support.workspace import make_workspace

    ws = make_workspace(tmp_path / "kecil", {"limits": {"max_file_mb": 0.01}})
    path = scan(tmp_path / "besar.pdf")
    path.write_bytes(path.read_bytes() + b"0" * 20000)
    assert "melebihi batas 0.0 MB" in refusal(ws, path) or "melebihi batas" in refusal(ws, path)


def test_missing_nomor_reason_tells_what_to_do(config, tmp_path):
    header = {k: v for k, v in HEADER.items() if k != "Nomor"}
    parsed = read(config, tab_memo(tmp_path / "memo.docx", header))
    with pytest.raises(IncompleteLetter) as caught:
        validate_memo(parsed.fields, "Nota Dinas memo.docx")
    assert caught.value.reasons == ["“Nomor” tidak ditemukan pada kepala Nota Dinas memo.docx."]
    assert caught.value.problems == {"nomor": "“Nomor” tidak ditemukan pada kepala Nota Dinas memo.docx."}
    assert caught.value.fields["hal"] == "Permohonan Pemanfaatan SPSE"


def test_unknown_sifat_refused(config, tmp_path):
    parsed = read(config, yaml_memo(tmp_path / "m.yaml", sifat="Kilat"))
    with pytest.raises(InputRefused, match="Sifat “Kilat” tidak dikenal"):
        validate_memo(parsed.fields)


def test_sifat_case_insensitive(config, tmp_path):
    parsed = read(config, yaml_memo(tmp_path / "m.yaml", sifat="sangat  segera"))
    assert validate_memo(parsed.fields)["sifat"] == "Sangat Segera"


@pytest.mark.parametrize(
    "runs, expected",
    [
        (
            "<w:r><w:rPr><w:vanish/></w:rPr><w:t>999/PALSU/2026</w:t></w:r><w:r><w:t>005/88/ULP-LITBANG/X/2026</w:t></w:r>",
            "005/88/ULP-LITBANG/X/2026",
        ),
        (
            '<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>005/88/ULP-LITBANG/X/2026</w:t></w:r>',
            "005/88/ULP-LITBANG/X/2026",
        ),
        (
            '<w:del w:id="1" w:author="x"><w:r><w:t>777/DIHAPUS/2026</w:t></w:r></w:del>'
            '<w:ins w:id="2" w:author="x"><w:r><w:t>005/88/ULP-LITBANG/X/2026</w:t></w:r></w:ins>',
            "005/88/ULP-LITBANG/X/2026",
        ),
        (
            '<w:moveFrom w:id="3" w:author="x"><w:r><w:t>PINDAH/1</w:t></w:r></w:moveFrom>'
            "<w:r><w:t>005/88/ULP-</w:t></w:r><w:r><w:t>LITBANG/X/2026</w:t></w:r>",
            "005/88/ULP-LITBANG/X/2026",
        ),
    ],
    ids=["hidden", "vanish-off", "deleted-revision", "moved-away"],
)
def test_the_header_is_what_a_person_sees(config, tmp_path, runs, expected):
    from support.builders import memo_with_nomor_runs

    parsed = read(config, memo_with_nomor_runs(tmp_path / "memo.docx", runs))
    assert parsed.fields["nomor"] == expected


def test_an_escaped_surrogate_pair_in_yaml_is_one_character(config, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text('jenis: nota_dinas\nnomor: "1/2026"\ntanggal: 1 Juli 2026\ndari: "ULP \\ud83d\\udcdd"\nhal: Uji\n')
    assert readers.read(path, config.limits).fields["dari"] == "ULP \U0001f4dd"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-16-declared"])
def test_text_hidden_by_a_style_is_not_read(config, tmp_path, encoding):
    """Also when styles.xml is in another encoding than Word's (the reader skips UTF-8 styles that
    never name w:vanish without parsing them)."""
    import zipfile

    from support.builders import memo_with_nomor_runs

    path = memo_with_nomor_runs(
        tmp_path / "memo.docx",
        '<w:r><w:rPr><w:rStyle w:val="Tersembunyi"/></w:rPr>'
        "<w:t>999/PALSU/2026</w:t></w:r><w:r><w:t>005/88/ULP-LITBANG/X/2026</w:t></w:r>",
    )
    with zipfile.ZipFile(path) as archive:
        items = {name: archive.read(name) for name in archive.namelist()}
    styles = (
        items["word/styles.xml"]
        .decode("utf-8")
        .replace(
            "</w:styles>",
            '<w:style w:type="character" w:styleId="Dasar"><w:name w:val="Dasar"/><w:rPr><w:vanish/>'
            '</w:rPr></w:style><w:style w:type="character" w:styleId="Tersembunyi"><w:name w:val="T"/>'
            '<w:basedOn w:val="Dasar"/></w:style></w:styles>',
        )
    )
    if encoding == "utf-16-declared":
        styles = styles.replace("encoding='UTF-8'", "encoding='UTF-16'").replace(
            'encoding="UTF-8"', 'encoding="UTF-16"'
        )
        assert "UTF-16" in styles[:100]
    items["word/styles.xml"] = styles.encode("utf-16" if encoding.startswith("utf-16") else "utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in items.items():
            archive.writestr(name, data)
    assert readers.read(path, config.limits).fields["nomor"] == "005/88/ULP-LITBANG/X/2026"
