"""The searchable PDF of a scanned letter, archived beside the unchanged scan (docs/inputs.md, "PDF and scans").

Made by OCRmyPDF while the filing is prepared, outside the register's transaction; a copy that
cannot be made is logged with the reason and never holds the filing back.
"""

import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.models import Inbound
from pipeline.readers import pdf_text
from pipeline.readers.ocr import make_searchable
from pipeline.readers.scan_limits import scan_kind

if TYPE_CHECKING:
    from pipeline.config import Config, Limits

SUFFIX = "-tertelusur.pdf"
LOG = logging.getLogger("pipeline")


def is_scan(path: Path, limits: "Limits") -> bool:
    """True for a JPG or PNG, or a PDF without a usable text layer: a letter read by OCR."""
    try:
        kind = scan_kind(path)
        return kind in ("png", "jpeg") or (kind == "pdf" and not pdf_text.has_text(path, limits))
    except OSError:
        return False


def make_copies(config: "Config", inbounds: Iterable[Inbound], folder: str | os.PathLike[str]) -> dict[str, Path]:
    """``{archive name: path}`` of the searchable PDF of each scan among ``inbounds``, written in ``folder``."""
    if not config.ocr.enabled:
        return {}
    made: dict[str, Path] = {}
    for inbound in inbounds:
        if not is_scan(inbound.path, config.limits):
            continue
        name = Path(inbound.name).stem + SUFFIX
        target = Path(folder) / name
        deadline = time.monotonic() + config.limits.ocr_seconds_per_file
        problem = make_searchable(Path(inbound.path).absolute(), target, config.limits, config.ocr.language, deadline)
        if problem:
            LOG.warning("Pindaian %s: %s", inbound.name, problem)
        else:
            made[name] = target
    return made
