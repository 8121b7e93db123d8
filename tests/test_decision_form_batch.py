"""The decision forms of many cases are written in one batch after a pass: the manifest read and
saved once, every form listed before any appears, and the parts no case changes made once per
process (the forms themselves as tests/test_decision_forms.py reads them)."""

import json
import os
import time

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


def test_an_idle_pass_looks_at_the_forms_of_a_folder_only_when_the_folder_changed(tmp_path, monkeypatch):
    """Which listed forms are gone is asked after every pass; the forms of an official's folder are
    looked at again only when the folder changed (its time) or its listed forms did."""
    config = make_workspace(tmp_path / "ws", {})
    three_memos(config)
    with open_workspace(config) as ws:
        ws.process_inbox()
    folder = config.decision_folder(current_account())
    hour_ago = time.time() - 3600
    os.utime(folder, (hour_ago, hour_ago))  # changed long before it is looked at
    missing = decision_form.Missing()
    assert missing(config) == set()
    looked = []
    real = decision_form.Path.exists
    monkeypatch.setattr(decision_form.Path, "exists", lambda self: looked.append(self) or real(self))
    assert missing(config) == set()
    assert looked == []
    [form, *_] = sorted(folder.glob("*.docx"))
    form.unlink()  # taken, refused or removed: the folder's time changes
    kasus = decision_form.load_manifest(config)[form.relative_to(config.root).as_posix()]["kasus"]
    assert missing(config) == {kasus}
    assert len(looked) == 3


def test_a_folder_changed_just_before_it_was_looked_at_is_looked_at_again(tmp_path):
    """Within the clock's tick of a change, a second change could leave the folder's time as it
    was: such a look is not remembered."""
    config = make_workspace(tmp_path / "ws", {})
    three_memos(config)
    with open_workspace(config) as ws:
        ws.process_inbox()
    folder = config.decision_folder(current_account())
    now = time.time()
    os.utime(folder, (now, now))
    missing = decision_form.Missing()
    assert missing(config) == set()
    [form, *_] = sorted(folder.glob("*.docx"))
    form.unlink()
    os.utime(folder, (now, now))  # the same time as before the form went
    assert len(missing(config)) == 1
