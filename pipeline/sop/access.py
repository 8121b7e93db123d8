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
