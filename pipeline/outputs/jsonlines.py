"""One JSON object per line, as the ``--json`` commands write them (docs/cli.md).

orjson writes them: a listing of 100,000 entries spends its time reading the
register, not encoding (the standard library's encoder took half of it).
Text is written as UTF-8, never escaped to ``\\uXXXX``, like ``json.dumps``
with ``ensure_ascii=False``.
"""

import json
from typing import Any

import orjson


def line(value: Any) -> str:
    """``value`` as one line of JSON text."""
    try:
        return orjson.dumps(value).decode("utf-8")
    except TypeError:  # a lone surrogate orjson refuses: the standard encoder escapes it
        return json.dumps(value, ensure_ascii=False)
