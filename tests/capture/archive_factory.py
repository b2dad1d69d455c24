"""Synthetic LinkedIn data archives in LinkedIn's exact file names and column layout, made up
from numbers (never real people): used by the tests and by tests/bench/capture_archive.py."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

OWN_URL = "https://www.linkedin.com/in/cleo-client-0a1b2c"
OWN_FIRST, OWN_LAST = "Cleo", "Client"

CONNECTIONS_HEADER = [
    "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
]  # fmt: skip
MESSAGES_HEADER = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO",
    "RECIPIENT PROFILE URLS", "DATE", "SUBJECT", "CONTENT", "FOLDER",
]  # fmt: skip
INVITATIONS_HEADER = [
    "From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl",
]  # fmt: skip
PROFILE_HEADER = [
    "First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
    "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers",
]  # fmt: skip
RECOMMENDATIONS_HEADER = [
    "First Name", "Last Name", "Company", "Job Title", "Text", "Creation Date", "Status",
]  # fmt: skip
NOTES = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    "missing. You will only see email addresses for connections who have allowed their "
    'connections to see or download their email address using this setting."\n\n'
)


def person_url(i: int) -> str:
    return f"https://www.linkedin.com/in/person-{i:06d}"


def person_name(i: int) -> tuple[str, str]:
    return f"Person{i}", f"Tester{i}"


def _csv(header: list[str], rows: list[list[str]], preamble: str = "") -> bytes:
    out = io.StringIO()
    out.write(preamble)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def linkedin_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def invitation_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%-m/%-d/%y, %-I:%M %p")


@dataclass
class Archive:
    """A made-up archive: `connections` people, `messages` messages in conversations of five
    (the client writes, the person answers every other one), `invitations` (a third received).
    Item n is dated `origin + n * spacing`, so a later archive (more items) has the same
    history and more."""

    connections: int = 10
    messages: int = 20
    invitations: int = 4
    strangers: int = 2  # people who message the client but are not connections
    recommendations: int = 1
    origin: datetime = datetime(2014, 4, 1, 12, 0, tzinfo=UTC)
    message_spacing: timedelta = timedelta(days=1, minutes=7)
    invitation_spacing: timedelta = timedelta(days=5)
    connection_spacing: timedelta = timedelta(days=3)
    with_profile: bool = True
    own_invitations: bool = True  # sent invitations name the client as inviter
    content: str = "Hello, shall we talk about the data team?"
    extra_files: dict[str, bytes] = field(default_factory=dict)

    def connections_csv(self) -> bytes:
        rows = []
        for i in range(self.connections):
            first, last = person_name(i)
            connected = self.origin - self.connection_spacing * (i + 1)
            rows.append([
                first, last, person_url(i), f"p{i}@example.test" if i % 3 else "",
                f"Company {i % 97}", "Engineer", connected.strftime("%d %b %Y"),
            ])  # fmt: skip
        return _csv(CONNECTIONS_HEADER, rows, NOTES)

    def message_rows(self) -> list[list[str]]:
        rows = []
        people = max(self.connections, 1)
        for n in range(self.messages):
            conversation, step = divmod(n, 5)
            if conversation < self.strangers:
                person = 900_000 + conversation  # not a connection
            else:
                person = conversation % people
            first, last = person_name(person)
            at = self.origin + self.message_spacing * n
            conv_id = f"2-{conversation:08d}=="
            if step % 2 == 0:  # the client writes
                sender = (f"{OWN_FIRST} {OWN_LAST}", OWN_URL)
                recipient = (f"{first} {last}", person_url(person))
                folder = "SENT" if step == 0 else "INBOX"
            else:
                sender = (f"{first} {last}", person_url(person))
                recipient = (f"{OWN_FIRST} {OWN_LAST}", OWN_URL)
                folder = "INBOX"
            rows.append([
                conv_id, "", sender[0], sender[1], recipient[0], recipient[1],
                linkedin_time(at), "", f"{self.content} ({n})", folder,
            ])  # fmt: skip
        return rows

    def invitation_rows(self) -> list[list[str]]:
        rows = []
        for k in range(self.invitations):
            person = 500_000 + k
            first, last = person_name(person)
            at = self.origin + self.invitation_spacing * k
            if k % 3 == 2:  # received
                rows.append([
                    f"{first} {last}", f"{OWN_FIRST} {OWN_LAST}", invitation_time(at),
                    "", "INCOMING", person_url(person), OWN_URL,
                ])  # fmt: skip
            else:
                inviter = OWN_URL if self.own_invitations else ""
                rows.append([
                    f"{OWN_FIRST} {OWN_LAST}", f"{first} {last}", invitation_time(at),
                    "Hi, I'd like to join your network.", "OUTGOING", inviter, person_url(person),
                ])  # fmt: skip
        return rows

    def files(self) -> dict[str, bytes]:
        files = {
            "Connections.csv": self.connections_csv(),
            "messages.csv": _csv(MESSAGES_HEADER, self.message_rows()),
            "Invitations.csv": _csv(INVITATIONS_HEADER, self.invitation_rows()),
        }
        if self.with_profile:
            files["Profile.csv"] = _csv(
                PROFILE_HEADER, [[OWN_FIRST, OWN_LAST, "", "", "", "Data engineer", "", "", "",
                                  "Berlin", "", "", ""]],
            )  # fmt: skip
        if self.recommendations:
            rows = []
            for r in range(self.recommendations):
                first, last = person_name(r)
                rows.append([first, last, f"Company {r % 97}", "Engineer", "Great colleague.",
                             "03/05/22, 09:12 AM", "VISIBLE"])  # fmt: skip
            files["Recommendations_Received.csv"] = _csv(RECOMMENDATIONS_HEADER, rows)
        files.update(self.extra_files)
        return files

    def zip(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files().items():
                archive.writestr(f"Basic_LinkedInDataExport_04-01-2024/{name}", data)
        return out.getvalue()
