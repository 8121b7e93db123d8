"""The DOM a real browser (Debian's chromium) builds from a page the pipeline wrote."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html
from lxml.html import HtmlElement

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Skipped, visibly, where Debian's chromium is missing; CI installs it (.ci/run) and never skips.
needs_browser = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"), reason="chromium tidak terpasang (apt-get install chromium)"
)


def dom(page: Path) -> HtmlElement:
    """The DOM headless chromium builds from ``page`` (scripts would have run), parsed."""
    assert CHROMIUM, "chromium harus terpasang di CI (.ci/run memasangnya)"
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return lxml_html.fromstring(result.stdout)
