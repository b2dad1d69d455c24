"""Where export files live: private storage under MEDIA_ROOT, one folder per practice.

Nothing serves this folder: `MEDIA_URL` is not routed, and the storage has no base URL, so a file
can only leave through the download view, which checks the person and the signed link.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

EXPORTS = "exports"


def private_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "private"


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=private_root(), base_url=None)


def export_file_name(*, schema_name: str, export_id: int) -> str:
    """The export's path inside private storage (the practice's folder, then the export)."""
    return f"{EXPORTS}/{schema_name}/export-{export_id}.zip"


def practice_files_remove(*, schema_name: str) -> None:
    """Every export file of a practice (its schema is being dropped)."""
    shutil.rmtree(private_root() / EXPORTS / schema_name, ignore_errors=True)
