"""The policy scan's findings, read from SARIF 2.1.0 (what `make scan` writes under reports/)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from review.jsonfile import read_json
from review.model import Finding, InputError

# checkov puts the resource block in the snippet; its first line is `"<logical id>": {`.
_SNIPPET_NAME = re.compile(r'^\s*"([^"]+)"\s*:\s*\{')
_LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2, "none": 3}


def load_findings(paths: list[Path], env: str | None, name_resource: Callable[[str], str]) -> list[Finding]:
    """Findings of every SARIF file, restricted to `env`'s stack when results name a stack file.
    `name_resource` turns a logical id into words (the review's index)."""
    findings = []
    for path in paths:
        for run_position, run in enumerate(_runs(path)):
            rules = {
                rule.get("id"): rule
                for rule in run.get("tool", {}).get("driver", {}).get("rules", [])
                if isinstance(rule, dict)
            }
            for position, result in enumerate(run.get("results") or []):
                finding = _finding(path, f"runs[{run_position}].results[{position}]", result, rules, name_resource)
                if _in_env(finding.location, env):
                    findings.append(finding)
    return sorted(findings, key=lambda f: (f.suppressed, _LEVEL_ORDER.get(f.level, 9), f.rule_id, f.location))


def _runs(path: Path) -> list[dict[str, Any]]:
    document = read_json(path, " (run `make scan` first)")
    if not isinstance(document, dict) or not isinstance(document.get("runs"), list):
        raise InputError(f"{path}: not SARIF (no `runs` list)")
    return [run for run in document["runs"] if isinstance(run, dict)]


def _finding(path: Path, where: str, result: Any, rules: dict, name_resource: Callable[[str], str]) -> Finding:
    if not isinstance(result, dict) or not isinstance(result.get("ruleId"), str):
        raise InputError(f"{path}: {where}.ruleId: missing")
    rule = rules.get(result["ruleId"], {})
    level = result.get("level") or rule.get("defaultConfiguration", {}).get("level") or "warning"
    message = (result.get("message") or {}).get("text") or (rule.get("shortDescription") or {}).get("text", "")
    location, resource = "", ""
    for loc in result.get("locations") or []:
        physical = loc.get("physicalLocation") or {}
        region = physical.get("region") or {}
        uri = (physical.get("artifactLocation") or {}).get("uri", "")
        location = f"{uri}:{region['startLine']}" if region.get("startLine") else uri
        logical = [item.get("fullyQualifiedName") or item.get("name") for item in loc.get("logicalLocations") or []]
        snippet = _SNIPPET_NAME.match((region.get("snippet") or {}).get("text", ""))
        resource = next((name for name in logical if name), "") or (name_resource(snippet.group(1)) if snippet else "")
        break
    return Finding(
        rule_id=result["ruleId"],
        level=level,
        message=message,
        location=location,
        resource=resource,
        suppressed=bool(result.get("suppressions")),
        help_uri=rule.get("helpUri", ""),
    )


def _in_env(location: str, env: str | None) -> bool:
    """A finding in another stack's file does not belong in this environment's review."""
    if env is None or "stacks/" not in location:
        return True
    return f"stacks/{env}/" in location
