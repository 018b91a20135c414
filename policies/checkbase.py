"""Base class of our checkov policies: metadata in one place, the whole stack in reach.

checkov hands a check one resource in its own list-wrapped form. Our rules need more:
the environment kind (prod, ephemeral), and the resources a value references (the schema
a grant is on, the identity a role is given to). So a check reads the cdktf JSON of the
stack the resource belongs to (parsed once per file) and reports each problem found as a
detail line; the remediation text is the check's guideline, printed under every failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from policies.envconfig import NotAnEnvironment
from synthesized.stack import EnvKind, Stack, StackError, stack_at

ID_PREFIX = "CKV_CLK_"
SEVERITIES = ("LOW", "MEDIUM", "HIGH", "CRITICAL")


def stack_file_of(entity_path: str) -> Path:
    """The stack file of checkov's `<scanned_file>:<type>:<name>`.

    checkov names the file relative to the scan root ('/'-prefixed); our scanner passes no
    root, which makes it relative to the working directory."""
    scanned_file = entity_path.rsplit(":", 2)[0]
    as_given = Path(scanned_file)
    if as_given.is_file():
        return as_given
    return Path(os.getcwd(), scanned_file.lstrip("/"))


class StackCheck(BaseResourceCheck):
    """Subclasses set the class attributes and implement `problems`."""

    id: str
    name: str
    severity_name: str  # one of SEVERITIES
    remediation: str
    resources: tuple[str, ...]
    category: CheckCategories = CheckCategories.GENERAL_SECURITY
    # A rule about an environment's workloads; the bootstrap stack's deploying identities
    # are held to infra/permissions.py instead (tests/infra/test_bootstrap.py).
    environments_only: bool = False

    def __init__(self) -> None:
        if not self.id.startswith(ID_PREFIX) or self.severity_name not in SEVERITIES or not self.remediation:
            raise ValueError(f"{type(self).__name__}: needs a {ID_PREFIX} id, a severity and a remediation")
        super().__init__(
            name=self.name,
            id=self.id,
            categories=[self.category],
            supported_resources=list(self.resources),
            guideline=f"Remediation: {self.remediation}",
        )
        self.severity = Severities[self.severity_name]

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        _, resource_type, name = self.entity_path.rsplit(":", 2)
        try:
            found = self.findings(stack_at(stack_file_of(self.entity_path)), resource_type, name)
        except StackError as err:
            found = [f"cannot evaluate: {err}"]
        self.details.extend(found)
        return CheckResult.FAILED if found else CheckResult.PASSED

    def applies_to(self, resource_type: str) -> bool:
        return any(fnmatchcase(resource_type, pattern) for pattern in self.resources)

    def findings(self, stack: Stack, resource_type: str, name: str) -> list[str]:
        """The problems of one resource of `stack`, as checkov reports them (also called
        directly, without checkov, by the mutation tool)."""
        if self.environments_only and stack.kind is EnvKind.BOOTSTRAP:
            return []
        try:
            return list(self.problems(stack, resource_type, name, stack.resource(resource_type, name)))
        except NotAnEnvironment:
            return []  # a rule about environment settings, and this stack is the bootstrap
        except StackError as err:
            return [f"cannot evaluate: {err}"]

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        """One human-readable line per violation; nothing when the resource complies."""
        raise NotImplementedError


def blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block as a list: cdktf writes one block as an object, several as a list."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def first_block(resource: dict[str, Any], key: str) -> dict[str, Any]:
    found = blocks(resource.get(key))
    return found[0] if found else {}


def expect(resource: dict[str, Any], path: str, allowed: tuple[Any, ...], *, default: Any = None) -> list[str]:
    """A problem line unless the attribute at dotted `path` is one of `allowed`.

    `default` is what the provider assumes when the attribute is left out; a rule that
    must be stated explicitly passes default=None."""
    *parents, leaf = path.split(".")
    scope = resource
    for key in parents:
        scope = first_block(scope, key)
    value = scope.get(leaf, default)
    if value in allowed:
        return []
    wanted = " or ".join(repr(v) for v in allowed)
    shown = "not set" if leaf not in scope else f"{value!r}"
    return [f"{path} is {shown}; expected {wanted}"]
