"""One synthesized environment: where its file is, what kind it is, and its resources.

The environment of a stack is the name of its directory, `<outdir>/stacks/<env>/cdk.tf.json`
(the layout cdktf writes; the stack name is the environment name). Its kind follows from
the name alone: `dev` and `prod` are long-lived, `bootstrap` is the bootstrap stack, every
other name is ephemeral. Checks learn the stack they are looking at from the file
checkov hands them, so one checkov run
can scan every environment and each check still applies the rules of that environment.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from contract.environments import BOOTSTRAP, check_name, is_long_lived

STACK_FILE = "cdk.tf.json"
# "${azurerm_storage_account.storage_account_1A2B.id}" -> type, logical name, attribute path
_REFERENCE = re.compile(r"^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_\[\]\"*-]+)*)\}$")


class StackError(ValueError):
    """A stack file or environment that cannot be scanned; the message names it."""


class EnvKind(str, Enum):
    DEV = "dev"
    PROD = "prod"
    EPHEMERAL = "ephemeral"
    BOOTSTRAP = "bootstrap"  # infra/bootstrap: state backends and deploying identities, not an environment


def env_kind(env: str) -> EnvKind:
    if env == BOOTSTRAP:
        return EnvKind.BOOTSTRAP
    try:
        check_name(env)
    except ValueError as err:
        raise StackError(str(err)) from None
    return EnvKind(env) if is_long_lived(env) else EnvKind.EPHEMERAL


@dataclass(frozen=True)
class Reference:
    """A Terraform interpolation pointing at another resource of the same stack."""

    type: str
    name: str
    attribute: str  # "" when the whole resource is referenced

    @property
    def address(self) -> str:
        return f"{self.type}.{self.name}"


def parse_reference(value: Any) -> Reference | None:
    if not isinstance(value, str):
        return None
    found = _REFERENCE.match(value.strip())
    if not found:
        return None
    return Reference(found.group(1), found.group(2), found.group(3).lstrip("."))


@dataclass(frozen=True)
class Stack:
    path: Path
    env: str
    config: dict[str, Any]

    @property
    def kind(self) -> EnvKind:
        return env_kind(self.env)

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return self.config.get("resource", {}).get(resource_type, {})

    def resource(self, resource_type: str, name: str) -> dict[str, Any]:
        try:
            return self.resources(resource_type)[name]
        except KeyError:
            raise StackError(f"{self.path}: no resource {resource_type}.{name}") from None

    def all_resources(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for resource_type, by_name in self.config.get("resource", {}).items():
            for name, conf in by_name.items():
                yield resource_type, name, conf

    def referenced(self, value: Any) -> tuple[Reference, dict[str, Any]] | None:
        """The resource a `${type.name.attr}` value points at, if it is in this stack."""
        ref = parse_reference(value)
        if ref is None:
            return None
        conf = self.resources(ref.type).get(ref.name)
        return None if conf is None else (ref, conf)

    def literal(self, value: Any) -> Any:
        """`value` with `${type.name.attr}` references followed to the literal they point at.

        E.g. a volume's schema_name `${databricks_schema.bronze.name}` gives "bronze". None
        when the value is only known at apply time (an `id`) or outside this stack."""
        for _ in range(5):  # references chain at most a few hops; a loop is malformed input
            found = self.referenced(value)
            if found is None:
                return None if parse_reference(value) else value
            ref, conf = found
            value = conf.get(ref.attribute.split(".")[0])
        return None


def env_of_file(path: Path) -> str:
    if path.name != STACK_FILE or path.parent.parent.name != "stacks":
        raise StackError(f"{path}: not a stack file; expected <outdir>/stacks/<env>/{STACK_FILE}")
    return path.parent.name


def read_stack(path: Path) -> Stack:
    """Parse and validate one stack file; every problem raises StackError naming the file."""
    env = env_of_file(path)
    env_kind(env)
    if not path.is_file():
        raise StackError(f"{path}: file not found (run `make synth`)")
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise StackError(f"{path}: file is empty (synth did not finish? run `make synth`)")
    try:
        config = json.loads(text)
    except json.JSONDecodeError as err:
        raise StackError(f"{path}: not valid JSON ({err})") from None
    if not isinstance(config, dict):
        raise StackError(f"{path}: expected a JSON object at the top level")
    resources = config.get("resource")
    if not isinstance(resources, dict) or not any(isinstance(group, dict) and group for group in resources.values()):
        raise StackError(f"{path}: no resources in the stack (empty or truncated synth output)")
    return Stack(path=path, env=env, config=config)


@lru_cache(maxsize=16)
def _cached_stack(path: Path, _mtime_ns: int) -> Stack:
    return read_stack(path)


def stack_at(path: Path) -> Stack:
    """The parsed stack, read once per file version however many checks ask for it."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise StackError(f"{path}: file not found") from None
    return _cached_stack(path, mtime)
