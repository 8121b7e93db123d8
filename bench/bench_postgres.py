"""The register on PostgreSQL against SQLite, and two intake hosts against one (issue "Several
intake hosts, one book"). Run by ``bench.py`` when Debian's postgresql package is there, or
alone: ``.venv/bin/python bench/bench_postgres.py``.

1. Per memo, interleaved batches: the same workspace shape with the embedded SQLite register
   and with a PostgreSQL register (a local server started here, fsync on as in production).
2. Throughput: memos per second for one host filing 2N memos, and for two hosts filing N
   each into one PostgreSQL book at the same time (each its own ``pipeline run`` process).
"""

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

from build_register import quick_config  # noqa: E402
from memos import MemoFactory  # noqa: E402
from support.pg_server import PostgresServer, binaries  # noqa: E402

PIPELINE = [sys.executable, "-m", "pipeline"]


def _shared(config, url, archive=None, host=None):
    """Point ``config`` at the PostgreSQL register (and a shared archive, a host name)."""
    from pipeline import config as config_module

    text = config.path.read_text(encoding="utf-8").replace("  url:\n", f"  url: {url}\n", 1)
    if archive:
        text = text.replace("  archive: archive", f"  archive: {archive}", 1)
    if host:
        text = text.replace("  host: ", f"  host: {host} ", 1)
    config.path.write_text(text, encoding="utf-8")
    return config_module.load(config.path)


def per_memo(temp, server, report, repeats=5, size=50):
    from bench import Batches

    print(f"Register on PostgreSQL ({size} memos a batch, {repeats} interleaved repetitions, medians)")
    factory = MemoFactory(temp)
    lite = Batches(quick_config(temp / "sqlite"), factory, "LITE")
    pg = Batches(_shared(quick_config(temp / "pg"), server.database()), factory, "PG")
    lite(5), pg(5)
    times = {"sqlite": [], "pg": []}
    for _ in range(repeats):
        times["sqlite"].append(lite(size) / size)
        times["pg"].append(pg(size) / size)
    lite.close(), pg.close()
    sqlite, postgres = statistics.median(times["sqlite"]), statistics.median(times["pg"])
    report("per memo, SQLite register", sqlite * 1000, "ms")
    report("per memo, PostgreSQL register", postgres * 1000, "ms")
    report("ratio PostgreSQL / SQLite", postgres / sqlite, "x")


def _hosts(temp, server, count, memos):
    """``count`` hosts sharing one archive and one PostgreSQL book, ``memos`` waiting in each inbox."""
    url, archive = server.database(), temp / f"arsip-{count}"
    factory = MemoFactory(temp)
    hosts = []
    for index in range(count):
        config = _shared(quick_config(temp / f"host-{count}-{index}"), url, archive, f"host{index}")
        for n in range(memos):
            factory.write(config.inbox / f"nota-{n:05d}.docx", index * 100_000 + n, f"H{count}{index}")
        hosts.append(config)
    return hosts


def throughput(temp, server, report, memos=60):
    print(f"Two hosts against one ({2 * memos} memos in all, one pipeline run per host)")
    for count in (1, 2):
        hosts = _hosts(temp, server, count, 2 * memos // count)
        start = time.perf_counter()
        running = [
            subprocess.Popen([*PIPELINE, "--config", str(c.path), "run"], stdout=subprocess.DEVNULL) for c in hosts
        ]
        assert all(p.wait() == 0 for p in running)
        seconds = time.perf_counter() - start
        report(f"{count} host(s): memos per second", 2 * memos / seconds, "/s")


def main(report=None):
    report = report or (lambda name, value, unit, target="": print(f"  {name:<52} {value:>10.3f} {unit}"))
    if binaries() is None:
        print("PostgreSQL tidak terpasang (apt-get install postgresql): bagian ini dilewati.")
        return
    folder = tempfile.mkdtemp(prefix="spse-pg-bench-")
    os.chmod(folder, 0o755)
    server = PostgresServer(folder, durable=True).start()
    try:
        with tempfile.TemporaryDirectory() as temp:
            per_memo(Path(temp), server, report)
            throughput(Path(temp), server, report)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
