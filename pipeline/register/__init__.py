"""The register: the office's agenda books, journal, cases and their steps.

``open_register(config)`` chooses the backend; everything else calls its
intents and gets records back (docs/architecture.md, "The register").
"""

from .records import AgendaEntry, Case, Document, Event, JournalEntry, KeptInput, StepRecord
from .sqlite import MIGRATIONS, SQLiteRegister

__all__ = ["open_register", "AgendaEntry", "Case", "Document", "Event", "JournalEntry", "KeptInput",
           "StepRecord", "MIGRATIONS", "SQLiteRegister"]


def open_register(config):
    """The workspace's register, migrated to the current schema."""
    step_table = [(step.number, step.key, step.handler) for step in config.steps]
    return SQLiteRegister(config.register_path, step_table)
