"""Changes the pipeline itself makes to a workspace's config.yaml, comments kept.

The register never edits the configuration: ``pipeline migrate-register``
proves its copy (``register.transfer``), then writes ``register.url`` here.
"""

import re
from pathlib import Path

from pipeline.errors import RegisterError


def set_register_url(path: Path, url: str) -> None:
    """Write ``register.url`` into the config.yaml at ``path``. The new text is loaded and checked
    before it replaces the old one; RegisterError when it does not read back as ``url``."""
    from pipeline.config import load

    text = with_register_url(path.read_text(encoding="utf-8"), url)
    temp = path.with_name(f".{path.name}.baru")
    temp.write_text(text, encoding="utf-8")
    try:
        if load(temp).register_url != url:
            raise RegisterError(
                "config.yaml tidak dapat diubah otomatis untuk register.url. Tulis sendiri "
                f"\u201cregister:\\n  url: {url}\u201d di config.yaml."
            )
        temp.replace(path)
    finally:
        temp.unlink(missing_ok=True)


def with_register_url(text: str, url: str) -> str:
    """config.yaml's text with ``url`` under ``register:`` (the key replaced where it is, added
    where it is not, the block added where there is none); comments kept."""
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if re.match(r"^register:\s*(#.*)?$", line)), None)
    if start is None:
        return (
            text.rstrip("\n")
            + f"\n\n# Register bersama di PostgreSQL (pipeline migrate-register).\nregister:\n  url: {url}\n"
        )
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if lines[i] and not lines[i][0].isspace() and not lines[i].startswith("#")
        ),
        len(lines),
    )
    for i in range(start + 1, end):
        if re.match(r"^\s+url:", lines[i]):
            lines[i] = f"  url: {url}"
            break
    else:
        lines.insert(start + 1, f"  url: {url}")
    return "\n".join(lines) + "\n"
