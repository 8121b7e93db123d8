"""The table of the issue "PDF at the speed of a warm converter", in one run (``make bench-speed``).

Interleaved repetitions, medians; nothing here fails a build (the tests never time anything).

1. ``pipeline run`` over 20 memos with the default config (docx and PDF, a warm LibreOffice), per
   memo, against a bare ``soffice --headless --convert-to pdf`` of the same Lembar Disposisi, one
   process per document (target <= 0.2).
2. ``watch``: a settled memo renamed into the inbox of an idle service (default config, PDF on)
   to its printable Lembar Disposisi (PDF) in ``outbox/`` (target <= 0.5 s).
3. Per memo with ``pdf.enabled: false`` (``Workspace.process_inbox`` over batches of 100) against a
   bare docxtpl load, render and save of the same template, 100 in one process (target <= 0.35).
4. 100 memos into a workspace with 10,000 open cases against an empty one (target <= 1.2): in
   one process (``process_inbox``) and as ``pipeline run`` (start-up, the pass, books, site).
5. ``status --json --all`` at 100,000 entries: time and peak memory (target < 2 s, 150 MB).
6. A drop of 2,000 memos with PDF on, in one ``process_inbox``: memos per minute, and how many
   times the warm LibreOffice was restarted (``pdf.restart_after``, crashes, hangs).

    .venv/bin/python bench/bench_speed.py [--quick] [--drop 2000]

Registers are built once into ``bench/out/`` (``build_register.py``) and copied for each run.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "tests"))

import bench_pdf  # noqa: E402
from build_register import build, quick_config  # noqa: E402
from memos import MemoFactory  # noqa: E402

import bench  # noqa: E402
from pipeline import config as config_module  # noqa: E402
from pipeline import workspace  # noqa: E402
from pipeline.engine import open_workspace  # noqa: E402

report = bench.report


def cached_register(name, entries, open_every):
    cached = BENCH / "out" / name
    if not (cached / "archive" / "register.sqlite3").exists():
        print(f"Building {cached} ({entries:,} entries, one in {open_every} open; once)")
        shutil.rmtree(cached, ignore_errors=True)
        build(cached, entries, open_every)
    return cached


def with_pdf(root, stable_seconds):
    """A workspace with the default config (PDF on, warm LibreOffice), but a shorter stability delay."""
    workspace.init(root)
    path = root / "config.yaml"
    text = path.read_text(encoding="utf-8").replace("stable_seconds: 2 ", f"stable_seconds: {stable_seconds} ")
    path.write_text(text, encoding="utf-8")
    return config_module.load(path)


# -- 1 ----------------------------------------------------------------------------------------------


def pdf_run(temp, factory, repeats):
    print(f"1. pipeline run with PDF, {bench_pdf.MEMOS} memos ({repeats} interleaved repetitions, medians)")
    runs, bares = [], []
    for round_ in range(repeats):
        runs.append(bench_pdf.run_seconds(temp / f"pdf-{round_}", factory, True))
        document = next((temp / f"pdf-{round_}" / "outbox").glob("*/*.docx"))
        bares.append(bench_pdf.bare_seconds(document, temp / "bare-pdf"))
    run, bare = statistics.median(runs), statistics.median(bares)
    report("pipeline run with PDF, per memo", run, "s")
    report("bare soffice --convert-to pdf, per document", bare, "s")
    report("ratio pipeline run / bare soffice", run / bare, "x", "target <= 0.2")


# -- 2 ----------------------------------------------------------------------------------------------


def watch_pdf(temp, factory, repeats):
    print(f"2. watch with PDF ({repeats} settled files, median)")
    config = with_pdf(temp / "pantau-pdf", 2)
    process = subprocess.Popen(
        [*bench.PIPELINE, "--config", str(config.path), "watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        while "Memantau" not in process.stdout.readline():
            pass
        latencies = []
        for n in range(repeats + 1):  # the first file compiles the templates and starts LibreOffice
            staged = temp / f"pdf-siap-{n}.docx"
            factory.write(staged, n + 1, "PANTAUPDF")
            hour_ago = time.time() - 3600
            os.utime(staged, (hour_ago, hour_ago))
            time.sleep(1.0)  # files arrive apart: the service has finished the one before
            start = time.perf_counter()
            os.rename(staged, config.inbox / staged.name)
            done = bench._until(lambda n=n: len(list(config.outbox.glob("*/*lembar-disposisi*.pdf"))) == n + 1, 60)
            if n:
                latencies.append(done - start)
        report(
            "settled memo to its Lembar Disposisi PDF in outbox/", statistics.median(latencies), "s", "target <= 0.5 s"
        )
    finally:
        process.terminate()
        process.wait(timeout=60)


# -- 3 and 4 ----------------------------------------------------------------------------------------


def per_memo(temp, factory, open_cases, repeats, size=100):
    print(f"3-4. Per memo without PDF ({size} memos a batch, {repeats} interleaved repetitions, medians)")
    median, full = bench.interleaved(temp, factory, open_cases, "TERBUKA", repeats, size)
    full.close()
    report("3. per memo, pdf.enabled: false", median["empty"] * 1000, "ms")
    report("   bare docxtpl render and save, per document", median["bare"] * 1000, "ms")
    report("   ratio per memo / bare docxtpl", median["empty"] / median["bare"], "x", "target <= 0.35")
    report("4. per memo, 10,000 open cases (one process)", median["full"] * 1000, "ms")
    report("   ratio 10,000 open cases / empty", median["full"] / median["empty"], "x", "target <= 1.2")


def run_process(config, factory, prefix, first, size):
    for n in range(first, first + size):
        factory.write(config.inbox / f"nota-{n:06d}.docx", n, prefix)
    start = time.perf_counter()
    subprocess.run([*bench.PIPELINE, "--config", str(config.path), "run"], check=True, capture_output=True)
    return time.perf_counter() - start


def run_open_cases(temp, factory, open_cases, repeats, size=100):
    print(f"4. pipeline run, {size} memos ({repeats} interleaved repetitions, medians)")
    empty, full = quick_config(temp / "kosong-run"), quick_config(open_cases)
    first = 1_000_000
    run_process(empty, factory, "KOSONGRUN", first, 5)  # the first start sweeps every open case once
    run_process(full, factory, "TERBUKARUN", first, 5)
    times = {"empty": [], "full": []}
    for round_ in range(repeats):
        start = first + 10 + round_ * size
        times["empty"].append(run_process(empty, factory, "KOSONGRUN", start, size) / size)
        times["full"].append(run_process(full, factory, "TERBUKARUN", start, size) / size)
    median = {key: statistics.median(values) for key, values in times.items()}
    report("   pipeline run per memo, empty workspace", median["empty"] * 1000, "ms")
    report("   pipeline run per memo, 10,000 open cases", median["full"] * 1000, "ms")
    report("   ratio 10,000 open cases / empty (pipeline run)", median["full"] / median["empty"], "x", "target <= 1.2")


# -- 5 ----------------------------------------------------------------------------------------------


def store_lines(root):
    """The finished cases' stored lines, as a running service leaves them (register/shown.py)."""
    from pipeline.sop import views

    start, stored = time.perf_counter(), 0
    with open_workspace(config_module.load(root / "config.yaml")) as ws:
        while n := views.store_finished(config=ws.config, register=ws.register, procedure=ws.procedure, clock=ws.clock):
            stored += n
    return stored, time.perf_counter() - start


def status_all(big, repeats):
    print(f"5. status --json --all at 100,000 entries ({repeats} repetitions, medians)")
    stored, seconds = store_lines(big)
    report("finished cases' lines stored (once, by the writer)", stored, "", f"{seconds:.0f} s")
    found = [bench.measured(["status", "--json", "--all"], big / "config.yaml") for _ in range(repeats)]
    report("status --json --all: time", statistics.median(v[0] for v in found), "s", "target < 2 s")
    report("status --json --all: peak memory", statistics.median(v[1] for v in found), "MB", "target < 150 MB")


# -- 6 ----------------------------------------------------------------------------------------------


def drop(temp, factory, count):
    print(f"6. A drop of {count:,} memos with PDF on (one pipeline process)")
    config = with_pdf(temp / "drop", 0)
    for n in range(1, count + 1):
        factory.write(config.inbox / f"nota-{n:06d}.docx", n, "AWALTAHUN")
    start = time.perf_counter()
    with open_workspace(config) as ws:
        outcomes = ws.process_inbox()
        office = ws.converter.office
        starts = office.starts if office is not None else 0
    seconds = time.perf_counter() - start
    assert sum(o.hasil == "diterima" for o in outcomes) == count, "not every memo was taken"
    pdfs = len(list(config.outbox.glob("*/*lembar-disposisi*.pdf")))
    report("memos per minute", count / seconds * 60, "/min", f"{seconds / 60:.1f} min in all")
    report("Lembar Disposisi PDFs in outbox/", pdfs, "", f"of {count}")
    report("LibreOffice restarts", max(0, starts - 1), "", f"restart_after {config.pdf_restart_after}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="three repetitions, a drop of 300")
    parser.add_argument("--drop", type=int, help="memos in the drop (default 2,000; 300 with --quick)")
    parser.add_argument("--only", help="comma-separated sections to run, e.g. 1,3")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    only = set((args.only or "1,2,3,4,5,6").split(","))
    with tempfile.TemporaryDirectory() as temp:
        temp = Path(temp)
        factory = MemoFactory(temp)
        if "1" in only:
            pdf_run(temp, factory, repeats)
        if "2" in only:
            watch_pdf(temp, factory, repeats)
        if only & {"3", "4"}:
            open_cases = temp / "terbuka"
            shutil.copytree(cached_register("open-10000", 10_000, 1), open_cases)
            per_memo(temp, factory, open_cases, repeats)
            run_open_cases(temp, factory, open_cases, repeats)
        if "5" in only:
            big = temp / "besar"
            shutil.copytree(cached_register("register-100000", 100_000, 50), big)
            status_all(big, repeats)
        if "6" in only:
            drop(temp, factory, args.drop or (300 if args.quick else 2000))


if __name__ == "__main__":
    main()
