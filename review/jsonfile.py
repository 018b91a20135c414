"""Reading an input JSON file with an error that names it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from review.model import InputError


def read_json(path: Path, missing_hint: str = "") -> Any:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(f"{path}: no such file{missing_hint}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not JSON ({error})") from None
