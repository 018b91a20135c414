"""Find values in a synthesized configuration that look like credentials.

Two signals: a literal under an attribute named like a secret (password, token,
connection_string, ...), and a value shaped like a known credential (storage account
key, SAS signature, Databricks token, private key, JWT, password in a URL or connection
string). Terraform interpolations (`${...}`) are references, not literals, and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_INTERPOLATION = re.compile(r"\$\{[^}]*\}")
SECRET_NAME = re.compile(
    r"(^|[._-])(password|passwd|pwd|secret|client_secret|token|access_token|auth_token|api_key|apikey"
    r"|access_key|account_key|primary_key|secondary_key|shared_key|shared_access_key|connection_string"
    r"|sas|sas_token|sas_url|private_key|string_value)$",
    re.IGNORECASE,
)
SECRET_SHAPES = {
    "storage account key": re.compile(r"^[A-Za-z0-9+/]{86}==$"),
    "key in a connection string": re.compile(
        r"(AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd)=[^;\s]{6,}", re.IGNORECASE
    ),
    "SAS token": re.compile(r"(^|[?&])sig=[A-Za-z0-9%+/=]{16,}"),
    "Databricks personal access token": re.compile(r"\bdapi[0-9a-f]{32}(-\d)?\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\."),
    "credentials in a URL": re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@"),
    "AWS access key id": re.compile(r"\bAKIA[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36}\b"),
}
# cdktf's own metadata ("//") describes constructs; it never holds configuration values.
SKIPPED_KEYS = {"//"}


def _shape(text: str) -> str | None:
    literal = _INTERPOLATION.sub("", text)
    return next((what for what, shape in SECRET_SHAPES.items() if shape.search(literal)), None)


def find_secrets(value: Any, path: str = "") -> Iterator[str]:
    """One line per secret-looking literal under `value`, naming where it sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in SKIPPED_KEYS:
                continue
            where = f"{path}.{key}" if path else str(key)
            if isinstance(item, str) and SECRET_NAME.search(str(key)) and _INTERPOLATION.sub("", item).strip():
                yield f"{where}: literal value under a secret-named attribute"
            else:
                yield from find_secrets(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from find_secrets(item, f"{path}[{index}]")
    elif isinstance(value, str):
        what = _shape(value)
        if what:
            yield f"{path}: looks like a {what}"
