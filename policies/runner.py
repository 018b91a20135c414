"""Run checkov's terraform_json framework, with our policies, over stacks in this process.

checkov's start-up (imports, check registries) costs ~3 s, far more than scanning a stack,
so every environment is scanned in one process: the checks load once, then each stack
gets its own runner (its own graph, so resources of different environments never link)
and its own suppressions. The checkov internals used here are pinned by checkov==3.3.30.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from checkov.common.models.enums import CheckResult
from checkov.common.output.record import Record
from checkov.common.output.report import Report
from checkov.runner_filter import RunnerFilter
from checkov.terraform.checks.resource.registry import resource_registry
from checkov.terraform_json.runner import TerraformJsonRunner

from policies import suppressions
from policies.checkbase import ID_PREFIX, StackCheck
from policies.secret_literals import find_secrets
from policies.suppressions import Suppression
from synthesized.stack import Stack, StackError

CHECKS_DIR = Path(__file__).with_name("checks")
FRAMEWORK = "terraform_json"
# Top-level blocks checkov's Python checks never see; the secret policy covers them here.
CONFIG_BLOCKS = ("provider", "variable", "locals", "output", "terraform", "data")
SECRET_POLICY = "CKV_CLK_70"


class PolicyLoadError(RuntimeError):
    pass


@dataclass
class StackResult:
    stack: Stack
    report: Report
    suppressions: tuple[Suppression, ...]
    used: set[Suppression] = field(default_factory=set)

    @property
    def unused(self) -> list[Suppression]:
        return [s for s in self.suppressions if s not in self.used]


def our_checks() -> dict[str, StackCheck]:
    return {
        check.id: check
        for checks in (*resource_registry.checks.values(), *resource_registry.wildcard_checks.values())
        for check in checks
        if check.id.startswith(ID_PREFIX)
    }


def load_policies() -> dict[str, StackCheck]:
    """Register policies/checks once per process; a module that fails to load is an error.

    checkov logs and skips a check file that raises on import: that would silently drop a
    policy, so every module must be seen registering at least one check."""
    if not our_checks():
        resource_registry.load_external_checks(str(CHECKS_DIR))
    loaded = {type(check).__module__ for check in our_checks().values()}
    expected = {p.stem for p in CHECKS_DIR.glob("clk_*.py")}
    if expected - loaded:
        raise PolicyLoadError(
            f"policy modules failed to load: {', '.join(sorted(expected - loaded))} "
            f"(run `checkov --external-checks-dir {CHECKS_DIR} -f <file>` with LOG_LEVEL=DEBUG to see why)"
        )
    return our_checks()


def _config_secret_records(stack: Stack, relative: str) -> list[Record]:
    """Secret-looking literals outside resources (providers, variables, outputs, ...)."""
    check = our_checks()[SECRET_POLICY]
    records = []
    for block in CONFIG_BLOCKS:
        found = list(find_secrets(stack.config.get(block), block))
        if not found:
            continue
        record = Record(
            check_id=check.id,
            bc_check_id=None,
            check_name=check.name,
            check_result={"result": CheckResult.FAILED},
            code_block=[],
            file_path=relative,
            file_line_range=[1, 1],
            resource=block,
            evaluations=None,
            check_class=type(check).__module__,
            file_abs_path=str(stack.path),
            severity=check.severity,
            details=found,
        )
        record.set_guideline(check.guideline)
        records.append(record)
    return records


def _name_resources(report: Report, runner: TerraformJsonRunner) -> None:
    """checkov's terraform_json runner names Python-check results `resource.<name>`, losing
    the type; put back the `type.name` address graph checks use (suppressions match on it).
    Names may repeat across types, so the resource is found by name and first line."""
    types = {
        (name, conf.get("__startline__")): resource_type
        for definition in runner.definitions.values()
        for group in definition.get("resource", [])
        for resource_type, by_name in group.items()
        for name, conf in by_name.items()
    }
    for record in report.failed_checks + report.passed_checks:
        block, _, name = record.resource.partition(".")
        resource_type = types.get((name, record.file_line_range[0]))
        if block == "resource" and resource_type:
            record.resource = f"{resource_type}.{name}"


def scan_stack(
    stack: Stack, kind_suppressions: tuple[Suppression, ...], checks: list[str] | None = None
) -> StackResult:
    """checkov over one stack file (all checks, or only `checks`). The file is passed without
    a root folder so checkov names it relative to the working directory, where our checks
    find it again."""
    if "required_version" in (stack.config.get("terraform") or {}):
        raise StackError(
            f"{stack.path}: terraform.required_version crashes checkov's terraform_json parser "
            "(checkov issue #7454); the synth must not emit it"
        )
    runner_filter = RunnerFilter(framework=[FRAMEWORK], checks=checks, show_progress_bar=False)
    checkov = TerraformJsonRunner()
    report = checkov.run(root_folder=None, files=[str(stack.path)], runner_filter=runner_filter)
    if isinstance(report, list):  # checkov returns a list only for multi-framework runs
        report = report[0]
    if report.parsing_errors:
        raise StackError(f"{stack.path}: checkov could not parse the file (see LOG_LEVEL=DEBUG checkov output)")
    _name_resources(report, checkov)
    relative = f"/{os.path.relpath(stack.path)}"
    if runner_filter.should_run_check(check_id=SECRET_POLICY):
        for record in _config_secret_records(stack, relative):
            report.add_record(record)
    result = StackResult(stack=stack, report=report, suppressions=kind_suppressions)
    result.used = suppressions.apply(report, kind_suppressions)
    return result


def quiet_checkov() -> None:
    """checkov logs parse problems with tracebacks; the scan reports them itself, naming the file."""
    logging.getLogger().setLevel(logging.CRITICAL)
