"""The SARIF (GitHub code scanning) and JUnit files: failures with remediation,
suppressions with their justification, one JUnit suite per environment."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from policies import outputs, suppressions


def test_sarif_and_junit_carry_failures_remediation_and_justified_suppressions(scan, tmp_path):
    def weaken(config: dict) -> None:
        config["resource"]["databricks_job"]["producer"]["timeout_seconds"] = 0
        config["resource"]["databricks_pipeline"]["pipeline"]["serverless"] = False

    results = [scan("dev", weaken, checks=["CKV_CLK_50", "CKV_CLK_61"]), scan("prod", checks=["CKV_CLK_61"])]
    suppressions.apply(
        results[0].report,
        (suppressions.Suppression("CKV_CLK_50", "classic compute until Q3 migration", "databricks_pipeline.pipeline"),),
    )
    sarif_path, junit_path = outputs.write_reports(results, tmp_path)

    sarif = json.loads(sarif_path.read_text())
    assert sarif["version"] == "2.1.0"
    [run] = sarif["runs"]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["CKV_CLK_61"]["level"] == "warning"  # MEDIUM severity
    assert by_rule["CKV_CLK_61"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "stacks/dev/cdk.tf.json"
    )
    assert by_rule["CKV_CLK_50"]["suppressions"] == [
        {"kind": "external", "justification": "classic compute until Q3 migration"}
    ]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "Remediation: Set timeout_seconds > 0" in rules["CKV_CLK_61"]["help"]["text"]

    suites = {s.get("name"): s for s in ET.parse(junit_path).getroot()}
    assert set(suites) == {"policy-scan.dev", "policy-scan.prod"}
    assert suites["policy-scan.dev"].get("failures") == "1"
    assert suites["policy-scan.prod"].get("failures") == "0"
