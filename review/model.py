"""The shapes every input is normalised into, so rendering never cares where a change came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Action(enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    # Terraform >= 1.7 `removed { lifecycle { destroy = false } }`: leaves state, not the cloud.
    FORGET = "forget"

    @property
    def symbol(self) -> str:
        return {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "forget": "."}[self.value]


# Order in which actions are counted and listed: the dangerous ones are read first.
ACTION_ORDER = (Action.DELETE, Action.REPLACE, Action.UPDATE, Action.CREATE, Action.FORGET)


class Marker:
    """A placeholder value that prints as what a reviewer should read."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text

    __str__ = __repr__


UNKNOWN = Marker("(known after apply)")
SENSITIVE = Marker("(sensitive)")


@dataclass(frozen=True)
class ResourceChange:
    """One managed resource that the plan touches."""

    address: str
    type: str
    action: Action
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changed: tuple[str, ...] = ()  # dotted attribute paths whose value differs
    reasons: tuple[str, ...] = ()  # why it is replaced (attributes, tainted, follows another)
    label: str = ""  # construct path in synthesized output, else empty

    @property
    def values(self) -> dict[str, Any]:
        """The values that describe the object: the planned ones, or the old ones when it goes."""
        return self.after if self.after is not None else (self.before or {})


@dataclass(frozen=True)
class Alert:
    """A loud warning at the top of the review."""

    severity: str  # "danger": data is destroyed; "caution": a protection is removed
    title: str
    detail: str
    address: str


@dataclass(frozen=True)
class AccessChange:
    """Who gains or loses what on which object, and through which resource."""

    principal: str
    verb: str  # "gains", "loses", "re-granted"
    privileges: tuple[str, ...]
    target: str
    mechanism: str  # "Azure role", "UC grant", "permission", "membership", "workspace access"
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    rule_id: str
    level: str
    message: str
    location: str
    resource: str = ""
    suppressed: bool = False
    help_uri: str = ""


@dataclass
class Review:
    """Everything a renderer shows."""

    env: str
    source: str  # "plan" or "config"
    source_detail: str
    changes: list[ResourceChange]
    warnings: list[Alert] = field(default_factory=list)
    access: list[AccessChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sarif_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # address -> the object's own name

    def name_of(self, change: ResourceChange) -> str:
        name = self.names.get(change.address, change.address)
        return name if name != change.address else change.label

    def count(self, action: Action) -> int:
        return sum(1 for c in self.changes if c.action is action)

    @property
    def is_config_diff(self) -> bool:
        return self.source == "config"


class InputError(Exception):
    """Bad input: the message names the file and the field."""
