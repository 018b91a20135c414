"""Fixtures of the demo tests: a small lake snapshot (tests/demo/lake_fixture.py) and a
finished demo run built on it and on the shared synth fixture."""

from __future__ import annotations

import pytest

from demo import inventory, lineage, report, resource_graph
from demo.lake import BatchRun, LakeSnapshot
from pipelines.clickstream import names
from pipelines.runner import TRANSFORMATIONS
from synthesized.stack import STACK_FILE, read_stack
from tests.demo.lake_fixture import QUALITY, ROWS, TABLES


def new_snapshot() -> LakeSnapshot:
    return LakeSnapshot(dict(ROWS), dict(QUALITY), {k: [dict(r) for r in v] for k, v in TABLES.items()})


def new_runs() -> list[BatchRun]:
    first = {names.BRONZE_EVENTS: 20_000, names.SILVER_EVENTS: 19_700, names.EVENTS_QUARANTINE: 180}
    return [
        BatchRun("first batch", {"events": 20_000, "user_changes": 550}, 0.6, 70.0, {}, first),
        BatchRun("incremental batch", {"events": 2_000, "user_changes": 50}, 0.1, 40.0, first, dict(ROWS)),
    ]


@pytest.fixture
def snapshot() -> LakeSnapshot:
    return new_snapshot()


@pytest.fixture
def runs() -> list[BatchRun]:
    return new_runs()


@pytest.fixture(scope="session")
def demo_run(synthesized_outdir) -> report.DemoRun:
    """A finished run of dev; drawing its report takes seconds, so it is shared."""
    stack = read_stack(synthesized_outdir / "stacks" / "dev" / STACK_FILE)
    inventories = [inventory.load(synthesized_outdir, env) for env in ("dev", "prod", "pr-42")]
    return report.DemoRun(
        env="dev",
        inventories=inventories,
        resource_graph=resource_graph.resource_graph(stack, inventories[0]),
        scan_verdict="all checks pass in 3 environment(s), 9.1 s",
        scan_reports=("reports/policy-scan.sarif",),
        runs=new_runs(),
        snapshot=new_snapshot(),
        lineage=lineage.lineage_graph(lineage.dataflow(TRANSFORMATIONS), ROWS),
        steps=[("Synthesize dev, prod, pr-42", 31.0), ("Policy scan", 9.5)],
    )
