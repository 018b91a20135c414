"""The configuration diff on real synthesized output: the session's synth, and copies of it
edited the way a branch would change them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from review.build import build_review
from review.markdown import render_markdown
from review.model import Action

pytestmark = pytest.mark.slow


@pytest.fixture
def branch(synthesized_outdir, tmp_path):
    """A copy of the synthesized output to edit as "this branch"; the original is "main"."""
    copy = tmp_path / "cdktf.out"
    shutil.copytree(synthesized_outdir / "stacks", copy / "stacks")
    return copy


def edit(root, env, change):
    path = root / "stacks" / env / "cdk.tf.json"
    stack = json.loads(path.read_text())
    change(stack["resource"])
    path.write_text(json.dumps(stack, indent=2))


def test_identical_outputs_review_as_no_changes(synthesized_outdir, branch):
    review = build_review(env="dev", before=synthesized_outdir, after=branch)
    assert review.changes == [] and review.warnings == [] and review.access == []
    assert "no changes" in render_markdown(review).splitlines()[1]


def test_new_environment_is_all_creates(synthesized_outdir, tmp_path):
    empty = tmp_path / "main"
    (empty / "stacks").mkdir(parents=True)
    review = build_review(env="pr-42", before=empty, after=synthesized_outdir)
    stack = json.loads((synthesized_outdir / "stacks" / "pr-42" / "cdk.tf.json").read_text())
    assert review.count(Action.CREATE) == sum(len(v) for v in stack["resource"].values()) == len(review.changes)
    gains = {(a.principal, a.target) for a in review.access if a.verb == "gains"}
    assert ("clickstream-pr-42-data-analysts", "schema clickstream_pr_42.gold") in gains


def test_disabling_hierarchical_namespace_replaces_the_lake_and_names_the_catalog(synthesized_outdir, branch):
    edit(branch, "dev", lambda r: next(iter(r["azurerm_storage_account"].values())).update(is_hns_enabled=False))
    review = build_review(env="dev", before=synthesized_outdir, after=branch)
    storage = next(c for c in review.changes if c.type == "azurerm_storage_account")
    assert storage.action is Action.REPLACE
    # Containers take the account's id (unknown until the new account exists): replaced too.
    assert {c.action for c in review.changes if c.type == "azurerm_storage_container"} == {Action.REPLACE}
    warning = next(w for w in review.warnings if w.address == storage.address)
    assert "catalog clickstream_dev" in warning.detail and "is_hns_enabled" in warning.detail
    # The catalog's storage_root uses the account's *name*, which stays known: not replaced.
    assert not any(c.type == "databricks_catalog" for c in review.changes)


def test_granting_analysts_select_on_silver_is_one_access_row(synthesized_outdir, branch):
    def grant(resources):
        silver = next(g for n, g in resources["databricks_grants"].items() if "schema" in g and "silver" in n)
        silver["grant"].append({"principal": "clickstream-dev-data-analysts", "privileges": ["SELECT", "USE_SCHEMA"]})

    edit(branch, "dev", grant)
    review = build_review(env="dev", before=synthesized_outdir, after=branch)
    assert [(a.principal, a.verb, a.privileges, a.target) for a in review.access] == [
        ("clickstream-dev-data-analysts", "gains", ("SELECT", "USE_SCHEMA"), "schema clickstream_dev.silver")
    ]
    assert review.warnings == [] and [c.action for c in review.changes] == [Action.UPDATE]


def test_make_review_wires_the_configuration_diff_and_the_scan(synthesized_outdir, branch, tmp_path):
    repo = Path(__file__).resolve().parents[2]
    sarif = Path(__file__).parent / "fixtures" / "policy-scan.sarif"
    out = tmp_path / "review.md"
    result = subprocess.run(
        [
            "make",
            "--no-print-directory",
            "review",
            "ENV=dev",
            f"REVIEW_BASE={synthesized_outdir}",
            f"REVIEW_AFTER={branch}",
            f"REVIEW_SARIF={sarif}",
            f"REVIEW_MARKDOWN={out}",
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "no changes" in text.splitlines()[1] and "Policy findings: 1 open, 1 suppressed" in text
