"""Email backends for the tests: one that always fails (transiently or for good), and, for the
real worker, a file backend whose behaviour a recipient's address steers:

- `flaky-<n>@…`: the first n attempts fail with a dropped SMTP connection, then it sends;
- `slow@…`: the first attempt records the worker's pid in `slow.pid` and sleeps (the test kills
  that process mid-send); later attempts send at once;
- anything else: written to a file, like Django's file backend.

Attempts are counted in files next to the mail, so they survive a killed worker process.
"""

import os
import smtplib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend


class AlwaysDisconnected(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class AlwaysRejected(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"No such user")})


def _count(folder: Path, name: str) -> int:
    counter = folder / f"{name}.attempts"
    n = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(n))
    return n


class SteeredFileBackend(FileBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, file_path=settings.EMAIL_FILE_PATH, **kwargs)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        folder = Path(settings.EMAIL_FILE_PATH)
        for message in email_messages:
            to = message.to[0]
            local = to.split("@")[0]
            if local.startswith("flaky-") and _count(folder, to) <= int(local.split("-")[1]):
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            if local == "slow" and _count(folder, to) == 1:
                (folder / "slow.pid").write_text(str(os.getpid()))
                time.sleep(60)
        return super().send_messages(email_messages)
