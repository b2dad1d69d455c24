"""`manage.py inbound_smtp`: the inbound-mail SMTP server, until SIGTERM or Ctrl-C."""

import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from coaching.capture.smtp import make_controller


class Command(BaseCommand):
    help = "Receive mail for the clients' inbound addresses (docs/operations.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.INBOUND_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.INBOUND_SMTP_PORT)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        controller = make_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Inbound SMTP on {host}:{port}", ending="\n")
        self.stdout.flush()
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        controller.stop()
