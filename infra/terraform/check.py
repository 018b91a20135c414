"""Offline proof of one synthesized environment: init, validate, mocked apply + destroy."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from infra.config import load_environment
from infra.terraform import diagnostics, planjson
from infra.terraform.diagnostics import Diagnostic
from infra.terraform.testfile import TEST_FILE, test_document
from infra.terraform.workdir import Workdir, check_sources_reachable, lock_file_set_aside


@dataclass
class Report:
    env: str
    seconds: dict[str, float] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    test_failures: list[str] = field(default_factory=list)
    runs_passed: int = 0
    invariants: int = 0
    plan: dict | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and not self.test_failures

    def summary(self) -> str:
        times = "  ".join(f"{step} {s:.1f}s" for step, s in self.seconds.items())
        tested = (
            f", mocked apply+destroy: {self.runs_passed} runs passed, {self.invariants} invariants"
            if "test" in self.seconds and not self.test_failures else ""
        )
        verdict = "ok" if self.ok else "FAILED"
        return (f"{self.env}: {verdict} ({len(self.errors)} errors, {len(self.warnings)} warnings{tested})  {times}")


def _test_failures(env: str, test_json: str) -> tuple[int, list[str]]:
    passed, failures = 0, []
    for message in planjson.messages(test_json):
        if message.get("type") == "test_run" and message["test_run"].get("progress") == "complete":
            passed += message["test_run"].get("status") == "pass"
        elif message.get("type") == "diagnostic" and message["diagnostic"].get("severity") == "error":
            d = message["diagnostic"]
            run = message.get("@testrun") or "teardown"
            text = " ".join(filter(None, (d.get("summary"), d.get("detail"))))
            failures.append(f"{env}: run {run}: {d.get('address', '')} {text}".replace("  ", " "))
    return passed, failures


def check(stack_dir: Path, plugin_dir: Path | None, *, test: bool = True) -> Report:
    env = stack_dir.name
    doc = json.loads((stack_dir / "cdk.tf.json").read_text())
    report = Report(env)
    check_sources_reachable(stack_dir)
    work = Workdir(stack_dir, plugin_dir)
    with lock_file_set_aside(stack_dir):
        report.seconds["init"] = work.init().seconds
        validated = work.run("validate", "-json", "-no-color")
        report.seconds["validate"] = validated.seconds
        report.diagnostics = diagnostics.parse(env, validated.stdout, doc)
        if test and not report.errors:
            document = test_document(load_environment(env), doc)
            report.invariants = len(document["run"]["apply"]["assert"])
            test_file = stack_dir / TEST_FILE
            test_file.write_text(json.dumps(document, indent=1))
            try:
                tested = work.run("test", "-json", "-verbose", "-no-color")
            finally:
                test_file.unlink()
            report.seconds["test"] = tested.seconds
            report.runs_passed, report.test_failures = _test_failures(env, tested.stdout)
            if tested.returncode != 0 and not report.test_failures:
                report.test_failures.append(f"{env}: terraform test exited {tested.returncode}: {tested.stderr.strip()}")
            if not report.test_failures:
                report.plan = planjson.plan_document(tested.stdout, doc)
    return report
