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
