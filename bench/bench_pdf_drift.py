"""How one warm LibreOffice ages (``pdf.restart_after``): a Lembar Disposisi converted over and over
by one office, and every ``--every`` conversions the same document converted alternately by that
office and by a fresh one (started, three conversions to load Writer), so a busy moment of the
machine falls on both. Prints the median of each and their ratio, and the office's memory.

    .venv/bin/python bench/bench_pdf_drift.py [--conversions 1000] [--every 100]
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))

from memos import MemoFactory  # noqa: E402

from pipeline import workspace  # noqa: E402
from pipeline.config import load  # noqa: E402
from pipeline.documents import pdf  # noqa: E402
from pipeline.documents.warm import WarmOffice  # noqa: E402
from pipeline.engine import open_workspace  # noqa: E402

PROBE = 15  # conversions by each office at each checkpoint


def lembar_disposisi(temp):
    """The Lembar Disposisi (.docx) of one memo, as the pipeline renders it."""
    root = temp / "ws"
    workspace.init(root)
    path = root / "config.yaml"
    text = path.read_text(encoding="utf-8").replace("stable_seconds: 2 ", "stable_seconds: 0 ")
    path.write_text(text, encoding="utf-8")
    MemoFactory(temp).write(root / "inbox" / "nota.docx", 1, "DRIFT")
    config = load(path)
    with open_workspace(config) as ws:
        ws.process_inbox()
    return next(config.outbox.glob("*/*lembar-disposisi*.docx"))


class Office:
    def __init__(self, source):
        self.source = source
        self.profile = Path(tempfile.mkdtemp(prefix="bench-drift-"))
        self.office = WarmOffice(shutil.which("soffice"), pdf.SYSTEM_PYTHON, 10**9, pdf.FILTER_NAME, pdf.FILTER_OPTIONS)

    def convert(self):
        start = time.perf_counter()
        problem = self.office.convert(self.source, self.profile / "x.pdf", 120, self.profile, ())
        assert problem is None, problem
        return time.perf_counter() - start

    def megabytes(self):
        """Resident memory of the office's LibreOffice (soffice.bin)."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.office.process.pid and "soffice.bin" in (stat.parent / "cmdline").read_text():
                    total += int((stat.parent / "statm").read_text().split()[1]) * 4096
            except (OSError, ValueError, IndexError):
                continue
        return total / 2**20

    def close(self):
        self.office.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversions", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        source = lembar_disposisi(Path(temp))
        old, done = Office(source), 0
        print("conversions  old office ms  fresh office ms  ratio  old office MB")
        try:
            while done < args.conversions:
                for _ in range(args.every):
                    old.convert()
                fresh = Office(source)
                start = time.perf_counter()
                fresh.convert()
                restart = time.perf_counter() - start
                for _ in range(2):
                    fresh.convert()
                pairs = [(old.convert(), fresh.convert()) for _ in range(PROBE)]
                fresh.close()
                done += args.every + PROBE
                aged, new = (statistics.median(side) for side in zip(*pairs))
                print(
                    f"{done:11d}  {aged * 1000:13.1f}  {new * 1000:15.1f}  {aged / new:5.2f}  {old.megabytes():13.0f}"
                )
            print(f"a start and its first conversion (the last fresh office): {restart:.2f} s")
        finally:
            old.close()


if __name__ == "__main__":
    main()
