"""Where the embedded services keep their data: one project-local, git-ignored folder."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """`WARMPATH_DATA_DIR`, or `.warmpath/` in the project; survives restarts."""
    configured = os.environ.get("WARMPATH_DATA_DIR")
    path = Path(configured) if configured else PROJECT_ROOT / ".warmpath"
    path.mkdir(parents=True, exist_ok=True)
    return path
