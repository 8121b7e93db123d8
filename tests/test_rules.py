import pytest
from support.builders import registration

from pipeline.config import Rules
from pipeline.errors import InputRefused
from pipeline.readers.registration import normalise, totals
from pipeline.sop import rules


def problems(nip):
    return rules.nip_problems(nip)


def test_sound_nip_with_spaces():
    assert problems("19750312 200003 2 001") == []


@pytest.mark.parametrize(
    "nip, level, text",
    [
        ("19750312200003200", rules.ERROR, "harus terdiri atas 18 angka (terbaca 17 karakter)"),
        ("1975031220000320011", rules.ERROR, "harus terdiri atas 18 angka (terbaca 19 karakter)"),
        ("197503122000132001", rules.ERROR, "bulan TMT CPNS pada NIP (200013) harus 01 sampai 12"),
        ("197504312000032001", rules.ERROR, "tanggal lahir pada NIP (19750431) tidak ada di kalender"),
        ("197503122000033001", rules.ERROR, "digit jenis kelamin pada NIP (3) harus 1 atau 2"),
        ("197503122000032000", rules.ERROR, "nomor urut pada NIP tidak boleh 000"),
        ("197503121990032001", rules.WARNING, "TMT CPNS pada NIP (199003) sebelum usia 18 tahun"),
    ],
)
def test_nip_edge_cases(nip, level, text):
    [(found_level, message)] = problems(nip)
    assert found_level == level and text in message


def test_tmt_exactly_at_eighteen_is_fine():
    assert problems("197503121993032001") == []


def check_results(data, config):
    return rules.verify(normalise(data), config.rules)


def errors(data, config):
    return rules.findings(check_results(data, config), rules.ERROR)


def warnings(data, config):
    return rules.findings(check_results(data, config), rules.WARNING)


def test_sound_registration_passes_every_check(config):
    checks = check_results(registration(), config)
    assert len(checks) > 20
    assert all(c.result == rules.PASS for c in checks)


def test_totals_and_amount_forms():
    data = registration(
        paket=[
            {
                "nama": f"P{n}",
                "pagu": form,
                "sumber_dana": "APBN",
                "metode": "pelelangan umum",
                "ppk_nip": "197106051998031004",
            }
            for n, form in enumerate(["1500000000", "1.500.000.000", "Rp1.500.000.000,00", "Rp 1.500.000.000"])
        ]
    )
    assert totals(normalise(data))["pagu_total"] == 6_000_000_000


def test_ambiguous_amount_refuses_the_file():
    data = registration()
    data["paket"][1]["pagu"] = "1,5 M"
    with pytest.raises(InputRefused) as caught:
        normalise(data)
    assert caught.value.reasons == [
        "Pagu pada paket ke-2: Jumlah “1,5 M” tidak dapat dibaca dengan pasti. Tuliskan dalam rupiah "
        "penuh, misalnya 1500000000 atau Rp1.500.000.000,00."
    ]


def test_zero_pagu_is_an_error(config):
    data = registration()
    data["paket"][1]["pagu"] = 0
    assert "Paket 2 (Pemeliharaan Jaringan Intranet): pagu harus lebih dari nol rupiah" in errors(data, config)


def test_email_and_phone(config):
    data = registration()
    data["ppk"][0]["email"] = "hendra@"
    data["ppk"][0]["telepon"] = "12"
    assert errors(data, config) == [
        "PPK 1 (NIP 19710605 199803 1 004, Dr. Hendra Gunawan, M.Si.): alamat e-mail “hendra@” tidak sah"
    ]
    assert warnings(data, config) == [
        "PPK 1 (NIP 19710605 199803 1 004, Dr. Hendra Gunawan, M.Si.): nomor telepon “12” tidak dapat "
        "diubah ke bentuk +62"
    ]


def test_phone_stored_in_plus_62_form():
    assert normalise(registration())["ppk"][0]["telepon"] == "+628119876543"


def test_missing_required_field_named(config):
    data = registration()
    del data["ppk"][0]["no_sk"]
    assert (
        "PPK 1 (NIP 19710605 199803 1 004, Dr. Hendra Gunawan, M.Si.): nomor SK wajib diisi tetapi "
        "tidak ada" in errors(data, config)
    )


def test_panitia_too_small_and_even(config):
    data = registration()
    data["panitia"] = data["panitia"][:2]
    assert "Panitia (seluruh anggota): jumlah anggota 2 orang, paling sedikit 3 orang" in errors(data, config)
    data = registration()
    data["panitia"].append(
        {
            "nama": "Budi",
            "nip": "198501012010011001",
            "peran": "anggota",
            "no_sertifikat": "L4.9",
            "email": "budi@kemendagri.go.id",
        }
    )
    assert "Panitia (seluruh anggota): jumlah anggota 4 orang; jumlahnya harus ganjil" in errors(data, config)


@pytest.mark.parametrize(
    "roles, count", [(["anggota", "sekretaris", "anggota"], 0), (["ketua", "ketua", "anggota"], 2)]
)
def test_exactly_one_ketua(config, roles, count):
    data = registration()
    for member, role in zip(data["panitia"], roles):
        member["peran"] = role
    assert f"Panitia (seluruh anggota): terdapat {count} ketua; harus tepat 1" in errors(data, config)


def test_certificate_required_and_configurable(config):
    data = registration()
    del data["panitia"][2]["no_sertifikat"]
    found = errors(data, config)
    assert (
        "Panitia 3 (NIP 19820909 200912 2 003, Maria Goretti Sitanggang): nomor sertifikat keahlian "
        "pengadaan belum diisi"
    ) in found
    relaxed = Rules(**{**config.rules.__dict__, "require_certificate": False})
    assert rules.findings(rules.verify(normalise(data), relaxed), rules.ERROR) == []


def test_min_members_configurable(config):
    strict = Rules(**{**config.rules.__dict__, "panitia_min_members": 5})
    found = rules.findings(rules.verify(normalise(registration()), strict), rules.ERROR)
    assert found == ["Panitia (seluruh anggota): jumlah anggota 3 orang, paling sedikit 5 orang"]


def test_ppk_also_in_panitia(config):
    data = registration()
    data["panitia"][2]["nip"] = "19710605 199803 1 004"
    assert (
        "Panitia 3 (NIP 19710605 199803 1 004, Maria Goretti Sitanggang): orang yang sama terdaftar "
        "sebagai PPK dan anggota panitia"
    ) in errors(data, config)


def test_same_nip_twice_in_a_section(config):
    data = registration()
    data["panitia"][1]["nip"] = data["panitia"][0]["nip"]
    assert "Panitia 2 (NIP 19800314 200604 2 002, Teguh Prasetyo, S.Kom.): NIP sama dengan Panitia 1" in errors(
        data, config
    )


def test_paket_must_name_a_registered_ppk(config):
    data = registration()
    data["paket"][0]["ppk_nip"] = "198501012010011001"
    assert (
        "Paket 1 (Pengadaan Server dan Penyimpanan Data Penelitian): NIP PPK “198501012010011001” "
        "tidak terdaftar sebagai PPK pada data ini"
    ) in errors(data, config)


def test_method_against_pagu_is_a_warning(config):
    data = registration()
    data["paket"][1]["pagu"] = "Rp250.000.000"
    assert errors(data, config) == []
    assert warnings(data, config) == [
        "Paket 2 (Pemeliharaan Jaringan Intranet): pagu melebihi batas pengadaan langsung (200.000.000 rupiah)"
    ]


def test_unknown_method_is_a_warning(config):
    data = registration()
    data["paket"][1]["metode"] = "lelang kilat"
    assert warnings(data, config) == [
        "Paket 2 (Pemeliharaan Jaringan Intranet): metode “lelang kilat” tidak dikenal dalam konfigurasi"
    ]


def test_unreadable_structure_refused():
    with pytest.raises(InputRefused, match="“rujukan”"):
        normalise({"jenis": "registrasi", "ppk": []})
    with pytest.raises(InputRefused, match="Bagian “ppk” harus berupa daftar"):
        normalise(registration(ppk={"nama": "x"}))
    with pytest.raises(InputRefused, match="tidak berisi data PPK, panitia maupun paket"):
        normalise({"jenis": "registrasi", "rujukan": "1/2026"})
