from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from accounts.models import User


class SignupForm(forms.Form):
    name = forms.CharField(label="Practice name", max_length=120)
    slug = forms.CharField(
        label="Web address",
        max_length=40,
        help_text="Your practice's own address: lowercase letters, digits and hyphens.",
    )
    owner_name = forms.CharField(label="Your name", max_length=150)
    owner_email = forms.EmailField(label="Your email")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    password = forms.CharField(label="Choose a password", widget=forms.PasswordInput, strip=False)


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email")
    name = forms.CharField(label="Name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=[("client", "Client"), ("coach", "Coach")])
    coach: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label="Coach (for a client)", queryset=User.objects.none(), required=False, empty_label="Me"
    )

    def __init__(self, *args: Any, coaches: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches  # type: ignore[attr-defined]
