"""The library API the CLI and the benchmarks share: open_workspace and its methods."""

import logging

import pytest
from support.builders import MEMO_NOMOR, action, tab_memo
from support.workspace import configure, make_workspace

from pipeline.engine import configure_logging, open_workspace
from pipeline.errors import InputRefused, RegisterError, WorkspaceBusy
from pipeline.register import Event
from pipeline.sop.access import current_account


def test_process_act_and_status_through_the_library(config):
    tab_memo(config.inbox / "nota.docx")
    with open_workspace(config) as workspace:
        assert workspace.start() == []
        [outcome] = workspace.process_inbox()
        assert (outcome.hasil, outcome.kasus) == ("diterima", next(iter(workspace.status())).kasus)
        outcome, described = workspace.act(MEMO_NOMOR, "disposisi_kapus", oleh="Dr. Ir. Suryo Wibowo, M.T.")
        assert outcome.hasil == "diterima" and described.langkah_sekarang == 4
        with pytest.raises(InputRefused, match="kasus belum sampai langkah 9"):
            workspace.act(MEMO_NOMOR, "periksa")
        [item] = list(workspace.status(MEMO_NOMOR))
        assert item.langkah[2].oleh == f"Dr. Ir. Suryo Wibowo, M.T. (akun {current_account()})"
        problems, files, records = workspace.verify()
        assert problems == [] and records == 3 and files > 3


def test_one_process_changes_a_workspace_at_a_time(config):
    with open_workspace(config):
        with pytest.raises(WorkspaceBusy, match="sedang diproses oleh proses pipeline lain"):
            with open_workspace(config):
                pass
        with open_workspace(config, lock=False) as reader:
            assert list(reader.status()) == []


def test_the_service_logs_to_a_rotating_file_when_config_says(tmp_path):
    ws = make_workspace(tmp_path / "ws", {"logging": {"file": "catatan/pipeline.log"}})
    logger = configure_logging(ws, to_stderr=False)
    try:
        tab_memo(ws.inbox / "nota.docx")
        action(ws.inbox / "salah.yaml", "periksa")
        with open_workspace(ws) as workspace:
            workspace.process_inbox()
        for handler in logger.handlers:
            handler.flush()
        text = (ws.root / "catatan" / "pipeline.log").read_text(encoding="utf-8")
        assert "INFO nota.docx: diterima" in text
        assert "INFO salah.yaml: ditolak Kasus" in text and "kasus belum sampai langkah 9" in text
        assert isinstance(logger.handlers[0], logging.handlers.RotatingFileHandler)
    finally:
        logger.handlers.clear()


def _clock(moment):
    return lambda: moment


def test_waktu_is_evidence_and_the_number_takes_the_year_it_is_given_in(config):
    import datetime as dt

    from support.builders import registration_yaml

    evening = dt.datetime(2026, 12, 31, 23, 0, tzinfo=config.timezone)
    tab_memo(config.inbox / "nota.docx")
    registration_yaml(config.inbox / "registrasi.yaml")
    with open_workspace(config, clock=_clock(evening)) as workspace:
        workspace.process_inbox()
        for langkah in ("disposisi_kapus", "disposisi_kabid", "otentikasi", "periksa"):
            workspace.act(MEMO_NOMOR, langkah)
        with pytest.raises(InputRefused, match="waktu 01-01-1900 00.00 lebih awal dari langkah kasus"):
            workspace.act(MEMO_NOMOR, "setujui", waktu="1900-01-01")
        with pytest.raises(InputRefused, match="waktu 01-01-2027 09.00 belum terjadi"):
            workspace.act(MEMO_NOMOR, "setujui", waktu="2027-01-01 09:00")
    new_year = dt.datetime(2027, 1, 1, 0, 2, tzinfo=config.timezone)
    with open_workspace(config, clock=_clock(new_year)) as workspace:
        outcome, _ = workspace.act(MEMO_NOMOR, "setujui", waktu="2026-12-31 23:58")
        assert outcome.hasil == "diterima"
        [letter] = workspace.register.agenda("keluar")
        assert (letter.tahun, letter.nomor_surat, letter.tanggal_surat) == (
            2027,
            "000.4.5/1/Pusdatinkomtel/2027",
            "2027-01-01",
        )
        step = workspace.register.steps(letter.kasus)["setujui"]
        assert step.selesai == "2026-12-31T23:58:00+07:00"


def _advanced_at_start(ws, monkeypatch):
    """The cases one start of the workspace advanced."""
    from pipeline.inbox.passes import InboxPass

    advanced, real = [], InboxPass.carry_on
    monkeypatch.setattr(InboxPass, "carry_on", lambda inbox, kasus: advanced.append(kasus) or real(inbox, kasus))
    with open_workspace(ws) as workspace:
        assert workspace.start() == []
    return advanced


def test_start_advances_only_the_cases_with_something_to_do(tmp_path, monkeypatch):
    (tmp_path / "pegawai.csv").write_text("nip;nama;unit\n", encoding="utf-8")
    ws = make_workspace(tmp_path / "ws", {"reference": {"employees": str(tmp_path / "pegawai.csv")}})
    tab_memo(ws.inbox / "nota.docx")
    with open_workspace(ws) as workspace:
        [outcome] = workspace.process_inbox()
    kasus = outcome.kasus
    assert _advanced_at_start(ws, monkeypatch) == [kasus]  # not yet seen waiting
    assert _advanced_at_start(ws, monkeypatch) == []
    with open_workspace(ws) as workspace:  # committed, then a crash before the case was carried on
        with workspace.register.transaction():
            workspace.register.record_event(Event("2026-11-25T09:00:00+07:00", kasus, "staf", "catatan", {}))
    assert _advanced_at_start(ws, monkeypatch) == [kasus]
    assert _advanced_at_start(ws, monkeypatch) == []
    (tmp_path / "pegawai.csv").write_text(
        "nip;nama;unit\n197106051998031004;HENDRA GUNAWAN;Balitbang\n", encoding="utf-8"
    )  # reference data the checks read
    assert _advanced_at_start(ws, monkeypatch) == [kasus]
    ws = configure(
        ws.path, {"rules": {"panitia_min_members": 5}}
    )  # the rules changed: what waited may now be judged otherwise
    assert _advanced_at_start(ws, monkeypatch) == [kasus]
    assert _advanced_at_start(ws, monkeypatch) == []


def test_a_changed_step_handler_carries_quiet_cases_on_again(config, monkeypatch):
    """An upgrade that changes how a step is run (its handler's code) may judge a waiting case
    otherwise: every quiet case is carried on again once, though the config stayed the same."""
    from pipeline.sop.handlers import memo

    tab_memo(config.inbox / "nota.docx")
    with open_workspace(config) as workspace:
        [outcome] = workspace.process_inbox()
    assert _advanced_at_start(config, monkeypatch) == [outcome.kasus]
    assert _advanced_at_start(config, monkeypatch) == []  # quiet: nothing changed
    real = memo.disposisi

    def changed(run):  # the same step, run by new code
        return real(run)

    monkeypatch.setattr(memo, "disposisi", changed)
    assert _advanced_at_start(config, monkeypatch) == [outcome.kasus]
    assert _advanced_at_start(config, monkeypatch) == []


def test_a_case_that_could_not_be_carried_on_is_tried_again(config, monkeypatch):
    from pipeline.sop import cases

    tab_memo(config.inbox / "nota.docx")
    with open_workspace(config) as workspace:
        [outcome] = workspace.process_inbox()
    real = cases.advance

    def failing(kasus, **_collaborators):
        raise RegisterError("Register tidak dapat ditulis: disk penuh.")

    monkeypatch.setattr(cases, "advance", failing)
    with open_workspace(config) as workspace:
        assert workspace.start() == [
            f"Kasus {outcome.kasus} belum dapat dilanjutkan: Register tidak dapat ditulis: disk penuh."
        ]
    monkeypatch.setattr(cases, "advance", real)
    assert _advanced_at_start(config, monkeypatch) == [outcome.kasus]
    assert _advanced_at_start(config, monkeypatch) == []
