"""Assemble a Review from either input: the one place that knows both sources."""

from __future__ import annotations

from pathlib import Path

from review.configdiff import load_config_diff
from review.model import Review
from review.plan import load_plan
from review.rbac import access_changes
from review.refs import Index
from review.sarif import load_findings
from review.warnings import warnings_for


def build_review(
    *,
    env: str,
    plan: Path | None = None,
    before: Path | None = None,
    after: Path | None = None,
    sarif: list[Path] | None = None,
) -> Review:
    notes: list[str] = []
    if plan is not None:
        changes, index, detail = load_plan(plan)
        source = "plan"
    elif before is not None and after is not None:
        changes, index, detail, notes = load_config_diff(before, after, env)
        source = "config"
    else:
        raise ValueError("give a plan, or both before and after")
    review = Review(
        env=env,
        source=source,
        source_detail=detail,
        changes=changes,
        notes=notes,
        warnings=warnings_for(changes, index),
        access=access_changes(changes, index),
        sarif_files=[str(p) for p in sarif or []],
    )
    review.names = {c.address: index.display_name(c.address) for c in changes}
    review.findings = load_findings(list(sarif or []), env, _resource_namer(index))
    return review


def _resource_namer(index: Index):
    by_logical_id = {address.split(".", 1)[1]: address for address in index.resources if "." in address}

    def name(logical_id: str) -> str:
        address = by_logical_id.get(logical_id)
        return f"{index.describe(address)} ({address})" if address else logical_id

    return name
