"""Bad input to `python -m policies.scan` is refused with exit 2 and a message naming the
file or environment; it never passes silently."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from policies import scan
from tests.policies.minimal_stacks import compliant_stack, write_stack


def run_scan(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = scan.main(list(argv), console=Console(file=out, width=400, soft_wrap=True))
    return code, out.getvalue()


@pytest.fixture
def outdir(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_stack(tmp_path / "cdktf.out", "dev", compliant_stack("dev"))
    return tmp_path / "cdktf.out"


def test_missing_outdir_names_it(tmp_path):
    code, out = run_scan("--outdir", str(tmp_path / "nowhere"))
    assert code == scan.EXIT_BAD_INPUT
    assert "nowhere/stacks" in out and "make synth" in out


def test_unknown_environment_is_named_with_the_known_ones(outdir):
    code, out = run_scan("--outdir", str(outdir), "--env", "staging")
    assert code == scan.EXIT_BAD_INPUT
    assert "unknown environment 'staging'" in out and "synthesized: dev" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "file is empty"),
        ('{"resource": {', "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"resource": {}}', "no resources"),
        ('{"terraform": {}}', "no resources"),
    ],
)
def test_broken_stack_file_is_named(outdir, content, message):
    (outdir / "stacks" / "dev" / "cdk.tf.json").write_text(content)
    code, out = run_scan("--outdir", str(outdir))
    assert code == scan.EXIT_BAD_INPUT
    assert "stacks/dev/cdk.tf.json" in out and message in out


def test_environment_directory_without_stack_file_is_named(outdir):
    (outdir / "stacks" / "pr-9").mkdir()
    code, out = run_scan("--outdir", str(outdir))
    assert code == scan.EXIT_BAD_INPUT
    assert "stacks/pr-9/cdk.tf.json: file not found" in out


def test_invalid_environment_name_is_refused(outdir):
    write_stack(outdir, "Prod_1", compliant_stack("dev"))
    code, out = run_scan("--outdir", str(outdir), "--env", "Prod_1")
    assert code == scan.EXIT_BAD_INPUT
    assert "environment name 'Prod_1': must be 2-12 characters" in out


def databricks_only(env: str) -> dict:
    """The Databricks part of the compliant stack: no built-in checkov check applies to it."""
    config = compliant_stack(env)
    config["resource"] = {k: v for k, v in config["resource"].items() if k.startswith("databricks_")}
    return config


def no_suppressions(tmp_path: Path) -> str:
    """A suppressions folder with nothing in it: the repo's entries name real resources,
    which a minimal stack lacks (an entry matching nothing fails the scan)."""
    (tmp_path / "none").mkdir()
    (tmp_path / "none" / "dev.yaml").write_text("suppressions: []\n")
    return str(tmp_path / "none")


def test_clean_stack_exits_0_and_writes_reports(outdir, tmp_path):
    write_stack(outdir, "dev", databricks_only("dev"))
    code, out = run_scan(
        "--outdir", str(outdir), "--reports", str(tmp_path / "reports"), "--suppressions", no_suppressions(tmp_path)
    )
    assert "all checks pass" in out, out
    assert code == 0
    assert (tmp_path / "reports" / "policy-scan.sarif").is_file()
    assert (tmp_path / "reports" / "policy-scan.junit.xml").is_file()


def test_failure_exits_1_naming_resource_and_remediation(outdir, tmp_path):
    config = databricks_only("dev")
    config["resource"]["databricks_job"]["producer"]["max_concurrent_runs"] = 0
    write_stack(outdir, "dev", config)
    code, out = run_scan("--outdir", str(outdir), "--reports", str(tmp_path / "reports"))
    assert code == scan.EXIT_FAILED
    assert "FAILED dev CKV_CLK_62" in out and "databricks_job.producer" in out
    assert "max_concurrent_runs is 0" in out
    assert "Remediation: Set max_concurrent_runs explicitly" in out


def test_required_version_is_refused_with_the_checkov_issue(outdir):
    config = compliant_stack("dev")
    config["terraform"] = {"required_version": ">= 1.5"}
    write_stack(outdir, "dev", config)
    code, out = run_scan("--outdir", str(outdir))
    assert code == scan.EXIT_BAD_INPUT
    assert "stacks/dev/cdk.tf.json: terraform.required_version" in out and "#7454" in out


def test_suppression_matching_nothing_fails_the_scan_naming_it(outdir, tmp_path):
    write_stack(outdir, "dev", databricks_only("dev"))
    (tmp_path / "rules").mkdir()
    rules = tmp_path / "rules" / "dev.yaml"
    rules.write_text(
        "suppressions:\n  - check: CKV_CLK_61\n    resource: databricks_job.gone\n"
        "    justification: stale entry for a job that is gone now\n"
    )
    code, out = run_scan(
        "--outdir", str(outdir), "--reports", str(tmp_path / "r"), "--suppressions", str(tmp_path / "rules")
    )
    assert code == scan.EXIT_FAILED
    assert f"suppression CKV_CLK_61 on databricks_job.gone in {rules} matched nothing" in out
    assert "0 unsuppressed failure(s), 1 suppression(s) matching nothing" in out


def test_used_suppression_passes_the_scan(outdir, tmp_path):
    config = databricks_only("dev")
    config["resource"]["databricks_job"]["producer"]["max_concurrent_runs"] = 0
    write_stack(outdir, "dev", config)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "dev.yaml").write_text(
        "suppressions:\n  - check: CKV_CLK_62\n    resource: databricks_job.producer\n"
        "    justification: overlapping runs are harmless for this test job\n"
    )
    code, out = run_scan(
        "--outdir", str(outdir), "--reports", str(tmp_path / "r"), "--suppressions", str(tmp_path / "rules")
    )
    assert code == 0, out
    assert "all checks pass" in out
