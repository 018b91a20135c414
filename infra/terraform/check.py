"""Offline proof of one synthesized environment: init, validate, mocked apply + destroy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from contract.environments import is_valid_name
from infra.config import load_environment
from infra.terraform import diagnostics, planjson
from infra.terraform.diagnostics import Diagnostic
from infra.terraform.invariants import must_survive_destroy
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
    kept: set[str] = field(default_factory=set)
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
        destroy = f"destroy refused by prevent_destroy on {len(self.kept)}" if self.kept else "destroy"
        tested = (
            f", mocked apply+{destroy}: {self.runs_passed} runs passed, {self.invariants} invariants"
            if "test" in self.seconds and not self.test_failures
            else ""
        )
        verdict = "ok" if self.ok else "FAILED"
        return f"{self.env}: {verdict} ({len(self.errors)} errors, {len(self.warnings)} warnings{tested})  {times}"


REFUSED = re.compile(r"Resource (\S+) has lifecycle.prevent_destroy set")


def _outcome(env: str, test_json: str, kept: set[str]) -> tuple[int, list[str]]:
    """Runs passed and failures. The test's destroy must remove everything, except in an
    environment with prevent_destroy: there it must be refused, and only for those resources."""
    passed, failures, refused, left = 0, [], set(), set()
    for message in planjson.messages(test_json):
        kind = message.get("type")
        if kind == "test_run" and message["test_run"].get("progress") == "complete":
            passed += message["test_run"].get("status") == "pass"
        elif kind == "test_cleanup":
            left |= {r["instance"] for r in message["test_cleanup"].get("failed_resources", [])}
        elif kind == "diagnostic" and message["diagnostic"].get("severity") == "error":
            d = message["diagnostic"]
            text = " ".join(filter(None, (d.get("summary"), d.get("detail"))))
            match = REFUSED.search(text)
            if match and match.group(1) in kept:  # refused as promised
                refused.add(match.group(1))
                continue
            failures.append(f"{env}: run {message.get('@testrun') or 'teardown'}: {text}")
    if kept and not failures:
        if not refused:
            failures.append(f"{env}: destroy was not refused although {len(kept)} resources have prevent_destroy")
        failures += [f"{env}: destroy removed {a} despite prevent_destroy" for a in sorted(kept - left)]
    return passed, failures


def _unprotected(env: str, doc: dict, kept: set[str]) -> list[str]:
    """A refused destroy stops at the first refusals, so it cannot show that each stateful
    resource would refuse: their configuration must say so."""
    return [
        f"{env}: {address} has no lifecycle.prevent_destroy (protection.prevent_destroy is on)"
        for address in sorted(kept)
        if not doc["resource"][address.split(".")[0]][address.split(".")[1]].get("lifecycle", {}).get("prevent_destroy")
    ]


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
            env_config = load_environment(env) if is_valid_name(env) else None  # else the bootstrap stack
            document = test_document(env_config, doc)
            report.invariants = len(document["run"]["apply"]["assert"])
            test_file = stack_dir / TEST_FILE
            test_file.write_text(json.dumps(document, indent=1))
            try:
                tested = work.run("test", "-json", "-verbose", "-no-color")
            finally:
                test_file.unlink()
            report.seconds["test"] = tested.seconds
            report.kept = must_survive_destroy(env_config, doc) if env_config else set()
            report.runs_passed, report.test_failures = _outcome(env, tested.stdout, report.kept)
            report.test_failures += _unprotected(env, doc, report.kept)
            if tested.returncode != 0 and not report.test_failures and not report.kept:
                report.test_failures.append(
                    f"{env}: terraform test exited {tested.returncode}: {tested.stderr.strip()}"
                )
            if not report.test_failures:
                report.plan = planjson.plan_document(tested.stdout, doc)
    return report
