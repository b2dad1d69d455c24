"""The embedded PostgreSQL used when no `DATABASE_URL` is configured.

pgserver ships the PostgreSQL binaries inside its wheel. Every process that connects registers
itself with the server; the last one to exit stops it, so `scripts/run` and the test suite leave
nothing running behind them.
"""

import functools
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from embedded.paths import data_dir

DATABASE_NAME = "warmpath"

# pgserver keeps its inter-process lock under the runtime dir, read when pgserver is imported;
# pin it to our data folder so every process of the project agrees on it.
os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir() / "run"))
(data_dir() / "run").mkdir(mode=0o700, exist_ok=True)


@dataclass(frozen=True, slots=True)
class EmbeddedPostgres:
    socket_dir: str
    user: str
    database: str


@functools.cache
def ensure_running() -> EmbeddedPostgres:
    """Start (or join) the embedded server and make sure the application database exists."""
    import pgserver
    import psycopg

    server = pgserver.get_server(_pgdata(), cleanup_mode="stop")
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as c:
        exists = c.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    # Keep a reference so the handle (and its exit hook) lives as long as the process.
    _handles.append(server)
    return EmbeddedPostgres(socket_dir=socket_dir, user="postgres", database=DATABASE_NAME)


_handles: list[object] = []


def _pgdata() -> Path:
    return data_dir() / "postgres"


def is_running() -> bool:
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(_pgdata())
    return info is not None and info.is_running()


def stop() -> None:
    """Stop the server now, whoever else holds a handle (the launcher and test runs use this for
    the server they started; a killed process can leave a stale handle behind)."""
    if not is_running():
        return
    from pgserver import pg_ctl  # type: ignore[attr-defined]

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=_pgdata(), user=user)
    except subprocess.CalledProcessError:
        if is_running():  # pg_ctl also fails when another process stopped it just before
            raise
    (_pgdata() / ".handle_pids.json").unlink(missing_ok=True)
