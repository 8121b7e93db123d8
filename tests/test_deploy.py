"""The deployment files in deploy/ fit the pipeline they deploy: the unit runs commands that
exist on the workspace the README sets up, and the Samba shares keep each file's owner (an
action is done by the account that wrote it)."""

import configparser
from pathlib import Path

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def read_ini(path):
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_the_systemd_unit_checks_then_watches_the_workspace():
    unit = read_ini(DEPLOY / "spse-pipeline.service")
    service = unit["Service"]
    for key, command in (("ExecStartPre", "doctor"), ("ExecStart", "watch")):
        program, flag, config, name = service[key].split()
        assert (program, flag, config, name) == (
            "/opt/spse-pipeline/bin/pipeline",
            "--config",
            "/srv/spse/config.yaml",
            command,
        )
        assert name in main.commands
    assert service["User"] == "spse" and service["KillSignal"] == "SIGTERM"
    assert service["EnvironmentFile"] == "-/etc/spse-pipeline/lingkungan"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for named in (
        "deploy/spse-pipeline.service",
        "deploy/smb.conf.example",
        "deploy/lingkungan.example",
        "/etc/spse-pipeline/lingkungan",
        "pipeline init /srv/spse",
        "doctor",
    ):
        assert named in readme, named


def test_the_samba_shares_match_the_workspace_and_keep_owners():
    shares = read_ini(DEPLOY / "smb.conf.example")
    paths = {name: shares[name]["path"] for name in ("spse-inbox", "spse-outbox", "spse-arsip")}
    assert paths == {
        "spse-inbox": "/srv/spse/inbox",
        "spse-outbox": "/srv/spse/outbox",
        "spse-arsip": "/srv/spse/archive",
    }
    for name in shares.sections():
        assert "force user" not in shares[name], name
    assert shares["spse-inbox"]["read only"] == "no"
    assert shares["spse-outbox"]["read only"] == "yes" and shares["spse-arsip"]["read only"] == "yes"
    assert "/register.sqlite3/" in shares["spse-arsip"]["veto files"]


def test_the_environment_file_names_the_variables_the_config_reads():
    from pipeline import config as config_module

    names = {
        line.split("=")[0]
        for line in (DEPLOY / "lingkungan.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    defaults = config_module.default_config_text()
    assert names == {"SPSE_PASSPHRASE", "SPSE_BSRE_USER", "SPSE_BSRE_PASSWORD", "SPSE_SMTP_PASSWORD"}
    assert all(name in defaults for name in names)
