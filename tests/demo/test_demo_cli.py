"""Exit codes and messages: bad options, a failing step named, a policy finding stops the demo."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from rich.console import Console

from demo import cli, infra_steps
from demo.steps import StepFailed, Steps


@pytest.mark.parametrize(
    "argv, option",
    [
        (["--events", "0"], "--events"),
        (["--events", "many"], "--events"),
        (["--env", "Prod_1"], "--env"),
        (["--expires-on", "next week"], "--expires-on"),
    ],
)
def test_bad_options_exit_2_naming_the_option(argv, option, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert option in capsys.readouterr().err


def test_a_failing_step_exits_1_naming_the_step(monkeypatch, tmp_path, capsys):
    def broken_synth(*_args):
        raise infra_steps.InfraStepError("python -m infra.app exited 2:\nsynth: invalid configuration")

    monkeypatch.setattr(infra_steps, "synthesize", broken_synth)
    code = cli.main(
        [
            "--outdir",
            str(tmp_path / "out"),
            "--reports",
            str(tmp_path / "reports"),
            "--landing",
            str(tmp_path / "landing"),
            "--state",
            str(tmp_path / "state"),
        ]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert "step 'Synthesize dev, prod, pr-42' failed" in out
    assert "invalid configuration" in out
    assert not (tmp_path / "landing").exists()  # nothing after the failed step ran


def test_steps_time_each_step_and_wrap_any_error():
    console = Console(file=io.StringIO(), width=100)
    with Steps(console, total=2) as steps:
        with steps.step("first"):
            pass
        with pytest.raises(StepFailed) as failed:
            with steps.step("second"):
                raise KeyError("landing")
    assert [name for name, _ in steps.timings] == ["first"]
    assert failed.value.step == "second" and "landing" in failed.value.message
    log = console.file.getvalue()
    assert "[1/2] first" in log and "✓" in log and "✗ [2/2] second" in log


@pytest.mark.slow
def test_a_policy_finding_stops_the_demo_with_the_finding(synthesized_outdir, tmp_path):
    stack = tmp_path / "out" / "stacks" / "dev" / "cdk.tf.json"
    stack.parent.mkdir(parents=True)
    shutil.copy(synthesized_outdir / "stacks" / "dev" / "cdk.tf.json", stack)
    doc = json.loads(stack.read_text())
    for account in doc["resource"]["azurerm_storage_account"].values():
        account["min_tls_version"] = "TLS1_0"
    stack.write_text(json.dumps(doc))
    with pytest.raises(infra_steps.InfraStepError) as failed:
        infra_steps.scan(tmp_path / "out", ["dev"], tmp_path / "reports", width=120)
    assert "policy scan found problems" in str(failed.value)
    assert "CKV_CLK_13" in str(failed.value)  # the check that failed, with its remediation
