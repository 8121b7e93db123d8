"""Many distinct incoming memos, fast: one memo built like the tests' and copied with a new Nomor and Hal.

The copies differ only in ``word/document.xml``; the other parts are compressed
once (the way ``pipeline.render`` writes documents), so a 100,000-memo run spends
its time in the pipeline, not here.
"""

import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.builders import HEADER, tab_memo

NOMOR, HAL = "@@NOMOR@@", "@@HAL@@"


class MemoFactory:
    def __init__(self, folder):
        source = Path(folder) / "memo-template.docx"
        tab_memo(source, {**HEADER, "Nomor": NOMOR, "Hal": HAL})
        out = io.BytesIO()
        with zipfile.ZipFile(source) as memo, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as base:
            for name in memo.namelist():
                if name == "word/document.xml":
                    self.xml = memo.read(name).decode("utf-8")
                else:
                    base.writestr(name, memo.read(name))
        self.base = out.getvalue()
        source.unlink()

    def bytes(self, n, prefix="BENCH"):
        """Memo number ``n``: Nomor ``n/ULP-<prefix>/XI/2026``, Hal ``Permohonan SPSE n``."""
        xml = self.xml.replace(NOMOR, f"{n:06d}/ULP-{prefix}/XI/2026").replace(HAL, f"Permohonan SPSE {n}")
        out = io.BytesIO(self.base)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as memo:
            memo.writestr("word/document.xml", xml)
        return out.getvalue()

    def write(self, path, n, prefix="BENCH"):
        Path(path).write_bytes(self.bytes(n, prefix))
