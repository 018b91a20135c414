"""Policy findings from the scan's SARIF (fixture: results cut from a real `make scan`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from review.model import InputError
from review.sarif import load_findings

SARIF = Path(__file__).parent / "fixtures" / "policy-scan.sarif"


def test_findings_are_limited_to_the_reviewed_env_and_name_their_resource():
    findings = load_findings([SARIF], "dev", lambda logical_id: f"<{logical_id}>")
    assert [(f.rule_id, f.suppressed) for f in findings] == [("CKV2_AZURE_31", False), ("CKV_AZURE_158", True)]
    # checkov's snippet starts with the resource's logical id: the review names it.
    assert findings[0].resource == "<network_endpoints_subnet_8719BBE6>"
    assert findings[0].location.startswith("cdktf.out/stacks/dev/cdk.tf.json:")


def test_prod_review_sees_prod_findings_only():
    assert [f.rule_id for f in load_findings([SARIF], "prod", str)] == ["CKV_AZURE_206"]


@pytest.mark.parametrize(
    "content, message",
    [("{}", "not SARIF"), ("nope", "not JSON"), ('{"runs": [{"results": [{"level": "error"}]}]}', "ruleId")],
)
def test_bad_sarif_names_the_file(tmp_path, content, message):
    path = tmp_path / "scan.sarif"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as error:
        load_findings([path], "dev", str)
    assert str(path) in str(error.value)


def test_missing_sarif_says_how_to_make_it(tmp_path):
    with pytest.raises(InputError, match="make scan"):
        load_findings([tmp_path / "absent.sarif"], "dev", str)
