"""A real PostgreSQL server for the tests, from Debian's ``postgresql`` package: initdb in a
temporary folder, a free port on 127.0.0.1, stopped at the end. Where the binaries are
missing the tests that need it are skipped with the reason (``.ci/run`` installs them)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import uuid
from pathlib import Path


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """One cluster; ``database()`` makes a fresh empty database and returns its URL."""

    def __init__(self, folder: str | Path, durable: bool = False) -> None:
        """``durable``: fsync as in production (the benchmark); the tests go without."""
        self.durable = durable
        found = binaries()
        if found is None:
            raise RuntimeError("PostgreSQL tidak terpasang (apt-get install postgresql)")
        self.bin = found
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as the package's account
            account = pwd.getpwnam("postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            self.folder.mkdir(parents=True, exist_ok=True)
            os.chown(self.folder, account.pw_uid, account.pw_gid)

    def _run(self, *command):
        return subprocess.run([*self.as_user, *command], check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> PostgresServer:
        """initdb, then the server started on its port; returns itself."""
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=50"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        """Stopped at once (immediate mode): the cluster is thrown away."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def url(self, name: str = "postgres") -> str:
        """The URL of database ``name`` on this server."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def database(self) -> str:
        """The URL of a new empty database."""
        import psycopg

        name = "uji_" + uuid.uuid4().hex[:10]
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)
