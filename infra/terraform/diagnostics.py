"""`terraform validate -json` diagnostics, mapped back to the construct that made them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

CONTEXT = re.compile(r"^(?:resource|data)\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)")
JSON_KEY = re.compile(r'^\s*"([^"]+)"\s*:')


@dataclass(frozen=True)
class Diagnostic:
    env: str
    severity: str
    address: str
    attribute: str
    message: str
    construct: str

    def line(self) -> str:
        where = f"{self.address}.{self.attribute}" if self.attribute else self.address or "(configuration)"
        made_by = f" [construct {self.construct}]" if self.construct else ""
        return f"{self.env}: {self.severity}: {where}: {self.message}{made_by}"


def construct_paths(doc: dict) -> dict[str, str]:
    """``type.name`` -> the construct path cdktf recorded in the resource's metadata."""
    paths = {}
    for section, prefix in (("resource", ""), ("data", "data.")):
        for type_, instances in doc.get(section, {}).items():
            for name, body in instances.items():
                path = body.get("//", {}).get("metadata", {}).get("path")
                if path:
                    paths[f"{prefix}{type_}.{name}"] = path
    return paths


def _address(diagnostic: dict) -> str:
    if diagnostic.get("address"):
        return diagnostic["address"]
    match = CONTEXT.match(diagnostic.get("snippet", {}).get("context") or "")
    if not match:
        return ""
    prefix = "data." if diagnostic["snippet"]["context"].startswith("data.") else ""
    return f"{prefix}{match.group(1)}.{match.group(2)}"


def _attribute(diagnostic: dict) -> str:
    match = JSON_KEY.match(diagnostic.get("snippet", {}).get("code") or "")
    return match.group(1) if match else ""


def parse(env: str, validate_json: str, doc: dict) -> list[Diagnostic]:
    paths = construct_paths(doc)
    found = []
    for diagnostic in json.loads(validate_json).get("diagnostics", []):
        address = _address(diagnostic)
        message = " ".join(filter(None, (diagnostic.get("summary"), diagnostic.get("detail")))).strip()
        found.append(
            Diagnostic(env, diagnostic["severity"], address, _attribute(diagnostic), message, paths.get(address, ""))
        )
    return found
