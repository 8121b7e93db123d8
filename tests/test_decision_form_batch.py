"""The decision forms of many cases are written in one batch after a pass: the manifest read and
saved once, every form listed before any appears, and the parts no case changes made once per
process (the forms themselves as tests/test_decision_forms.py reads them)."""

import json

from support.builders import yaml_memo
from support.workspace import make_workspace

from pipeline.documents import decision_form
from pipeline.engine import open_workspace
from pipeline.sop.access import current_account


def three_memos(config):
    for number in (1, 2, 3):
        yaml_memo(config.inbox / f"nota-{number}.yaml", nomor=f"050/{number}/ULP-OTDA/XI/2026")


def test_the_forms_of_a_pass_are_listed_in_one_save_of_the_manifest(tmp_path, monkeypatch):
    config = make_workspace(tmp_path / "ws", {})
    three_memos(config)
    saves = []
    real = decision_form.save_manifest
    monkeypatch.setattr(decision_form, "save_manifest", lambda *args: saves.append(real(*args)))
    with open_workspace(config) as ws:
        ws.process_inbox()
    forms = sorted(config.decision_folder(current_account()).glob("*.docx"))
    listed = decision_form.load_manifest(config)
    assert len(forms) == 3 and sorted(listed) == [form.relative_to(config.root).as_posix() for form in forms]
    assert len(saves) == 1


def test_every_form_of_the_batch_is_listed_before_any_is_placed(tmp_path, monkeypatch):
    """A crash between two placements never leaves a blank form that the manifest does not list."""
    config = make_workspace(tmp_path / "ws", {})
    three_memos(config)
    seen = []
    real = decision_form.place

    def placing(temp, path):
        listed = json.loads(decision_form.manifest_path(config).read_text(encoding="utf-8"))
        seen.append(len(listed))
        real(temp, path)

    monkeypatch.setattr(decision_form, "place", placing)
    with open_workspace(config) as ws:
        ws.process_inbox()
    assert seen == [3, 3, 3]


def test_the_parts_no_case_changes_are_made_once_per_process(tmp_path, monkeypatch):
    """python-docx's document (styles, numbering, theme) is opened once, not once per form."""
    config = make_workspace(tmp_path / "ws", {})
    three_memos(config)
    opened = []
    real = decision_form.Document
    monkeypatch.setattr(decision_form, "Document", lambda *args: opened.append(1) or real(*args))
    decision_form._blank.cache_clear()
    with open_workspace(config) as ws:
        ws.process_inbox()
    assert len(list(config.decision_folder(current_account()).glob("*.docx"))) == 3
    assert len(opened) == 1
