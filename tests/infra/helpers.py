"""Reading the deployment files the way the tools that use them would, without those tools."""

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
REQUIREMENTS = ROOT / "requirements"


def pins(lock: Path) -> dict[str, str]:
    """name -> version of every package a lock file pins."""
    found = re.findall(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==(\S+)", lock.read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in found}


def requirement_blocks(lock: Path) -> list[str]:
    """Each `name==version \\ --hash=...` entry of a lock file, as one string."""
    text = lock.read_text()
    return [block for block in re.split(r"\n(?=[A-Za-z0-9])", text) if "==" in block]


def yaml_documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def dockerfile_stages(path: Path) -> list[tuple[str, list[str]]]:
    """[(FROM line, [instructions of that stage])], continuation lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.upper().startswith("FROM "):
            stages.append((stripped, []))
        elif stages:
            stages[-1][1].append(stripped)
    return stages
