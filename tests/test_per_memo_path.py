"""What the per-memo path does not do when it has no reason to (the speed is measured in bench/)."""

from support.builders import tab_memo
from support.workspace import make_workspace

from pipeline.engine import open_workspace
from pipeline.sop import memo


def test_a_word_memo_is_filed_without_a_scratch_folder_for_searchable_copies(tmp_path, monkeypatch):
    """The scratch folder is for the searchable PDF of a scan; a Word memo has none to make."""
    config = make_workspace(tmp_path / "ws", {"ocr": {"enabled": True}})
    tab_memo(config.inbox / "nota.docx")
    made = []
    real = memo.tempfile.TemporaryDirectory
    monkeypatch.setattr(memo.tempfile, "TemporaryDirectory", lambda *a, **k: made.append(1) or real(*a, **k))
    with open_workspace(config) as ws:
        [outcome] = ws.process_inbox()
    assert outcome.hasil == "diterima"
    assert made == []
