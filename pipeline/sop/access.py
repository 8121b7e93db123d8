"""Who may act: access roles mapped to the operating system's accounts.

An action file counts as done by the account that owns it on the share
(Samba creates files as the logged-in user); ``pipeline act`` by the
account that runs it. ``oleh`` in an action is a display name, never a
credential (docs/configuration.md, ``access.roles``).
"""

import os
import pwd
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.config import Config
    from pipeline.sop.procedure import Step


def account_name(uid: int) -> str:
    """The account name of a user id; ``uid 1234`` when the system knows no name for it."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def current_account() -> str:
    return account_name(os.getuid())


def owner(path: Path) -> str:
    """The account that owns a file (the one who put it on the share)."""
    return account_name(os.lstat(path).st_uid)


def refusal(config: "Config", step: "Step", account: str, langkah: str | None = None) -> str | None:
    """Why ``account`` may not record ``step``, in Indonesian; None when it may."""
    allowed = {a for role in step.role for a in config.roles.get(role, ())}
    if account in allowed:
        return None
    roles = " atau ".join(step.role)
    holders = ", ".join(sorted(allowed)) or "belum ada akun yang ditetapkan"
    return (
        f"tindakan {langkah or step.key} hanya dapat dicatat oleh akun dengan peran {roles} "
        f"({holders}), sedangkan tindakan ini dicatat oleh akun \u201c{account}\u201d. Minta pejabat yang "
        "berwenang mencatatnya, atau tambahkan akunnya pada access.roles di config.yaml."
    )


# -- decisions made on paper, recorded by staff on the official's behalf ---------------------------

ON_BEHALF = "dicatat oleh "  # how every record of a decision made on paper begins


def official_role(config: "Config", text: str) -> str | None:
    """The role an action's ``atas_nama`` names: the role itself (``kapus``) or the name of the
    official config gives it (``officials.kapus.nama``); None when it names neither."""
    wanted = " ".join(str(text).split()).casefold()
    for role in config.roles:
        if role.casefold() == wanted:
            return role
    for role, official in config.officials.items():
        if " ".join(official.nama.split()).casefold() == wanted and role in config.roles:
            return role
    return None


def official_name(config: "Config", role: str, default: str) -> str:
    """The name of the official who holds ``role`` (config ``officials``), else ``default``."""
    official = config.officials.get(role)
    return official.nama if official else default


def may_record_for(config: "Config", role: str) -> tuple[str, ...]:
    """The roles that may record ``role``'s decisions on its behalf (``access.atas_nama``)."""
    return config.on_behalf.get(role, ())


def on_behalf_refusal(config: "Config", step: "Step", account: str, role: str, langkah: str) -> str | None:
    """Why ``account`` may not record ``step`` on behalf of the official holding ``role``, in
    Indonesian; None when it may (the step is that role's, and config lets the account's role)."""
    if role not in step.role:
        return (
            f"tindakan {langkah} adalah keputusan peran {' atau '.join(step.role)}, bukan peran {role}; "
            f"tindakan ini tidak dapat dicatat atas nama {role}. Periksa isian atas_nama."
        )
    recorders = may_record_for(config, role)
    if not recorders:
        return (
            f"keputusan peran {role} tidak dapat dicatat atas namanya: access.atas_nama di config.yaml tidak "
            f"menyebut peran {role}. Minta pejabat itu mencatatnya sendiri, atau tambahkan "
            f"access.atas_nama.{role} berisi peran yang boleh mencatat atas namanya (misalnya staf)."
        )
    allowed = {a for r in recorders for a in config.roles.get(r, ())}
    if account in allowed:
        return None
    holders = ", ".join(sorted(allowed)) or "belum ada akun yang ditetapkan"
    return (
        f"keputusan peran {role} hanya dapat dicatat atas namanya oleh akun dengan peran "
        f"{' atau '.join(recorders)} ({holders}), sedangkan tindakan ini dicatat oleh akun \u201c{account}\u201d. "
        "Serahkan lembar yang ditandatangani kepada petugas tersebut untuk dicatat."
    )


def full_name(account: str) -> str:
    """The person's name the system knows for an account (its GECOS field), else the account."""
    try:
        gecos = pwd.getpwnam(account).pw_gecos.split(",")[0].strip()
    except KeyError:
        return account
    return gecos or account


def recorded_on_behalf(staf: str, account: str, pejabat: str) -> str:
    """The line every record shows for a decision made on paper: dicatat oleh <staf> (akun <akun>)
    atas nama <pejabat>."""
    return f"{ON_BEHALF}{staf} (akun {account}) atas nama {pejabat}"


def is_on_behalf(oleh: str) -> bool:
    """True for a step record's ``oleh`` that says the decision was recorded on an official's behalf."""
    return oleh.startswith(ON_BEHALF) and " atas nama " in oleh
