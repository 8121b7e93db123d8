"""Functions once shortened stay short: each does one named thing, and what it does in
detail is in helpers named for it (``python tools/shape.py longest`` counts the lines, a
nested function's with the function around it)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import shape

LIMIT = 40
SHORTENED = {
    "pipeline.outputs.report_views:sheet_sections",
    "pipeline.sop.handlers.letter:setujui",
    "pipeline.doctor:certificate",
    "pipeline.sop.memo:_record",
    "pipeline.filing.filer:Filer.file",
    "pipeline.sop.views:status",
    "pipeline.config:_freeze",
    "pipeline.letters.signed_copies:receive_scan",
    "pipeline.outputs.notices:compose",
    "pipeline.sop.inputs:keep",
    "pipeline.documents.decision_form:write",
    "pipeline.inbox.decisions:form_action",
}


def test_the_shortened_functions_stay_within_forty_lines():
    sizes = {name: lines for lines, name in shape.longest(100_000)}
    assert sorted(SHORTENED - set(sizes)) == [], "renamed or moved: name it here again"
    longer = {name: sizes[name] for name in sorted(SHORTENED) if sizes[name] > LIMIT}
    assert longer == {}, f"longer than {LIMIT} lines: split them into helpers that each do one named thing"
