"""Per memo with PDF (issue "PDF at the speed of a warm converter"): ``pipeline run`` over 20 memos
with the default config (a warm LibreOffice), the same with ``pdf.warm: false`` (one LibreOffice per
document, as before), each against a bare ``soffice --headless --convert-to pdf`` of the same Lembar
Disposisi, one process per document. Run by ``bench.py``, or alone: ``.venv/bin/python bench/bench_pdf.py``.
"""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))
sys.path.insert(0, str(BENCH))

from memos import MemoFactory  # noqa: E402

from pipeline import workspace  # noqa: E402

MEMOS, BARE = 20, 5
PIPELINE = [sys.executable, "-m", "pipeline"]


def run_seconds(root, factory, warm):
    """Seconds per memo of one ``pipeline run`` (its own process) over MEMOS new memos."""
    workspace.init(root)
    path = root / "config.yaml"
    text = path.read_text(encoding="utf-8").replace("stable_seconds: 2 ", "stable_seconds: 0 ")
    if not warm:
        text = text.replace("  warm: true ", "  warm: false")
    path.write_text(text, encoding="utf-8")
    for n in range(MEMOS):
        factory.write(root / "inbox" / f"nota-{n:03d}.docx", n + 1, "PDF")
    start = time.perf_counter()
    subprocess.run([*PIPELINE, "--config", str(path), "run"], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    assert len(list((root / "outbox").glob("*/*.pdf"))) == MEMOS, "not every memo has its PDF"
    return seconds / MEMOS


def bare_seconds(document, folder):
    """Seconds per document of a bare soffice, one process (and profile) per document."""
    start = time.perf_counter()
    for _ in range(BARE):
        profile = Path(tempfile.mkdtemp(prefix="bench-soffice-"))
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                str(document),
            ],
            check=True,
            capture_output=True,
        )
        shutil.rmtree(profile, ignore_errors=True)
    return (time.perf_counter() - start) / BARE


def main(report=None, repeats=3):
    report = report or (lambda name, value, unit, target="": print(f"  {name:<52} {value:>10.3f} {unit}  {target}"))
    if not shutil.which("soffice"):
        print("LibreOffice belum terpasang. Bagian ini dilewati.")
        return
    print(f"Per memo with PDF ({MEMOS} memos a run, {repeats} interleaved repetitions, medians)")
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        factory = MemoFactory(temp)
        times = {"warm": [], "cold": [], "bare": []}
        for round_ in range(repeats):
            times["warm"].append(run_seconds(temp / f"hangat-{round_}", factory, True))
            times["cold"].append(run_seconds(temp / f"dingin-{round_}", factory, False))
            document = next((temp / f"hangat-{round_}" / "outbox").glob("*/*.docx"))
            times["bare"].append(bare_seconds(document, temp / "bare"))
    median = {key: statistics.median(values) for key, values in times.items()}
    report("pipeline run with PDF, per memo, warm LibreOffice", median["warm"], "s")
    report("the same, pdf.warm: false (one soffice per document)", median["cold"], "s")
    report("bare soffice --convert-to pdf, per document", median["bare"], "s")
    report("ratio warm pipeline / bare soffice", median["warm"] / median["bare"], "x", "target <= 0.2")
    report("ratio pdf.warm: false / bare soffice", median["cold"] / median["bare"], "x")


if __name__ == "__main__":
    main(repeats=int(sys.argv[1]) if len(sys.argv) > 1 else 3)
