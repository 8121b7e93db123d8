"""Build a workspace whose register holds N incoming memos, through the engine's register API.

The entries are what filing a memo writes (``memo._record``: the agenda
entry, the case and its opening steps, the event, the journal entry) plus its
verification code, allocated and committed through ``ws.register`` in
transactions of 1,000, so the register's log and hash chain are those of a
real book. No files are rendered (100,000 Lembar Disposisi would take 12 GB):
what this workspace measures is the register at that size. Most cases are
closed, 1 in 50 still waits for a disposition, as in an office's year
(``--open-every 1``: every case open, for the cost of open cases).

    .venv/bin/python bench/build_register.py DIR [--entries 100000]
"""

import argparse
import hashlib
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pipeline import config as config_module
from pipeline import workspace
from pipeline.documents.codes import new_code
from pipeline.engine import open_workspace
from pipeline.models import Memo
from pipeline.register import Code
from pipeline.sop import memo as memo_module
from pipeline.sop.procedure import DONE
from pipeline.states import StepStatus

BATCH = 1000


def quick_config(root):
    """A workspace with no stability delay and no PDFs (LibreOffice is measured on its own)."""
    if not (root / "config.yaml").exists():
        workspace.init(root)
    path = root / "config.yaml"
    text = path.read_text(encoding="utf-8").replace("stable_seconds: 2 ", "stable_seconds: 0 ")
    text = text.replace("  enabled: true          # buat juga PDF", "  enabled: false         # buat juga PDF")
    path.write_text(text, encoding="utf-8")
    return config_module.load(path)


def _folder(year, n, digest):
    rel = f"archive/{year}/surat-masuk/{n:04d}_permohonan-spse-{n}"
    files = {"asli_nota.docx": "nota.docx", "lembar-disposisi.docx": "lembar-disposisi.docx"}
    return SimpleNamespace(
        rel=rel,
        berkas=files,
        digests={name: digest for name in files},
        outbox={"lembar-disposisi.docx": None},
        path=lambda name: f"{rel}/{name}",
    )


def _entry(ws, n, now, open_every):
    year = now.year
    number = ws.register.allocate_number("masuk", year)
    memo = Memo(
        nomor=f"{n:06d}/ULP-BUKU/XI/{year}",
        tanggal=now.date(),
        hal=f"Permohonan SPSE {n}",
        dari=f"Ketua Unit Layanan Pengadaan Satuan Kerja {n % 400}",
        kepada="Kapusdatinkomtel",
        unit=f"Satuan Kerja {n % 400}",
    )
    digest = hashlib.sha256(memo.nomor.encode()).hexdigest()
    inbound = SimpleNamespace(name="nota.docx", sha256=digest, size=36_000)
    folder = _folder(year, number, digest)
    memo_module._record(ws.config, ws.register, ws.procedure, f"klaim-{n}", [inbound], memo, number, folder, now)
    kasus = f"{year}-{number:04d}"
    head = ws.register.chain_head()[1]
    ws.register.add_code(
        Code(
            new_code(head, kasus, "lembar_disposisi"),
            kasus,
            "lembar_disposisi",
            folder.rel,
            "lembar-disposisi.docx",
            digest,
            now.isoformat(timespec="seconds"),
            head,
        )
    )
    if n % open_every:  # a finished case: the step it stood at done, as every step of a real one is
        for key, step in ws.register.steps(kasus).items():
            if step.status == StepStatus.RUNNING:
                ws.register.complete_step(kasus, key, now.isoformat(timespec="seconds"), "bench")
        ws.register.set_case_status(kasus, DONE)


def build(root, entries, open_every=50):
    """``entries`` memos, one case in ``open_every`` left open (waiting for its disposition)."""
    config = quick_config(root)
    start = time.perf_counter()
    with open_workspace(config) as ws:
        done = ws.register.peek_number("masuk", ws.now().year) - 1
        while done < entries:
            now = ws.now()
            with ws.register.transaction():
                for n in range(done + 1, min(entries, done + BATCH) + 1):
                    _entry(ws, n, now, open_every)
            done = min(entries, done + BATCH)
            print(f"\r{done} entri ({time.perf_counter() - start:.0f} s)", end="", file=sys.stderr)
    print(file=sys.stderr)
    return config


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--open-every", type=int, default=50, help="one case in N stays open (1: all)")
    args = parser.parse_args()
    build(args.directory, args.entries, args.open_every)


if __name__ == "__main__":
    main()
