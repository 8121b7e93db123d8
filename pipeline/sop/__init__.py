"""The SOP: its step table, the procedure built from it, the case runner, whether an action fits, and the step handlers."""
