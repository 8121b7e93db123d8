"""Derive pipeline/data/klasifikasi_kemendagri.csv (Lampiran A of Permendagri 83/2022) from the
regulation's PDF: ``python tools/make_klasifikasi.py REGULATION.pdf [OUT.csv]``.

The text comes from ``pdftotext -layout``. Each entry opens with its code at the start of a line;
the lines that follow without a code continue its description (wrapped titles are joined, page
numbers between them skipped). A description reads "Title Antara lain: examples"; the title is
kept apart from the examples. docs/configuration.md tells how the file was made and checked.
"""

import csv
import re
import subprocess
import sys
from pathlib import Path

START = re.compile(r"^A\.\s+KODE KLASIFIKASI ARSIP")
END = re.compile(r"^B\.\s+KODE KLASIFIKASI ARSIP")
ENTRY = re.compile(r"^\s*(\d{3}(?:\.\d+)*)\s+(\S.*)$")
PAGE = re.compile(r"^\s*(-?\d+-?)\s*$")
EXAMPLES = re.compile(r"\s*(?:\(\s*)?(?:(?:meliputi\s+)?[Aa]ntara lain\b|meliputi\s*:|yaitu\s*:)\s*:?\s*")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "klasifikasi_kemendagri.csv"


def lampiran_a(text):
    """The lines of Lampiran A: after its heading (the second line of which is skipped) up to B."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if START.match(line))
    end = next(i for i, line in enumerate(lines) if i > start and END.match(line))
    return lines[start + 2 : end]


def entries(lines):
    """(code, description) of each entry, its wrapped lines joined with single spaces."""
    found = []
    for line in lines:
        match = ENTRY.match(line)
        if match:
            found.append([match.group(1), match.group(2)])
        elif line.strip() and not PAGE.match(line) and found:
            found[-1][1] += " " + line.strip()
    return [(code, " ".join(text.split())) for code, text in found]


def split_title(description):
    """(title, examples): the regulation's "Antara lain:" introduces examples of what the code holds."""
    parts = EXAMPLES.split(description, maxsplit=1)
    title = parts[0].strip().rstrip(":,").strip()
    examples = parts[1].strip() if len(parts) > 1 else ""
    if examples.endswith(")") and examples.count(")") > examples.count("("):
        examples = examples[:-1].strip()  # "(antara lain: ...)" closes after the examples
    return title, examples


def rows(text):
    """The data file's rows: kode, judul, tingkat (number of parts of the code), induk, antara_lain."""
    seen, out = set(), []
    for code, description in entries(lampiran_a(text)):
        if code in seen:
            raise SystemExit(f"duplicate code {code} in Lampiran A: check the text by hand")
        seen.add(code)
        title, examples = split_title(description)
        parent = code.rsplit(".", 1)[0] if "." in code else ""
        out.append(
            {"kode": code, "judul": title, "tingkat": code.count(".") + 1, "induk": parent, "antara_lain": examples}
        )
    return out


def main(argv):
    """Read the PDF named on the command line and write the CSV."""
    pdf = Path(argv[1])
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    data = rows(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["kode", "judul", "tingkat", "induk", "antara_lain"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(data)
    print(f"{len(data)} codes written to {out}")


if __name__ == "__main__":
    main(sys.argv)
