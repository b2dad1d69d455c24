"""`scripts/run` end to end: on an empty data folder it starts PostgreSQL, Redis, the web server,
a worker and beat, seeds the demo practice; a child that dies is started again while the rest
carry on; and Ctrl-C stops every process it started."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _descendants_of(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _child(launcher: int, name: str) -> psutil.Process | None:
    """The launcher's direct child whose command line names `name` (runserver, worker, beat)."""
    for child in psutil.Process(launcher).children():
        try:
            if name in child.cmdline():
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def _processes_using(folder: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        if str(folder) in " ".join(process.info["cmdline"] or []):
            found.append(process)
    return found


def test_run_starts_everything_and_ctrl_c_stops_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = _free_port()
    smtp_port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        WARMPATH_DATA_DIR=str(data),
        PORT=str(port),
        PUBLIC_PORT=str(port),
        INBOUND_SMTP_PORT=str(smtp_port),
        PYTHONPATH=f"{ROOT / 'platform'}:{ROOT}",
    )
    launcher = subprocess.Popen(
        [sys.executable, "-m", "embedded.launcher"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []

    def read() -> None:
        assert launcher.stdout is not None
        for line in launcher.stdout:
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while not any("Press Ctrl-C" in line for line in lines):
            assert time.monotonic() < deadline, "".join(lines)
            assert launcher.poll() is None, "".join(lines)
            time.sleep(0.2)
        text = "".join(lines)
        assert f"http://demo.localhost:{port}/" in text, text
        assert "coach@demo.warmpath.test" in text
        assert "client@demo.warmpath.test" in text

        status = 0
        while time.monotonic() < deadline:
            try:
                status, _ = _get(f"http://127.0.0.1:{port}/accounts/login/", "demo.localhost")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
        assert _get(f"http://127.0.0.1:{port}/", "nowhere.localhost")[0] == 404
        names = " ".join(" ".join(p.cmdline()) for p in _descendants_of(launcher.pid))
        for child in ("runserver", "worker", "beat", "inbound_smtp"):
            assert child in names
        # The inbound-mail SMTP server answers on its port with the rest of the stack.
        import smtplib

        deadline_smtp = time.monotonic() + 60
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
                    assert smtp.ehlo()[0] == 250
                    assert smtp.has_extn("size")
                break
            except OSError:
                assert time.monotonic() < deadline_smtp, "".join(lines)
                time.sleep(0.5)
        assert _processes_using(data / "postgres")
        assert (data / "redis" / "redis.sock").exists()

        # A child that dies is started again; the others carry on.
        worker = _child(launcher.pid, "worker")
        assert worker is not None
        worker.kill()
        while True:
            again = _child(launcher.pid, "worker")
            if again is not None and again.pid != worker.pid:
                break
            assert time.monotonic() < deadline, "".join(lines)
            assert launcher.poll() is None, "".join(lines)
            time.sleep(0.2)
        assert _get(f"http://127.0.0.1:{port}/accounts/login/", "demo.localhost")[0] == 200
        assert any("worker exited with" in line for line in lines)
    finally:
        launcher.send_signal(signal.SIGINT)
        launcher.wait(timeout=60)
        reader.join(timeout=10)
    out = "".join(lines)

    assert launcher.returncode == 0, out
    assert "Stopped web, worker, beat, smtp, Redis, PostgreSQL." in out
    time.sleep(1)
    assert _processes_using(data) == []
