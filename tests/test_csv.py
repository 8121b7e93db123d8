import pytest
from support.builders import registration, registration_csv, registration_yaml

from pipeline import readers
from pipeline.errors import InputRefused
from pipeline.readers.registration import normalise


@pytest.fixture
def expected(config, tmp_path):
    return normalise(readers.read(registration_yaml(tmp_path / "r.yaml"), config.limits).fields)


def comparable(data):
    return {s: [{k: v for k, v in r.items() if k != "_baris"} for r in data[s]] for s in ("ppk", "panitia", "paket")}


@pytest.mark.parametrize(
    "encoding, sep, newline",
    [
        ("utf-8-sig", ";", "\r\n"),
        ("utf-8", ";", "\r\n"),
        ("utf-8", ",", "\n"),
        ("cp1252", ";", "\r\n"),
        ("cp1252", ",", "\r\n"),
        ("utf-8-sig", ",", "\r\n"),
    ],
)
def test_excel_csv_in_every_encoding_and_separator(config, tmp_path, expected, encoding, sep, newline):
    path = registration_csv(tmp_path / "r.csv", encoding=encoding, sep=sep, newline=newline)
    parsed = readers.read(path, config.limits)
    assert parsed.kind == "registrasi" and parsed.fmt == "csv"
    got = normalise(parsed.fields)
    assert got["rujukan"] == expected["rujukan"]
    assert comparable(got) == comparable(expected)


def test_windows_1252_names_survive(config, tmp_path):
    data = registration()
    data["ppk"][0]["nama"] = "Ir. José Muñoz, M.T."
    path = registration_csv(tmp_path / "r.csv", data, encoding="cp1252")
    assert normalise(readers.read(path, config.limits).fields)["ppk"][0]["nama"] == "Ir. José Muñoz, M.T."


def test_quoted_names_with_commas(config, tmp_path):
    path = registration_csv(tmp_path / "r.csv", sep=",")
    assert normalise(readers.read(path, config.limits).fields)["ppk"][0]["nama"] == "Dr. Hendra Gunawan, M.Si."


def test_unknown_row_kind_refused_with_row_number(config, tmp_path):
    path = registration_csv(tmp_path / "r.csv")
    text = path.read_bytes().decode("utf-8-sig").replace("\r\npanitia;", "\r\npejabat;", 1)
    path.write_bytes(text.encode("utf-8"))
    with pytest.raises(InputRefused) as caught:
        readers.read(path, config.limits)
    assert caught.value.reasons == ["Baris 3: kolom jenis berisi “pejabat”; isinya harus ppk, panitia atau paket."]


def test_two_references_in_one_file_refused(config, tmp_path):
    path = registration_csv(tmp_path / "r.csv")
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    lines[2] = lines[2].replace("005/88/ULP-LITBANG/X/2026", "999/2026")
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    with pytest.raises(InputRefused, match="lebih dari satu nomor: 005/88/ULP-LITBANG/X/2026, 999/2026"):
        readers.read(path, config.limits)


def test_csv_without_jenis_column_refused(config, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("nama;nip\r\nA;1\r\n", encoding="utf-8")
    with pytest.raises(InputRefused, match="tidak memiliki kolom “jenis”"):
        readers.read(path, config.limits)


def test_row_limit(tmp_path):
    from support.workspace import make_workspace

    ws = make_workspace(tmp_path / "kecil", {"limits": {"max_csv_rows": 3}})
    path = registration_csv(tmp_path / "r.csv")
    with pytest.raises(InputRefused, match="lebih dari 3 baris data"):
        readers.read(path, ws.limits)
