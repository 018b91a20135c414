"""What every construct of an environment shares: its config, names, tags and place."""

from __future__ import annotations

from dataclasses import dataclass

from infra.config import Environment
from infra.naming import Names


@dataclass(frozen=True)
class Context:
    env: Environment
    names: Names
    tags: dict[str, str]
    resource_group_name: str
    location: str
