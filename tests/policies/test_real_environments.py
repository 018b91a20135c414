"""Every real environment (dev, prod, pr-42 from the session's synth) and the bootstrap stack pass the whole scan:
checkov's built-in checks and ours, with only the reviewed suppressions."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from rich.console import Console

from policies import scan
from tests.conftest import SYNTH_ENVS

SCANNED = (*SYNTH_ENVS, "bootstrap")  # the bootstrap stack is scanned like an environment


@pytest.fixture(scope="module")
def real_scan(synthesized_outdir, tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    out = io.StringIO()
    code = scan.main(
        ["--outdir", str(synthesized_outdir), "--reports", str(reports), "--env", *SCANNED],
        console=Console(file=out, width=400, soft_wrap=True),
    )
    return code, out.getvalue(), reports


@pytest.mark.slow
def test_every_environment_passes_the_scan(real_scan):
    code, out, _ = real_scan
    assert code == 0, out
    assert f"all checks pass in {len(SCANNED)} environment(s)" in out


@pytest.mark.slow
def test_real_scan_reports_cover_every_environment(real_scan):
    _, _, reports = real_scan
    sarif = json.loads((reports / "policy-scan.sarif").read_text())
    assert [r for r in sarif["runs"][0]["results"] if "suppressions" not in r] == []
    suites = {s.get("name") for s in ET.parse(reports / "policy-scan.junit.xml").getroot()}
    assert suites == {f"policy-scan.{env}" for env in SCANNED}
