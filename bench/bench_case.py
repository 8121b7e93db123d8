"""Benchmark: a large registration through verification and the step 5-8 documents.

For each size, a child process builds a workspace with a memo whose
dispositions and authentication are already recorded, drops one registration
CSV (people and packages in the ratio 2:1) and times ``pipeline run`` doing
steps 5-9: reading the CSV, every rule on every record, and the Daftar PPK,
Daftar Verifikasi, Daftar Otentifikasi, Draft Laporan Kesiapan and Konsep
Nota Dinas. Peak memory is the child's maximum resident set size.

    .venv/bin/python bench/bench_case.py            # 100 and 3,000 rows
    .venv/bin/python bench/bench_case.py --rows 500 # one size
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from build_register import quick_config  # noqa: E402
from support.builders import MEMO_NOMOR, action, registration_csv, tab_memo  # noqa: E402

from pipeline import config as config_module  # noqa: E402
from pipeline.engine import open_workspace  # noqa: E402


def nip(index, gender="1"):
    """A valid, unique NIP: birth dates spread over 1970-1989, TMT at 25, serials 001-999."""
    year, day = 1970 + index % 20, 1 + index % 28
    month = 1 + (index // 20) % 12
    return f"{year}{month:02d}{day:02d}{year + 25}{month:02d}{gender}{1 + index // 240 % 999:03d}"


def data(rows):
    people, packages = rows * 2 // 3, rows - rows * 2 // 3
    ppk_count = max(1, people // 10)
    panitia_count = people - ppk_count
    panitia_count -= 1 - panitia_count % 2  # odd
    ppk = [
        {
            "nama": f"PPK Nomor {i}",
            "nip": nip(i),
            "jabatan": "Kepala Bagian",
            "email": f"ppk{i}@kemendagri.go.id",
            "telepon": "0812-1111-2222",
            "no_sk": f"800/{i}/SK/2026",
        }
        for i in range(ppk_count)
    ]
    panitia = [
        {
            "nama": f"Anggota Nomor {i}",
            "nip": nip(10_000 + i, "2"),
            "peran": "ketua" if i == 0 else "anggota",
            "no_sertifikat": f"L4.{i:04d}",
            "email": f"anggota{i}@kemendagri.go.id",
        }
        for i in range(panitia_count)
    ]
    paket = [
        {
            "nama": f"Paket Pengadaan {i}",
            "pagu": f"Rp{(i + 1) * 1_000_000:,}".replace(",", ".") + ",00",
            "sumber_dana": "APBN",
            "metode": "pelelangan umum" if i % 2 else "pengadaan langsung",
            "ppk_nip": ppk[i % ppk_count]["nip"],
        }
        for i in range(packages)
    ]
    return {"jenis": "registrasi", "rujukan": MEMO_NOMOR, "ppk": ppk, "panitia": panitia, "paket": paket}


def wide_open(config, rows):
    """The registration limit raised to ``rows``: what is measured is whether the pipeline's own stages
    stay linear, beyond the size a workspace accepts by default (limits.max_registration_rows)."""
    text = config.path.read_text(encoding="utf-8")
    text = text.replace("max_registration_rows: 2000 ", f"max_registration_rows: {max(rows, 2000)} ")
    config.path.write_text(text, encoding="utf-8")
    return config_module.load(config.path)


def one(rows):
    with tempfile.TemporaryDirectory() as temp:
        config = quick_config(Path(temp) / "ws")  # PDFs off: LibreOffice is not what is measured
        config = wide_open(config, rows)
        tab_memo(config.inbox / "nota.docx")
        for langkah in ("disposisi_kapus", "disposisi_kabid"):
            action(config.inbox / f"{langkah}.yaml", langkah)
        with open_workspace(config) as ws:
            ws.process_inbox()
            payload = data(rows)
            registration_csv(config.inbox / "registrasi.csv", payload)
            # written after the data, so it judges this data (an earlier one would be void)
            action(config.inbox / "otentikasi.yaml", "otentikasi")
            start = time.perf_counter()
            ws.process_inbox()
            seconds = time.perf_counter() - start
            [case] = ws.status()
        assert case.langkah_sekarang == 9, f"case stopped at step {case.langkah_sekarang}"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    people = len(payload["ppk"]) + len(payload["panitia"])
    print(
        json.dumps(
            {
                "rows": rows,
                "people": people,
                "paket": len(payload["paket"]),
                "seconds": round(seconds, 3),
                "peak_mb": round(peak_mb, 1),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, help="run one size in this process")
    args = parser.parse_args()
    if args.rows:
        one(args.rows)
        return
    print(f"{'rows':>6} {'people':>7} {'paket':>6} {'seconds':>8} {'ms/row':>7} {'peak MB':>8}")
    for rows in (100, 3000):
        out = subprocess.run(
            [sys.executable, __file__, "--rows", str(rows)], check=True, capture_output=True, text=True
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{result['rows']:>6} {result['people']:>7} {result['paket']:>6} {result['seconds']:>8.2f} "
            f"{result['seconds'] / rows * 1000:>7.2f} {result['peak_mb']:>8.1f}"
        )
    print("target for 3,000 rows (2,000 people, 1,000 paket): under 10 s and 300 MB on one core")


if __name__ == "__main__":
    main()
