"""What an update depends on, as digests: equal digests mean the update has nothing to do."""

from __future__ import annotations

import hashlib
from pathlib import Path


def files(*roots: Path) -> list[Path]:
    """Every file under ``roots`` (a root may be a file itself), in a stable order."""
    found = [root for root in roots if root.is_file()]
    found += [p for root in roots if root.is_dir() for p in root.rglob("*") if p.is_file()]
    return sorted(p for p in found if "__pycache__" not in p.parts)


def listing_digest(*roots: Path) -> str:
    """Names, sizes and modification times: a new, grown or rewritten file changes it."""
    digest = hashlib.sha256()
    for path in files(*roots):
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def content_digest(*roots: Path) -> str:
    digest = hashlib.sha256()
    for path in files(*roots):
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
