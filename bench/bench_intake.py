"""Benchmark: the whole pipeline per memo against a bare docxtpl render.

Times ``pipeline run`` (a real subprocess, as staff run it) over N memo
.docx files: read, validate, number, render, file, register. Then times a
bare docxtpl render-and-save of the same Lembar Disposisi template N times.
Prints both per document and their ratio (target: ratio within 2x).

    .venv/bin/python bench/bench_intake.py [--count 200]
"""

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from builders import HEADER, tab_memo  # noqa: E402

from pipeline import config as config_module, workspace  # noqa: E402
from pipeline.models import Memo  # noqa: E402
from pipeline.documents import disposition_context  # noqa: E402


def prepare(root, count):
    workspace.init(root)
    path = root / "config.yaml"
    path.write_text(path.read_text().replace("stable_seconds: 2 ", "stable_seconds: 0 "))
    config = config_module.load(path)
    for n in range(1, count + 1):
        tab_memo(config.inbox / f"nota-{n:04d}.docx",
                 {**HEADER, "Nomor": f"{n:03d}/ULP-BENCH/XI/2026", "Hal": f"Permohonan SPSE {n}"})
    return config


def time_pipeline(config):
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "--config", str(config.path), "run"],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def time_bare_render(config, count, out_dir):
    memo = Memo(nomor="001/ULP-BENCH/XI/2026", tanggal=dt.date(2026, 10, 7), dari=HEADER["Dari"],
                hal="Permohonan SPSE", sifat="Segera")
    now = dt.datetime.now(config.timezone)
    context = disposition_context(config, memo.__dict__, "0001/SM/2026", "2026-0001", now.date(), now)
    template = config.template("lembar_disposisi")
    start = time.perf_counter()
    for n in range(count):
        document = DocxTemplate(str(template))
        document.render(context, jinja_env=_bare_env())
        document.save(str(Path(out_dir) / f"bare-{n}.docx"))
    return time.perf_counter() - start


def _bare_env():
    """docxtpl's plain Jinja environment plus the filters the template uses."""
    from jinja2 import Environment

    from pipeline.formats import FILTERS
    env = Environment()
    env.filters.update(FILTERS)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        config = prepare(Path(temp) / "ws", args.count)
        pipeline_seconds = time_pipeline(config)
        filed = len(list(config.archive.glob("*/surat-masuk/*")))
        assert filed == args.count, f"only {filed} of {args.count} memos filed"
        out = Path(temp) / "bare"
        out.mkdir()
        bare_seconds = time_bare_render(config, args.count, out)
        shutil.rmtree(out)
    per_pipeline = pipeline_seconds / args.count * 1000
    per_bare = bare_seconds / args.count * 1000
    print(f"memos                     : {args.count}")
    print(f"pipeline run, per memo    : {per_pipeline:7.1f} ms  (total {pipeline_seconds:.2f} s)")
    print(f"bare docxtpl, per document: {per_bare:7.1f} ms  (total {bare_seconds:.2f} s)")
    print(f"ratio                     : {per_pipeline / per_bare:7.2f}x  (target <= 2.00x)")


if __name__ == "__main__":
    main()
