"""Who may act: an action counts as done by the account that owns the file or runs ``act``."""

import json
import os

import pytest
import yaml
from support.builders import MEMO_NOMOR, action, tab_memo
from support.cli import invoke
from support.steps import edit_steps
from support.workspace import make_workspace, rejected_reason

from pipeline import config as config_module
from pipeline import workspace
from pipeline.errors import ConfigError
from pipeline.sop.access import current_account


def with_roles(tmp_path, **roles):
    ws = make_workspace(tmp_path / "ws")
    data = yaml.safe_load(ws.path.read_text(encoding="utf-8"))
    data["access"]["roles"].update(roles)
    ws.path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_module.load(ws.path)


def test_init_puts_the_account_that_ran_it_in_every_role(tmp_path):
    workspace.init(tmp_path / "ws")  # config.yaml exactly as ``pipeline init`` writes it
    config = config_module.load(tmp_path / "ws" / "config.yaml")
    assert config.roles == {role: (current_account(),) for role in ("kapus", "kabid", "kasubbid", "staf")}
    assert "(GANTI)" in config.path.read_text(encoding="utf-8")


@pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")
def test_an_action_file_from_another_account_is_refused_naming_it(config):
    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    path = action(config.inbox / "kapus.yaml", "disposisi_kapus", oleh="Dr. Ir. Suryo Wibowo, M.T.")
    os.chown(path, 4242, 4242)
    invoke(config, "run")
    text = rejected_reason(config, "kapus.yaml")
    assert (
        f"tindakan disposisi_kapus hanya dapat dicatat oleh akun dengan peran kapus ({current_account()}), "
        "sedangkan tindakan ini dicatat oleh akun “uid 4242”."
    ) in text
    item = json.loads(invoke(config, "status", "--json").output)
    assert item["langkah_sekarang"] == 3


def test_act_by_an_account_outside_the_role_is_refused(tmp_path):
    ws = with_roles(tmp_path, kapus=["suryo"])
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    result = invoke(ws, "act", MEMO_NOMOR, "disposisi_kapus", "--oleh", "Dr. Ir. Suryo Wibowo, M.T.")
    assert result.exit_code == 1
    assert "peran kapus (suryo), sedangkan tindakan ini dicatat oleh akun" in result.output
    assert f"“{current_account()}”" in result.output


def test_a_plt_is_another_account_in_the_role(tmp_path):
    ws = with_roles(tmp_path, kapus=["suryo", current_account()])
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    assert invoke(ws, "act", MEMO_NOMOR, "disposisi_kapus", "--oleh", "Plt. Kapusdatinkomtel").exit_code == 0


def test_tolak_needs_the_role_of_the_step_it_rejects(tmp_path):
    ws = with_roles(tmp_path, kapus=["suryo"])
    tab_memo(ws.inbox / "nota.docx")
    invoke(ws, "run")
    result = invoke(ws, "act", MEMO_NOMOR, "tolak", "--catatan", "x")
    assert result.exit_code == 1 and "tindakan tolak hanya dapat dicatat oleh akun dengan peran kapus" in result.output


def test_a_step_role_without_accounts_in_config_is_an_error(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    with pytest.raises(ConfigError, match="peran “sekretaris” tidak ada di access.roles"):
        edit_steps(ws, lambda steps: [dict(s, role="sekretaris") if s["actor"] == "Kabid" else s for s in steps])


def test_an_action_file_on_a_network_inbox_is_refused_act_still_works(config, tmp_path, monkeypatch):
    from pipeline import register as register_module

    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    mounts = tmp_path / "mounts"
    mounts.write_text(f"/dev/sda1 / ext4 rw 0 0\n//server/spse {config.inbox} cifs rw 0 0\n")
    monkeypatch.setattr(register_module, "MOUNTS", mounts)
    action(config.inbox / "kapus.yaml", "disposisi_kapus")
    invoke(config, "run")
    assert "pemilik berkas tindakan tidak dapat dipastikan" in rejected_reason(config, "kapus.yaml")
    assert invoke(config, "act", MEMO_NOMOR, "disposisi_kapus").exit_code == 0


def test_a_refused_decision_put_back_in_the_inbox_is_not_made_again(config):
    import shutil

    tab_memo(config.inbox / "nota.docx")
    invoke(config, "run")
    action(config.inbox / "periksa.yaml", "periksa")  # too early: refused
    invoke(config, "run")
    shutil.move(config.rejected_dir / "periksa.yaml", config.inbox / "periksa.yaml")
    invoke(config, "run")
    text = (config.duplicate_dir / "periksa.yaml.alasan.txt").read_text(encoding="utf-8")
    assert "Berkas tindakan yang sama persis sudah diproses" in text
