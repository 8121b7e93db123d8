"""The Procedure built from the step table: validation, position, which action fits."""

import copy

import pytest
import yaml

from pipeline import config as config_module
from pipeline.errors import ConfigError
from pipeline.register import Case, StepRecord
from pipeline.sop.procedure import Procedure, build_steps, default_roles

DEFAULT = yaml.safe_load(config_module.default_config_text())
DOCUMENTS = DEFAULT["documents"]


def table(edit=None):
    steps = copy.deepcopy(DEFAULT["sop"]["steps"])
    if edit:
        steps = edit(steps)
    for number, step in enumerate(steps, start=1):
        step["number"] = number
    return steps


def insert_paraf(steps, **extra):
    at = next(i for i, s in enumerate(steps) if s["key"] == "periksa")
    steps.insert(
        at,
        {
            "number": 0,
            "key": "paraf_kasubbid",
            "kind": "human",
            "actor": "Kasubbid",
            "activity": "Memaraf draft laporan",
            "target_minutes": 5,
            "output": "Paraf",
            **extra,
        },
    )
    return steps


def records(done, running=None, kasus="2026-0001"):
    result = {key: StepRecord(kasus, key, "selesai", "2026-11-20T08:00:00", "2026-11-20T09:00:00", "x") for key in done}
    if running:
        result[running] = StepRecord(kasus, running, "berjalan", "2026-11-20T09:00:00")
    return result


CASE = Case("2026-0001", "x/1", "Unit", "t")
FIRST_EIGHT = [
    "nota_dinas_masuk",
    "agenda_masuk",
    "disposisi_kapus",
    "disposisi_kabid",
    "input_data",
    "verifikasi",
    "otentikasi",
    "laporan_kesiapan",
]


def test_defaults_resolved_from_the_table():
    steps = {s.key: s for s in build_steps(table(), DOCUMENTS)}
    assert steps["nota_dinas_masuk"].handler is None
    assert steps["input_data"].handler == "input_data" and steps["input_data"].document == "daftar_data"
    assert steps["disposisi_kabid"].role == ("kabid",) and steps["disposisi_kabid"].early
    assert steps["setujui"].reject_to == "input_data" and steps["kirim"].role == ("staf",)


def test_legacy_table_without_handlers_finds_them_by_key():
    def strip(steps):
        for step in steps:
            for key in ("handler", "early", "reject_to"):
                step.pop(key, None)
        return steps

    steps = {s.key: s for s in build_steps(table(strip), DOCUMENTS)}
    assert steps["disposisi_kapus"].handler == "disposisi" and steps["periksa"].handler == "periksa"
    assert steps["agenda_masuk"].handler == "agenda_masuk"
    # What release 0.1 did without saying it in the table: early dispositions and
    # authentication, tolak at review and approval back to the data.
    assert [k for k, s in steps.items() if s.early] == ["disposisi_kapus", "disposisi_kabid", "otentikasi"]
    assert {k: s.reject_to for k, s in steps.items() if s.reject_to} == {
        "periksa": "input_data",
        "setujui": "input_data",
    }
    assert "tolak" in Procedure(steps.values()).action_names()


def test_unknown_handler_is_named_with_the_known_ones():
    def misspell(steps):
        steps[4]["handler"] = "input_dta"
        return steps

    with pytest.raises(ConfigError) as caught:
        build_steps(table(misspell), DOCUMENTS)
    message = str(caught.value)
    assert message.startswith("Konfigurasi sop.steps langkah 5 (input_data): handler “input_dta” tidak dikenal.")
    assert "agenda_masuk, disposisi, input_data, kirim, laporan_kesiapan, otentikasi, periksa, setujui" in message


def test_machine_step_without_code_is_refused():
    def invent(steps):
        steps.insert(
            8,
            {
                "number": 0,
                "key": "cetak_sertifikat",
                "kind": "machine",
                "actor": "Staf",
                "activity": "Cetak",
                "target_minutes": 1,
                "output": "Sertifikat",
            },
        )
        return steps

    with pytest.raises(ConfigError, match="langkah 9 \\(cetak_sertifikat\\): handler “cetak_sertifikat” tidak"):
        build_steps(table(invent), DOCUMENTS)


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda s: [x for x in s if x["key"] != "agenda_masuk"], "tepat satu langkah dengan handler agenda_masuk"),
        (lambda s: [s[0], s[2], s[1], *s[3:]], "sebelum langkah itu hanya boleh ada langkah jenis input"),
        (lambda s: [*s[:5], {**s[0], "key": "lampiran_masuk"}, *s[5:]], "input hanya boleh ada sebelum langkah"),
        (lambda s: [*s[:9], {**s[9], "early": False, "reject_to": None}, s[10]], None),
        (lambda s: [*s[:9], {**s[9], "reject_to": "kirim"}, s[10]], "reject_to “kirim” harus kunci langkah sebelumnya"),
        (lambda s: [*s[:8], {**s[8], "document": "lembar_paraf"}, *s[9:]], "dokumen “lembar_paraf” tidak ada"),
        (lambda s: [*s[:8], {**s[8], "key": "tolak"}, *s[9:]], "kunci “tolak” dipakai untuk keputusan menolak"),
    ],
)
def test_tables_that_cannot_run_are_refused(edit, message):
    if message is None:  # the table may switch a default off
        steps = {s.key: s for s in build_steps(table(edit), DOCUMENTS)}
        assert steps["setujui"].reject_to is None and not steps["setujui"].early
        return
    with pytest.raises(ConfigError, match=message):
        build_steps(table(edit), DOCUMENTS)


def test_default_roles_from_the_actor():
    assert default_roles("Kasubbid/Kabid") == ("kasubbid", "kabid")
    assert default_roles("Kapusdatinkomtel") == ("kapus",)
    assert default_roles("Sekretaris Pusat") == ("sekretaris_pusat",)


def test_current_step_and_what_fits():
    procedure = Procedure(build_steps(table(insert_paraf), DOCUMENTS))
    at_paraf = records(FIRST_EIGHT, "paraf_kasubbid")
    assert procedure.current(at_paraf).key == "paraf_kasubbid"
    assert procedure.misfit("paraf_kasubbid", CASE, at_paraf) is None
    assert procedure.misfit("periksa", CASE, at_paraf) == "kasus belum sampai langkah 10 (Memeriksa draft laporan)."
    assert procedure.misfit("disposisi_kapus", CASE, at_paraf).startswith("langkah 3 (Menelaah")
    assert "paraf_kasubbid" in procedure.action_names() and procedure.action_names()[-1] == "tolak"


def test_a_step_inserted_before_where_the_case_is_counts_as_skipped():
    procedure = Procedure(build_steps(table(insert_paraf), DOCUMENTS))
    at_review = records(FIRST_EIGHT, "periksa")
    assert procedure.current(at_review).key == "periksa"
    view = dict((s.key, status) for s, status in procedure.view(at_review))
    assert view["paraf_kasubbid"] == "dilewati" and view["setujui"] == "menunggu"
    assert procedure.misfit("paraf_kasubbid", CASE, at_review) == (
        "kasus sudah melewati langkah 9 (Memaraf draft laporan)."
    )


def test_a_removed_running_step_moves_the_case_to_the_next():
    procedure = Procedure(build_steps(table(lambda s: [x for x in s if x["key"] != "otentikasi"]), DOCUMENTS))
    at_removed = records(FIRST_EIGHT[:6], "otentikasi")
    assert procedure.current(at_removed).key == "laporan_kesiapan"
    assert "otentikasi" not in procedure.action_names()


def test_a_kept_decision_is_due_at_its_step_and_stale_after_newer_data():
    from pipeline.sop import fit

    procedure = Procedure(build_steps(table(), DOCUMENTS))
    at_review = records(FIRST_EIGHT, "periksa")
    assert fit.due("periksa", at_review, procedure) and fit.due("tolak", at_review, procedure)
    assert not fit.due("setujui", at_review, procedure)  # early: kept, applied once the case gets there
    periksa, disposisi = procedure.step("periksa"), procedure.step("disposisi_kapus")
    assert fit.judges_data(periksa, procedure) and not fit.judges_data(disposisi, procedure)
    assert fit.stale(periksa, dasar=1, newest=2, procedure=procedure)
    assert not fit.stale(periksa, dasar=2, newest=2, procedure=procedure)
    assert not fit.stale(disposisi, dasar=1, newest=2, procedure=procedure)  # it never judged the data


def test_fit_says_why_an_action_does_not_fit():
    from pipeline.sop.fit import Fit

    assert Fit().fits and Fit(None).reason is None
    refused = Fit("kasus belum sampai langkah 10 (Memeriksa draft laporan).")
    assert not refused.fits and refused.reason.startswith("kasus belum sampai")
