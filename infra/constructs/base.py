"""What every construct of an environment shares: its config, names, tags and place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from infra.config import Environment
from infra.naming import Names


@dataclass(frozen=True)
class Context:
    env: Environment
    names: Names
    tags: dict[str, str]
    resource_group_name: str
    location: str

    @property
    def placement(self) -> dict[str, Any]:
        """What every regional, taggable Azure resource takes: where it lives and its tags."""
        return {"location": self.location, "resource_group_name": self.resource_group_name, "tags": self.tags}
