"""Small readers over a synthesized cdk.tf.json document."""

from __future__ import annotations

import re

LEADING_REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.")
REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.([A-Za-z0-9_]+)(?:\.([a-z0-9_.\[\]]+))?\}$")


def resources(doc: dict, kind: str) -> dict[str, dict]:
    return doc.get("resource", {}).get(kind, {})


def only(doc: dict, kind: str) -> dict:
    found = list(resources(doc, kind).values())
    assert len(found) == 1, f"expected one {kind}, found {len(found)}"
    return found[0]


def referenced(doc: dict, expression: str) -> tuple[str, dict]:
    """The (type, resource) that a "${type.name.attr}" expression points at."""
    match = REFERENCE.match(expression)
    assert match, f"not a plain reference: {expression!r}"
    kind, name = match.group(1), match.group(2)
    return kind, resources(doc, kind)[name]


def reference_type(expression: str) -> str | None:
    """The resource type an expression starting with "${type.name..." refers to (None for a
    literal); a suffix after the reference (".../blobServices/default") does not matter."""
    match = LEADING_REFERENCE.match(expression)
    return match.group(1) if match else None


def all_strings(node):
    """Every (path, string) in a JSON tree."""
    stack = [("", node)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{path}.{k}", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, str):
            yield path, value


def named(doc: dict, kind: str, name: str) -> dict:
    """The one resource of ``kind`` whose ``name`` attribute is ``name``."""
    found = [r for r in resources(doc, kind).values() if r.get("name") == name]
    assert len(found) == 1, f"expected one {kind} named {name!r}, found {len(found)}"
    return found[0]
