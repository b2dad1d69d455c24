"""Forms of the capture pages (frontend/views/capture.py)."""

from __future__ import annotations

from django import forms

from coaching.choices import ImportKind
from frontend.forms import Form


class CaptureUploadForm(Form):
    kind = forms.ChoiceField(
        label="What the file is",
        choices=[
            (ImportKind.LINKEDIN_ARCHIVE.value, "LinkedIn data archive (.zip)"),
            (ImportKind.CALENDAR.value, "Calendar file (.ics)"),
        ],
        widget=forms.RadioSelect,
        initial=ImportKind.LINKEDIN_ARCHIVE.value,
    )
    file = forms.FileField(label="File")


class ContentSettingForm(Form):
    store_message_content = forms.BooleanField(
        label="Keep the text of captured messages",
        required=False,
        help_text="Off: Warmpath reads messages only to see who and when, and never stores "
        "what they say.",
    )
