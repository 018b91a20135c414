"""Reviewed exceptions to the scan, one file per environment kind: suppressions/<kind>.yaml.

An entry names a check id, the address `type.name` of the resource it excuses (or a list of
addresses; never a pattern or a whole resource type) and a justification. A failure it
matches is reported as skipped, with the justification, in the terminal, SARIF and JUnit
output; an entry that matches nothing fails the scan (the fix is in, or the resource was
renamed: remove or update it). prod must suppress strictly less than dev
(tests/policies/test_suppressions.py enforces it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from checkov.common.models.enums import CheckResult
from checkov.common.output.report import Report

from synthesized.stack import EnvKind

SUPPRESSIONS_DIR = Path(__file__).with_name("suppressions")
CHECK_ID = re.compile(r"^CKV2?_[A-Z0-9_]+$")
# A resource address as the scan reports it: `type.name` of one synthesized resource.
ADDRESS = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+$")
MIN_JUSTIFICATION = 20  # characters: enough to force a reason, not a "n/a"


class SuppressionError(ValueError):
    pass


@dataclass(frozen=True)
class Suppression:
    check: str
    justification: str
    resource: str
    source: str = field(default="", compare=False)  # the file, for messages

    def matches(self, check_id: str, resource: str) -> bool:
        return check_id == self.check and resource == self.resource

    @property
    def key(self) -> tuple[str, str]:
        return self.check, self.resource


def suppressions_file(kind: EnvKind, directory: Path = SUPPRESSIONS_DIR) -> Path:
    return directory / f"{kind.value}.yaml"


def _entries(raw: object, where: str, source: str) -> list[Suppression]:
    """One entry of a file: a Suppression per resource address it names."""
    if not isinstance(raw, dict):
        raise SuppressionError(f"{where}: expected a mapping with check, resource and justification")
    unknown = set(raw) - {"check", "resource", "justification"}
    if unknown:
        raise SuppressionError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    check = str(raw.get("check") or "")
    if not CHECK_ID.match(check):
        raise SuppressionError(f"{where}: 'check' must be a check id like CKV_AZURE_35, got {check!r}")
    justification = " ".join(str(raw.get("justification") or "").split())
    if len(justification) < MIN_JUSTIFICATION:
        raise SuppressionError(
            f"{where}: {check} needs a 'justification' (why it is acceptable here, >= {MIN_JUSTIFICATION} characters)"
        )
    resources = raw.get("resource")
    resources = resources if isinstance(resources, list) else [resources]
    for resource in resources:
        if not isinstance(resource, str) or not ADDRESS.match(resource):
            raise SuppressionError(
                f"{where}: {check} needs 'resource': the address type.name of each resource it excuses, "
                f"as the scan reports it (e.g. azurerm_key_vault.secrets_this_4F7C5D00), not {resource!r}"
            )
    return [Suppression(check=check, justification=justification, resource=r, source=source) for r in resources]


def load(path: Path) -> tuple[Suppression, ...]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise SuppressionError(f"{path}: cannot read ({err.strerror})") from None
    except yaml.YAMLError as err:
        raise SuppressionError(f"{path}: not valid YAML ({err})") from None
    data = {} if data is None else data
    entries = data.get("suppressions") if isinstance(data, dict) else "not a mapping"
    entries = [] if entries is None else entries  # `suppressions:` with nothing under it
    if not isinstance(entries, list):
        raise SuppressionError(f"{path}: expected a mapping with a 'suppressions' list")
    found = [s for index, raw in enumerate(entries) for s in _entries(raw, f"{path}: suppressions[{index}]", str(path))]
    duplicates = {s.key for s in found if [t.key for t in found].count(s.key) > 1}
    if duplicates:
        raise SuppressionError(f"{path}: duplicate entries for {sorted(duplicates)}")
    return tuple(found)


def apply(report: Report, suppressions: tuple[Suppression, ...]) -> set[Suppression]:
    """Turn the failures the suppressions match into skipped results; returns those used."""
    used: set[Suppression] = set()
    kept = []
    for record in report.failed_checks:
        match = next((s for s in suppressions if s.matches(record.check_id, record.resource)), None)
        if match is None:
            kept.append(record)
            continue
        used.add(match)
        record.check_result = {"result": CheckResult.SKIPPED, "suppress_comment": match.justification}
        report.skipped_checks.append(record)
    report.failed_checks = kept
    return used
