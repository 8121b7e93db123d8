"""What ``migrate-register`` and ``rebuild-register`` change in a workspace's files: config.yaml's
``register.url`` written with its comments kept, the SQLite file set aside, never deleted."""

import yaml

from pipeline import workspace
from pipeline.config import edit as config_edit

URL = "postgresql://spse@db:5432/spse"


def test_register_url_is_added_as_a_block_where_there_is_none():
    text = config_edit.with_register_url("# kantor\ntimezone: Asia/Jakarta\n", URL)
    assert text.startswith("# kantor\ntimezone: Asia/Jakarta\n")
    assert yaml.safe_load(text)["register"] == {"url": URL}


def test_register_url_replaces_the_key_and_keeps_the_comments():
    text = "register:  # bersama\n  # alamat basis data\n  url: \n  host: a\ninbox: inbox\n"
    changed = config_edit.with_register_url(text, URL)
    assert changed == f"register:  # bersama\n  # alamat basis data\n  url: {URL}\n  host: a\ninbox: inbox\n"


def test_register_url_is_added_under_a_block_without_it():
    changed = config_edit.with_register_url("register:\n  host: a\ninbox: inbox\n", URL)
    assert yaml.safe_load(changed) == {"register": {"url": URL, "host": "a"}, "inbox": "inbox"}


def test_the_register_file_is_set_aside_with_its_journal_files(config):
    for suffix in ("", "-wal", "-shm"):
        config.register_path.with_name(config.register_path.name + suffix).write_bytes(b"x")
    aside = workspace.set_register_aside(config, "register.sqlite3.lama-1")
    assert aside == config.register_path.with_name("register.sqlite3.lama-1")
    assert not config.register_path.exists()
    assert sorted(p.name for p in config.register_path.parent.glob("register.sqlite3.lama-1*")) == [
        "register.sqlite3.lama-1",
        "register.sqlite3.lama-1-shm",
        "register.sqlite3.lama-1-wal",
    ]


def test_nothing_is_set_aside_when_there_is_no_register(config):
    assert workspace.set_register_aside(config, "register.sqlite3.lama-2") is None
