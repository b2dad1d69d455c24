"""A PostgreSQL server of the scale benchmark's own (never the shared embedded one): pgserver's
PostgreSQL 16 binaries, a data directory under /tmp/bench-pg, a Unix socket there, and the CPU
time its processes used, read from /proc.

CPU: a backend's time is in /proc/<pid>/stat while it runs and is added to the postmaster's
"children" times (cutime, cstime) once it exits, so postmaster (utime + stime + cutime + cstime)
plus every live child's (utime + stime) is everything the server burned.
"""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pgserver

BIN = Path(pgserver.__file__).parent / "pginstall" / "bin"
TICKS = os.sysconf("SC_CLK_TCK")


def _user() -> str | None:
    return "pgserver" if os.geteuid() == 0 else None


def _stat_times(pid: int) -> tuple[float, float]:
    """(own, children) CPU seconds of `pid`."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the command: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    return (int(fields[11]) + int(fields[12])) / TICKS, (int(fields[13]) + int(fields[14])) / TICKS


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            kids.append(int(entry.name))
    return kids


@dataclass
class BenchServer:
    root: Path
    port: int = 55433
    database: str = "test_warmpath_scale"

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        socket = str(self.root).replace("/", "%2F")
        return f"postgres://postgres@{socket}:{self.port}/{self.database}"

    def tool(self, name: str) -> str:
        return str(BIN / name)

    def conn_args(self, database: str | None = None) -> list[str]:
        return ["-h", str(self.root), "-p", str(self.port), "-U", "postgres", "-d",
                database or self.database]  # fmt: skip

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        if _user():
            shutil.chown(self.root, _user(), _user())
        subprocess.run(
            [self.tool("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
             "--no-sync", "-E", "UTF8"],
            check=True, user=_user(), stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self, **settings: object) -> None:
        options = f"-k {self.root} -p {self.port} -c listen_addresses='' -c fsync=off"
        for key, value in settings.items():
            options += f" -c {key}={value}"
        subprocess.run(
            [self.tool("pg_ctl"), "-D", str(self.data), "-w", "-l", str(self.root / "log"),
             "-o", options, "start"],
            check=True, user=_user(), stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.settings = settings

    def stop(self) -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        subprocess.run(
            [self.tool("pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop"],
            check=False, user=_user(), stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def restart(self, **settings: object) -> None:
        self.stop()
        time.sleep(0.5)
        self.start(**settings)

    def create_database(self, name: str | None = None) -> None:
        name = name or self.database
        exists = self.psql(
            "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{name}'", capture=True
        )
        if not exists.strip():
            self.psql("postgres", f'CREATE DATABASE "{name}"')

    def drop_database(self, name: str) -> None:
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{name}"')

    def psql(self, database: str, sql: str, *, capture: bool = False) -> str:
        result = subprocess.run(
            [self.tool("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
             *self.conn_args(database), "-c", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout if capture else ""

    def postmaster_pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def cpu_seconds(self) -> float:
        """CPU seconds the server's processes used so far (see the module's docstring)."""
        pid = self.postmaster_pid()
        own, children = _stat_times(pid)
        total = own + children
        for kid in _children(pid):
            try:
                total += _stat_times(kid)[0]
            except OSError:  # exited meanwhile: now in the postmaster's children times
                continue
        return total
