"""Pinned versions of the Python packages serverless tasks install, read from
Pipfile.lock so the cloud runs exactly what was tested locally."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCK_FILE = Path(__file__).resolve().parents[1] / "Pipfile.lock"


@cache
def _locked() -> dict[str, str]:
    lock = json.loads(LOCK_FILE.read_text())
    return {name: spec["version"] for name, spec in lock["default"].items() if "version" in spec}


def pinned(*packages: str) -> list[str]:
    """``name==version`` for each package, as locked; KeyError names a missing one."""
    locked = _locked()
    missing = [p for p in packages if p not in locked]
    if missing:
        raise KeyError(f"{LOCK_FILE}: not locked: {', '.join(missing)}")
    return [f"{p}{locked[p]}" for p in packages]
