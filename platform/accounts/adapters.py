from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from accounts.emails import branding, from_address, subject_line


class PracticeAccountAdapter(DefaultAccountAdapter):
    """Inside a practice nobody signs up on their own: people join through an invitation.

    allauth's emails (password reset, address confirmation, security notices) go out in the
    practice's name (`accounts.emails`): `current_site` is the practice, not the request's host,
    so no message says "Hello from demo.localhost:8000!"."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def format_email_subject(self, subject: str) -> str:
        return subject_line(subject)

    def get_from_email(self) -> str:
        return from_address()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, **branding()})
