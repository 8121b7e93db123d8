"""Filing into the numbered archive: prepare, commit, publish; the archive's helpers; checking it against the register."""
