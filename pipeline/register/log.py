"""The register's own log in the archive: every committed transaction, chained by hash.

Each transaction that changes the register is also written as one
read-only JSON file under ``archive/catatan-register/``: its number
(``urut``), time, schema version, the statements it ran with their
values, the hash of the transaction before it and its own hash. The file
is staged before COMMIT and renamed into place after, like every filing
(docs/architecture.md, "The register's log"). The register can therefore
be rebuilt from the archive (``pipeline rebuild-register``), and ``verify``
replays the log to find any row changed in the database directly, even
when whoever changed it recomputed the chain.
"""

import hashlib
import json
import os
import stat
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

FOLDER = "catatan-register"
GENESIS = "0" * 64
PER_FOLDER = 1000
READ_ONLY = stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH


def record_hash(record: dict[str, Any]) -> str:
    """The hash of a record's content (every key but ``hash``), canonically serialised."""
    body = {key: record[key] for key in ("urut", "waktu", "skema", "sebelumnya", "perubahan")}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "backslashreplace")).hexdigest()


def make_record(
    urut: int, waktu: str, skema: int, sebelumnya: str, perubahan: Iterable[tuple[str, Iterable[Any]]]
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "urut": urut,
        "waktu": waktu,
        "skema": skema,
        "sebelumnya": sebelumnya,
        "perubahan": [[sql, list(params)] for sql, params in perubahan],
    }
    record["hash"] = record_hash(record)
    return record


class RegisterLog:
    """The log folder of one archive."""

    def __init__(self, archive: Path | str, staging: Path | str | None = None) -> None:
        """``staging``: where records wait for their commit (this host's, where several share
        the archive); ``archive/.staging`` by default."""
        self.root = Path(archive) / FOLDER
        self.staging = Path(staging) if staging else Path(archive) / ".staging"

    def path(self, urut: int) -> Path:
        return self.root / f"{urut // PER_FOLDER:06d}" / f"{urut:09d}.json"

    def stage(self, record: dict[str, Any]) -> Path:
        """Write a record beside the log, fsynced, before its transaction commits."""
        self.staging.mkdir(parents=True, exist_ok=True)
        temp = self.staging / f"log-{record['urut']:09d}-{uuid.uuid4().hex[:8]}.json"
        try:
            with open(temp, "w", encoding="utf-8", errors="backslashreplace") as handle:
                json.dump(record, handle, ensure_ascii=False, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            temp.unlink(missing_ok=True)
            raise
        return temp

    def publish(self, temp: Path, urut: int) -> None:
        """Put a staged record in its place (after its transaction committed)."""
        final = self.path(urut)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(temp, READ_ONLY)
        os.replace(temp, final)

    def staged(self) -> list[tuple[Path, Any, Any]]:
        """Records a crash left staged: (path, urut, hash)."""
        found: list[tuple[Path, Any, Any]] = []
        for temp in sorted(self.staging.glob("log-*.json")) if self.staging.is_dir() else ():
            try:
                record = json.loads(temp.read_text(encoding="utf-8"))
                found.append((temp, record["urut"], record["hash"]))
            except (OSError, ValueError, KeyError, TypeError):
                found.append((temp, None, None))
        return found

    def last(self) -> int:
        """The number of the newest record in the log (0 when there is none), without reading all."""
        if not self.root.is_dir():
            return 0
        groups = sorted(p for p in self.root.iterdir() if p.is_dir() and p.name.isdigit())
        for group in reversed(groups):
            numbers = sorted(int(p.stem) for p in group.glob("*.json") if p.stem.isdigit())
            if numbers:
                return numbers[-1]
        return 0

    def records(self) -> Iterator[tuple[Path, dict[str, Any] | None]]:
        """Every record, in order; a damaged file yields (path, None)."""
        if not self.root.is_dir():
            return
        for group in sorted(p for p in self.root.iterdir() if p.is_dir()):
            for path in sorted(group.glob("*.json")):
                try:
                    yield path, json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    yield path, None

    def files(self) -> list[Path]:
        """Every file in the log folder (for verify: nothing else may be there)."""
        return sorted(p for p in self.root.rglob("*") if p.is_file()) if self.root.is_dir() else []
