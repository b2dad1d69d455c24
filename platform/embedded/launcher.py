"""`scripts/run`: start the whole product on one machine and stop it all on Ctrl-C.

Starts the embedded PostgreSQL and Redis unless DATABASE_URL / REDIS_URL point elsewhere,
migrates, keeps spare practice schemas ready, seeds the demo practice, then runs the web server,
a Celery worker and Celery beat as child processes. A child that exits is started again, with a
growing pause, while the others carry on (`embedded.supervisor`). Ctrl-C (or SIGTERM) stops the
children, then the servers it started.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from embedded import postgres
from embedded import redis as embedded_redis
from embedded.paths import PROJECT_ROOT, data_dir
from embedded.supervisor import Supervisor

PYTHON = sys.executable
MANAGE = [PYTHON, str(PROJECT_ROOT / "manage.py")]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    env["PYTHONPATH"] = os.pathsep.join(
        [str(PROJECT_ROOT / "platform"), str(PROJECT_ROOT), env.get("PYTHONPATH", "")]
    )
    return env


def _manage(*args: str) -> None:
    subprocess.run([*MANAGE, *args], check=True, env=_env(), cwd=PROJECT_ROOT)


def _children(port: str, host: str = "127.0.0.1") -> dict[str, list[str]]:
    celery = [PYTHON, "-m", "celery", "-A", "config"]
    return {
        # This machine only, unless HOST says otherwise: a development server is not for others.
        "web": [*MANAGE, "runserver", f"{host}:{port}"],
        "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2"],
        "beat": [*celery, "beat", "--loglevel=INFO"],
        # Inbound mail for the clients' addresses (docs/operations.md, "Inbound mail").
        "smtp": [*MANAGE, "inbound_smtp"],
    }


def main() -> int:
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    uses_embedded_redis = not os.environ.get("REDIS_URL")
    if uses_embedded_redis:
        embedded_redis.acquire()
        print(f"Redis (embedded): {embedded_redis.url()}")
    started_postgres = False
    if not os.environ.get("DATABASE_URL"):
        started_postgres = not postgres.is_running()
        server = postgres.ensure_running()  # held for our lifetime; stops after the last user
        print(f"PostgreSQL (embedded): socket in {server.socket_dir}")

    _manage("migrate_schemas", "-v", "0")
    _manage("provision_spares")
    _manage("collectstatic", "--noinput", "-v", "0")
    _manage("seed_demo")

    supervisor = Supervisor(
        commands=_children(port, host),
        start_process=lambda command: subprocess.Popen(command, env=_env(), cwd=PROJECT_ROOT),
        say=lambda line: print(line, flush=True),
    )
    supervisor.start()

    mail = data_dir() / "mail"
    print(
        "\nWarmpath is running: a DEVELOPMENT start (runserver, embedded servers, demo accounts),\n"
        f"listening on {host} only. Not for production: see docs/operations.md.\n"
        f"  Public site and signup:   http://localhost:{port}/\n"
        f"  Demo practice:            http://demo.localhost:{port}/\n"
        "  Demo coach:               coach@demo.warmpath.test / demo-coach-password\n"
        "  Demo client:              client@demo.warmpath.test / demo-client-password\n"
        f"  Emails (invitations, resets) are written to {mail}/\n"
        f"  Inbound mail (clients' log+… addresses): SMTP on "
        f"{os.environ.get('INBOUND_SMTP_HOST', '127.0.0.1')}:"
        f"{os.environ.get('INBOUND_SMTP_PORT', '8025')}\n"
        "Press Ctrl-C to stop everything.\n",
        flush=True,
    )

    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        supervisor.check()
        time.sleep(0.5)

    supervisor.stop()
    stopped = ["web", "worker", "beat", "smtp"]
    if uses_embedded_redis:
        embedded_redis.release()
        if not embedded_redis.is_running():
            stopped.append("Redis")
    if started_postgres:
        postgres.stop()
        stopped.append("PostgreSQL")
    print("Stopped " + ", ".join(stopped) + ".")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
