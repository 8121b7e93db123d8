"""The repository explains itself: every place the code cites in docs/ exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CITATION = re.compile(r'(docs/[a-z_]+\.md)(?:,\s+"([^"]+)")?')


def citations():
    for folder in ("pipeline", "tools", "bench", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name == "test_docs.py":
                continue
            for match in CITATION.finditer(path.read_text(encoding="utf-8")):
                section = " ".join(match.group(2).split()) if match.group(2) else None
                yield path.relative_to(ROOT), match.group(1), section


def headings(doc):
    return [
        line.lstrip("#").strip()
        for line in (ROOT / doc).read_text(encoding="utf-8").splitlines()
        if line.startswith("#")
    ]


def test_the_code_cites_documents_and_sections_that_exist():
    found = list(citations())
    assert found, "no citations found: the pattern is wrong"
    missing = []
    for source, doc, section in found:
        if not (ROOT / doc).is_file():
            missing.append(f"{source}: {doc}")
        elif section and not any(h.startswith(section) for h in headings(doc)):
            missing.append(f"{source}: {doc}, \u201c{section}\u201d")
    assert not missing, "\n".join(missing)


def test_the_readme_links_documents_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\((docs/[^)#]+)", readme)
    assert links
    assert [link for link in links if not (ROOT / link).is_file()] == []
