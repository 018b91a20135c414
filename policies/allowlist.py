"""Principals allowed in Unity Catalog grants although they are not groups (allowlist.yaml).

CLICKSTREAM_POLICY_ALLOWLIST points at another file (tests use it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_FILE = Path(__file__).with_name("allowlist.yaml")


class AllowlistError(ValueError):
    pass


@dataclass(frozen=True)
class AllowedPrincipal:
    principal: str
    justification: str
    envs: tuple[str, ...] = ()  # empty: every environment

    def allows(self, principal: str, env: str) -> bool:
        return principal == self.principal and (not self.envs or env in self.envs)


def allowlist_file() -> Path:
    return Path(os.environ.get("CLICKSTREAM_POLICY_ALLOWLIST", DEFAULT_FILE))


def load(path: Path | None = None) -> tuple[AllowedPrincipal, ...]:
    path = path or allowlist_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise AllowlistError(f"{path}: cannot read the allow-list ({err})") from None
    entries = data.get("principals") if isinstance(data, dict) else "not a mapping"
    entries = [] if entries is None else entries  # `principals:` with nothing under it
    if not isinstance(entries, list):
        raise AllowlistError(f"{path}: expected a mapping with a 'principals' list")
    allowed = []
    for index, entry in enumerate(entries):
        where = f"{path}: principals[{index}]"
        if not isinstance(entry, dict) or not str(entry.get("principal") or "").strip():
            raise AllowlistError(f"{where}: 'principal' is required")
        if len(str(entry.get("justification") or "").strip()) < 20:
            raise AllowlistError(f"{where}: 'justification' is required (say why, at least 20 characters)")
        envs = entry.get("envs") or []
        if not isinstance(envs, list):
            raise AllowlistError(f"{where}: 'envs' must be a list of environment names")
        allowed.append(AllowedPrincipal(str(entry["principal"]), str(entry["justification"]).strip(), tuple(envs)))
    return tuple(allowed)
