"""tools/walk.py follows the register and the config through a real inbox pass."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import walk


def test_the_walk_follows_both_objects_from_the_pass_and_no_inbox_module_is_climbed_back_into():
    walks = {w.name: w for w in walk.walk()}
    assert sorted(walks) == ["config", "register"]
    for followed in walks.values():
        assert "pipeline.inbox.passes" in followed.modules
        assert not [b for _a, b in followed.climbs if b.startswith("pipeline.inbox.")], followed.climbs
    assert "pipeline.register.sql" not in walks["register"].modules  # using the register is not handing it on


def test_no_stage_climbs_back_into_a_caller_and_none_is_entered_twice():
    """Issue 19's shape: from the inbox pass the register and the config only go down (a
    callback, the closure a stage hands ``Filer.file``, is told apart); no module is re-entered;
    a handler never calls back into the runner; the outputs are not written from inside the pass."""
    walks = {w.name: w for w in walk.walk()}
    for followed in walks.values():
        assert followed.climbs == set(), followed.climbs
        assert followed.reentered() == {}
        assert not [m for m in followed.modules if m.startswith("pipeline.outputs.")], followed.modules
    assert {("pipeline.filing.filer", "pipeline.sop.memo")} <= walks["register"].callbacks
    assert "pipeline.sop.step_run" in walks["register"].modules  # the handlers' interface, not the runner
