"""A throwaway PostgreSQL server on loopback for the benchmarks, as .ci/run starts one.

    with Postgres(max_connections=200) as database_url:
        ...

Durable commits (fsync and synchronous_commit on, PostgreSQL's defaults), as in production:
every acknowledged check-in is on disk. The server and its folder are gone afterwards.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args):
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


class Postgres:
    """A throwaway PostgreSQL server on 127.0.0.1; entering gives its DATABASE_URL."""

    def __init__(self, *, max_connections: int = 100, options: str = ""):
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
        if not bins:
            sys.exit("PostgreSQL is not installed; run `bash .ci/system-deps`.")
        self.bin = bins[-1]
        self.dir = Path(tempfile.mkdtemp(prefix="irc-bench-pg."))
        self.port = free_port()
        self.options = f"-c max_connections={max_connections} {options}".strip()
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")

    def ctl(self, *args, check=True):
        subprocess.run(
            as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.dir / "data"), *args]),
            check=check,
            stdout=subprocess.DEVNULL,
        )

    def __enter__(self):
        subprocess.run(
            as_postgres(
                [str(self.bin / "initdb"), "-D", str(self.dir / "data")]
                + ["-U", "postgres", "-A", "trust", "--no-sync"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} {self.options}"
        self.ctl("-l", str(self.dir / "log"), "-w", "-o", options, "start")
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc):
        self.ctl("-m", "fast", "stop", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)
