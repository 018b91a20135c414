"""Fixtures for the policy tests: checkov with our policies loaded once per session."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from synthesized.stack import read_stack
from tests.policies.minimal_stacks import compliant_stack, write_stack


@pytest.fixture(scope="session")
def policy_ids() -> list[str]:
    from policies import runner

    runner.quiet_checkov()
    return sorted(runner.load_policies())


@pytest.fixture(scope="session")
def known_check_ids(policy_ids) -> set[str]:
    """Every check id a scan can report: checkov's resource and graph checks, and ours."""
    from checkov.common.bridgecrew.check_type import CheckType
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    graph = get_graph_checks_registry(CheckType.TERRAFORM)
    graph.load_checks()
    resource_checks = [c for checks in resource_registry.checks.values() for c in checks]
    return {c.id for c in resource_checks} | {c.id for c in graph.checks} | set(policy_ids)


@pytest.fixture
def scan(tmp_path: Path, policy_ids, monkeypatch) -> Callable:
    """scan(env, mutate=None, checks=None) -> StackResult of a minimal stack, no suppressions."""
    from policies import runner

    monkeypatch.chdir(tmp_path)  # records name files relative to the working directory

    def run(env: str, mutate: Callable[[dict], None] | None = None, checks: list[str] | None = None):
        config = json.loads(json.dumps(compliant_stack(env)))  # no shared sub-dicts (tags)
        if mutate:
            mutate(config)
        path = write_stack(tmp_path / "cdktf.out", env, config)
        return runner.scan_stack(read_stack(path), (), checks=checks or policy_ids)

    return run
