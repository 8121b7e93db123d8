import pytest

from pipeline import config as config_module
from pipeline.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_config_takes_defaults_and_resolves_paths(tmp_path):
    config = config_module.load(write(tmp_path, "# kosong\n"))
    assert config.inbox == (tmp_path / "inbox").resolve()
    assert config.register_path == (tmp_path / "archive" / "register.sqlite3").resolve()
    assert config.officials["kapus"].nip == "196804121993031005"
    assert [s.number for s in config.steps] == list(range(1, 12))
    kapus = next(s for s in config.steps if s.key == "disposisi_kapus")
    assert (kapus.actor, kapus.handler, kapus.role, kapus.early) == ("Kapusdatinkomtel", "disposisi", ("kapus",), True)
    review = next(s for s in config.steps if s.key == "periksa")
    assert (review.role, review.reject_to, review.document) == (("kasubbid", "kabid"), "input_data", "nota_dinas")


def test_unknown_key_is_named(tmp_path):
    path = write(tmp_path, "watch:\n  stabil_detik: 3\n")
    with pytest.raises(ConfigError, match=r"watch\.stabil_detik: tidak dikenal"):
        config_module.load(path)


def test_misspelt_top_level_key_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"organisasi: tidak dikenal"):
        config_module.load(write(tmp_path, "organisasi:\n  city: Bandung\n"))


def test_wrong_type_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"watch\.polling: jenis nilainya salah"):
        config_module.load(write(tmp_path, "watch:\n  polling: kadang\n"))


def test_folders_relative_to_config_file(tmp_path):
    config = config_module.load(write(tmp_path, "folders:\n  inbox: ../bersama/masuk\n"))
    assert config.inbox == (tmp_path.parent / "bersama" / "masuk").resolve()


def test_numbering_placeholders_checked(tmp_path):
    with pytest.raises(ConfigError, match=r"numbering\.agenda_masuk .* harus memuat \{nomor\}"):
        config_module.load(write(tmp_path, "numbering:\n  agenda_masuk: '{no}/{tahun}'\n"))


def test_official_nip_checked(tmp_path):
    text = "officials:\n  kabid:\n    nama: A\n    nip: '123'\n    jabatan: Kabid\n"
    with pytest.raises(ConfigError, match=r"officials\.kabid\.nip tidak sah"):
        config_module.load(write(tmp_path, text))


def test_missing_file_tells_how_to_start(tmp_path):
    with pytest.raises(ConfigError, match="pipeline init FOLDER"):
        config_module.load(tmp_path / "tidak-ada.yaml")


def test_step_numbers_must_run_from_one(tmp_path):
    text = config_module.default_config_text().replace("- number: 2\n", "- number: 12\n")
    with pytest.raises(ConfigError, match="berurutan mulai dari 1"):
        config_module.load(write(tmp_path, text))


def test_shipped_config_is_valid_and_commented():
    text = config_module.default_config_text()
    assert text.startswith("# Konfigurasi pipeline")
    assert "stable_seconds" in text


@pytest.mark.parametrize(
    "folders, first, second",
    [
        ("folders:\n  inbox: archive\n", "inbox", "archive"),
        ("folders:\n  inbox: archive/masuk\n", "inbox", "archive"),
        ("folders:\n  outbox: inbox/keluar\n", "inbox", "outbox"),
        ("folders:\n  templates: .\n  archive: arsip\n", "templates", "inbox"),
    ],
)
def test_folders_may_not_overlap(tmp_path, folders, first, second):
    with pytest.raises(
        ConfigError,
        match=rf"folders\.{first} \(.*\) dan folders\.{second} \(.*\) tidak boleh sama "
        "atau saling memuat",
    ):
        config_module.load(write(tmp_path, folders))


@pytest.mark.parametrize("key", ["agenda_masuk", "surat_keluar"])
def test_numbers_counted_per_year_must_show_the_year(tmp_path, key):
    with pytest.raises(
        ConfigError,
        match=rf"numbering\.{key} “027/{{nomor}}/Pusdatinkomtel” harus memuat "
        r"\{tahun\}",
    ):
        config_module.load(write(tmp_path, f"numbering:\n  {key}: '027/{{nomor}}/Pusdatinkomtel'\n"))


def test_a_trust_root_that_is_not_there_is_named(tmp_path):
    path = write(tmp_path, "signing:\n  trust_roots: [sertifikat/akar.pem]\n")
    with pytest.raises(ConfigError, match="signing.trust_roots: berkas .*akar.pem tidak ditemukan"):
        config_module.load(path)


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://esign.kemendagri.go.id", True),
        ("http://127.0.0.1:8080", True),
        ("http://esign.local", False),
        ("ftp://esign.local", False),
    ],
)
def test_the_signing_gateway_is_reached_only_over_an_encrypted_channel(tmp_path, url, ok):
    path = write(tmp_path, f"signing:\n  method: bsre\n  bsre:\n    url: {url}\n")
    if ok:
        assert config_module.load(path).signing.bsre_url == url
    else:
        with pytest.raises(ConfigError, match="harus memakai https"):
            config_module.load(path)
