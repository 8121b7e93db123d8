"""The one wait for a journal entry that ``pipeline act`` (beside ``watch``) and ``pipeline
tandatangani`` share: settled, refused, or not yet within its patience."""

import pytest

from pipeline import workspace
from pipeline.errors import InputRefused
from pipeline.inbox.handover import await_journal
from pipeline.register import open_register
from pipeline.register.records import JournalEntry

SETTLED, REFUSED, UNSEEN = "a" * 64, "b" * 64, "c" * 64


def journal(config, sha256, hasil, lokasi="", alasan=()):
    workspace.ensure_folders(config)
    with open_register(config) as register, register.transaction():
        register.add_journal(
            JournalEntry("x.yaml", sha256, 1, "2026-11-25T09:30:00+07:00", hasil, "tindakan", "", alasan, lokasi)
        )


def test_a_settled_entry_is_returned(config):
    journal(config, SETTLED, "diterima", lokasi="archive/x")
    entry = await_journal(config, SETTLED, lambda register, entry: entry.lokasi != "inbox", 5, "tindakan")
    assert entry is not None and entry.hasil == "diterima" and entry.lokasi == "archive/x"


def test_a_refused_entry_raises_with_the_services_reasons(config):
    journal(config, REFUSED, "ditolak", alasan=("Kasus tidak ditemukan.",))
    with pytest.raises(InputRefused) as refused:
        await_journal(config, REFUSED, lambda register, entry: True, 5, "tindakan")
    assert "Kasus tidak ditemukan." in str(refused.value)


def test_an_entry_not_settled_within_patience_is_none(config):
    journal(config, SETTLED, "menunggu", lokasi="inbox")
    assert await_journal(config, SETTLED, lambda register, entry: entry.lokasi != "inbox", 0.5, "tindakan") is None
    assert await_journal(config, UNSEEN, lambda register, entry: True, 0.5, "tindakan") is None
