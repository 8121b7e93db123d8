"""``make bench``: the speed figures of docs/architecture.md, "Speed", in one run.

Every figure is a median of interleaved repetitions (the things compared run
one after the other within each repetition, so a busy moment of the machine
falls on both). The targets are printed beside the figures; nothing here
fails a build (DESIGN.md section 11; the tests never time anything).

1. Per memo: ``Workspace.process_inbox`` over a batch of memos (claim, read,
   validate, number, render the Lembar Disposisi with its QR code, file,
   register, fsyncs; PDFs off: LibreOffice is its own figure) against a bare
   docxtpl load, render and save of the same template with the same context.
2. The same batch into a register of 100,000 entries against an empty one.
3. ``status --json`` (unfinished cases), ``status --json --all``,
   ``register --json`` and ``journal --json`` at 100,000 entries: time and
   peak memory of the process.
4. ``watch``: from a settled file renamed into the inbox of an idle service
   (half a second after the one before) to its Lembar Disposisi in the
   outbox; CPU used while idle and while a file is still being written.
5. ``pipeline --help``.
6. A case of 300, 3,000 and 20,000 registration rows (``bench_case.py``).
7. The register on PostgreSQL against SQLite per memo, and two intake hosts
   against one (``bench_postgres.py``; skipped without Debian's postgresql).
8. The header of a .docx Nota Dinas per letter (open, limits, read, validate)
   over the layout corpus of ``tests/support/layouts.py``, and the share of that
   corpus read exactly as a person reads it.
9. One scanned A4 page at 200 dpi read by OCR, and with its searchable PDF;
   the header of a memo PDF read from its text layer
   (``bench_scan.py``; skipped without Tesseract).
10. Per memo with PDF: ``pipeline run`` over 20 memos with a warm LibreOffice and with
   ``pdf.warm: false``, against a bare ``soffice --convert-to pdf`` per document
   (``bench_pdf.py``; skipped without LibreOffice).

    .venv/bin/python bench/bench.py [--quick]

The 100,000-entry register is built once by ``build_register.py`` into
``bench/out/`` (about a minute and 630 MB) and copied for each run.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))

from build_register import build, quick_config  # noqa: E402
from memos import MemoFactory  # noqa: E402

from pipeline.documents import codes  # noqa: E402
from pipeline.documents.contexts import disposition_context  # noqa: E402
from pipeline.engine import open_workspace  # noqa: E402
from pipeline.models import Memo  # noqa: E402
from pipeline.sop.handlers.memo import CHAIN  # noqa: E402

PIPELINE = [sys.executable, "-m", "pipeline"]
ROWS = []


def report(name, value, unit, target=""):
    ROWS.append((name, value, unit, target))
    print(f"  {name:<52} {value:>10.3f} {unit:<8} {target}", flush=True)


# -- 1 and 2: per memo -----------------------------------------------------------------------------


class Batches:
    """A workspace open for the whole run; each call files ``size`` new memos and returns the seconds."""

    def __init__(self, config, factory, prefix):
        self.config, self.factory, self.prefix, self.next = config, factory, prefix, 1
        self._open = open_workspace(config)
        self.ws = self._open.__enter__()

    def __call__(self, size):
        for n in range(self.next, self.next + size):
            self.factory.write(self.config.inbox / f"nota-{n:06d}.docx", n, self.prefix)
        self.next += size
        start = time.perf_counter()
        outcomes = self.ws.process_inbox()
        seconds = time.perf_counter() - start
        assert [o.hasil for o in outcomes] == ["diterima"] * size, outcomes[:3]
        return seconds

    def close(self):
        self._open.__exit__(None, None, None)


def bare_docxtpl(config, count, folder):
    """docxtpl alone: load, render and save the Lembar Disposisi ``count`` times, as docxtpl's README does."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from pipeline.documents.render import images
    from pipeline.formats import FILTERS

    now = dt.datetime.now(config.timezone)
    memo = Memo(
        nomor="000001/ULP-BARE/XI/2026",
        tanggal=now.date(),
        dari="Ketua ULP Satuan Kerja 1",
        hal="Permohonan SPSE 1",
        kepada="Kapusdatinkomtel",
        sifat="Segera",
    )
    context = disposition_context(config, memo.__dict__, "0001/SM/2026", "2026-0001", now.date(), now, CHAIN)
    context = codes.attach(context, codes.context(config, "7KQ2M-XH4PD"))
    template = config.template("lembar_disposisi")
    start = time.perf_counter()
    for n in range(count):
        document = DocxTemplate(str(template))
        env = Environment(autoescape=True)
        env.filters.update(FILTERS)
        document.render(images(context, document), jinja_env=env, autoescape=True)
        document.save(str(folder / f"bare-{n}.docx"))
    return time.perf_counter() - start


def interleaved(temp, factory, other, prefix, repeats, size):
    """Medians per memo (seconds) of batches into an empty workspace ("empty"), into the workspace
    ``other`` ("full") and of bare docxtpl ("bare"), interleaved; and the ``other`` Batches, still
    open (its closing rewrites the books: timed by the caller where it matters)."""
    empty = Batches(quick_config(temp / "kosong"), factory, "KOSONG")
    full = Batches(quick_config(other), factory, prefix)
    bare_folder = temp / "bare"
    bare_folder.mkdir()
    empty(5), full(5)  # templates compiled, caches warm, as in a running service
    times = {"empty": [], "full": [], "bare": []}
    for _ in range(repeats):
        times["empty"].append(empty(size) / size)
        times["full"].append(full(size) / size)
        times["bare"].append(bare_docxtpl(empty.config, size, bare_folder) / size)
    empty.close()
    return {key: statistics.median(values) for key, values in times.items()}, full


def per_memo(temp, big, repeats, size):
    print(f"Per memo ({size} memos a batch, {repeats} interleaved repetitions, medians)")
    median, full = interleaved(temp, MemoFactory(temp), big, "PENUH", repeats, size)
    start = time.perf_counter()
    full.close()  # the archive's books are rewritten once, on leaving
    books_seconds = time.perf_counter() - start
    report("pipeline, per memo, empty register", median["empty"] * 1000, "ms")
    report("bare docxtpl render and save, per document", median["bare"] * 1000, "ms")
    report("ratio pipeline / bare docxtpl", median["empty"] / median["bare"], "x", "target <= 0.35")
    report("pipeline, per memo, register of 100,000", median["full"] * 1000, "ms")
    report("ratio 100,000 entries / empty register", median["full"] / median["empty"], "x", "target <= 1.2")
    report("books rewritten in the archive at 100,000", books_seconds, "s", "once per change, not per memo")


# -- 3: listings at 100,000 ------------------------------------------------------------------------


def measured(command, config_path):
    """Wall seconds and peak resident MB of one ``pipeline`` process, its output thrown away.

    The peak comes from GNU time (Debian's ``time``): a child forked from this process would
    start its high-water mark at this process's own size.
    """
    with tempfile.NamedTemporaryFile("r") as peak, open(os.devnull, "wb") as sink:
        start = time.perf_counter()
        subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", peak.name, *PIPELINE, "--config", str(config_path), *command],
            stdout=sink,
            check=True,
        )
        seconds = time.perf_counter() - start
        return seconds, int(peak.read().strip().splitlines()[-1]) / 1024


def listings(big, repeats):
    print(f"Listings at 100,000 entries ({repeats} interleaved repetitions, medians)")
    commands = [["status", "--json"], ["status", "--json", "--all"], ["register", "--json"], ["journal", "--json"]]
    found = {tuple(c): [] for c in commands}
    for _ in range(repeats):
        for command in commands:
            found[tuple(command)].append(measured(command, big / "config.yaml"))
    starts = []
    for _ in range(repeats):  # the first start after the memos above advances their cases once
        starts.append(measured(["run"], big / "config.yaml"))
    report(
        "run with an empty inbox (start-up, open cases swept): time",
        statistics.median(v[0] for v in starts),
        "s",
        f"first {starts[0][0]:.2f} s",
    )
    report("run with an empty inbox: peak memory", statistics.median(v[1] for v in starts), "MB")
    for command, values in found.items():
        name = " ".join(command)
        report(f"{name}: time", statistics.median(v[0] for v in values), "s", "target < 2 s")
        report(f"{name}: peak memory", statistics.median(v[1] for v in values), "MB", "target < 150 MB")


# -- 4: watch --------------------------------------------------------------------------------------


def _cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def watch(temp, repeats):
    print(f"watch ({repeats} settled files, medians)")
    config = quick_config(temp / "pantau")
    text = config.path.read_text(encoding="utf-8").replace("stable_seconds: 0 ", "stable_seconds: 2 ")
    config.path.write_text(text, encoding="utf-8")
    factory = MemoFactory(temp)
    process = subprocess.Popen(
        [*PIPELINE, "--config", str(config.path), "watch"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        while "Memantau" not in process.stdout.readline():
            pass
        latencies = []
        for n in range(0, repeats + 1):  # the first file compiles the templates: not counted
            staged = temp / f"siap-{n}.docx"
            factory.write(staged, n, "PANTAU")
            hour_ago = time.time() - 3600
            os.utime(staged, (hour_ago, hour_ago))
            time.sleep(0.5)  # files arrive apart: the service has finished the one before
            start = time.perf_counter()
            os.rename(staged, config.inbox / staged.name)
            done = _until(lambda n=n: len(list(config.outbox.glob("*/*lembar-disposisi*.docx"))) == n + 1)
            if n:
                latencies.append(done - start)
        report("settled file to its Lembar Disposisi", statistics.median(latencies), "s", "target < 0.2 s")
        report("CPU while idle, per second", _cpu_rate(process.pid, lambda: time.sleep(3)), "s/s")
        report(
            "CPU while a file is written for 3 s, per second",
            _cpu_rate(process.pid, lambda: _slow_write(config.inbox / "lambat.docx", factory)),
            "s/s",
        )
    finally:
        process.terminate()
        process.wait(timeout=30)


def _until(condition, limit=30.0):
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if condition():
            return time.perf_counter()
        time.sleep(0.002)
    raise TimeoutError("watch did not file the memo")


def _cpu_rate(pid, action):
    cpu, start = _cpu_seconds(pid), time.perf_counter()
    action()
    return (_cpu_seconds(pid) - cpu) / (time.perf_counter() - start)


def _slow_write(path, factory):
    data = factory.bytes(99_999, "LAMBAT")
    step = len(data) // 30 + 1
    with open(path, "wb") as out:
        for offset in range(0, len(data), step):
            out.write(data[offset : offset + step])
            out.flush()
            time.sleep(0.1)


# -- 5 and 6 ---------------------------------------------------------------------------------------


def help_time(repeats):
    print(f"pipeline --help ({repeats} repetitions, median)")
    entry = Path(sys.executable).with_name("pipeline")
    command = [str(entry)] if entry.exists() else PIPELINE
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([*command, "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    report("pipeline --help", statistics.median(times), "s", "target < 0.15 s")


def case_sizes(sizes):
    print("A case's registration through steps 5-9 (one run each, in its own process)")
    per_row = []
    for rows in sizes:
        with tempfile.NamedTemporaryFile("r") as peak:
            out = subprocess.run(
                [
                    "/usr/bin/time",
                    "-f",
                    "%M",
                    "-o",
                    peak.name,
                    sys.executable,
                    str(BENCH / "bench_case.py"),
                    "--rows",
                    str(rows),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            peak_mb = int(peak.read().strip().splitlines()[-1]) / 1024
        result = json.loads(out.strip().splitlines()[-1])
        report(f"{rows:,} rows: time", result["seconds"], "s")
        report(f"{rows:,} rows: per row", result["seconds"] / rows * 1000, "ms", "flat = linear")
        report(f"{rows:,} rows: peak memory of the process", peak_mb, "MB")
        per_row.append(result["seconds"] / rows)
    report("per row, largest / smallest", per_row[-1] / per_row[0], "x", "linear: about 1")


# -- 8: reading the header of a letter ---------------------------------------------------------------


def headers(repeats):
    """Median time to read and validate one .docx header, and the share of layout classes read exactly right."""
    from support.layouts import LAYOUTS

    from pipeline import config, workspace
    from pipeline.readers import read
    from pipeline.readers.validate import validate_memo

    print(f"Nota Dinas header from .docx over {len(LAYOUTS)} layout classes ({repeats} repetitions, median)")
    right, times = 0, []
    with tempfile.TemporaryDirectory() as temp:
        workspace.init(Path(temp) / "ws")
        limits = config.load(Path(temp) / "ws" / "config.yaml").limits
        paths = {name: build(Path(temp) / f"{name}.docx") for name, (build, _) in LAYOUTS.items()}
        for _ in range(repeats):
            start = time.perf_counter()
            memos = {name: Memo.from_fields(validate_memo(read(path, limits).fields)) for name, path in paths.items()}
            times.append((time.perf_counter() - start) / len(paths))
    for name, (_, expected) in LAYOUTS.items():
        read_as = {**memos[name].__dict__, "tanggal": memos[name].tanggal.isoformat()}
        right += all(read_as[key] == value for key, value in expected.items())
    report("docx header per letter", statistics.median(times) * 1000, "ms", "target < 20 ms")
    report("share of the layout corpus read exactly right", right / len(LAYOUTS) * 100, "%", "target 100 %")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, cases up to 3,000 rows")
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    cached = BENCH / "out" / f"register-{args.entries}"
    if not (cached / "archive" / "register.sqlite3").exists():
        print(f"Building a register of {args.entries:,} entries in {cached} (once)")
        shutil.rmtree(cached, ignore_errors=True)
        build(cached, args.entries)
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        big = temp / "besar"
        shutil.copytree(cached, big)
        quick_config(big)
        per_memo(temp, big, repeats, 100)
        listings(big, repeats)
        watch(temp, repeats)
    help_time(7)
    headers(repeats)
    case_sizes((300, 3000) if args.quick else (300, 3000, 20000))
    import bench_postgres

    bench_postgres.main(report)
    import bench_scan

    bench_scan.main(report, repeats)
    import bench_pdf

    bench_pdf.main(report, repeats)


if __name__ == "__main__":
    main()
