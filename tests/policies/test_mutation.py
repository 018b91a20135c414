"""Mutation testing of the policy set: every promise of policies/promises.yaml is a breakage
that one of its own checks catches, on every real environment; the tool fails and names
a breakage that slips through."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from policies import mutate
from tests.conftest import SYNTH_ENVS
from tests.policies.minimal_stacks import compliant_stack, write_stack


def test_inventory_names_existing_checks_and_every_custom_policy(known_check_ids, policy_ids):
    listed = {check for promise in mutate.load_promises() for check in promise["checks"]}
    assert listed - known_check_ids == set(), "promises.yaml names checks that do not exist"
    assert set(policy_ids) - listed == set(), "custom policies that guard no promise of the inventory"


def test_promise_ids_are_unique():
    ids = [promise["id"] for promise in mutate.load_promises()]
    assert len(ids) == len(set(ids))


def test_promise_without_checks_is_refused(tmp_path):
    path = tmp_path / "promises.yaml"
    path.write_text(
        "promises:\n  - {id: x, promise: y, envs: [dev], checks: [], mutate: {type: t, op: remove_resource}}\n"
    )
    with pytest.raises(ValueError, match="promise 'x' needs checks"):
        mutate.load_promises(path)


def test_env_placeholder_and_list_of_ops():
    config = {"resource": {"a": {"one": {"grant": [{"principal": "x"}]}}, "b": {"two": {}}}}
    assert mutate.mutate(
        config,
        [
            {"type": "a", "op": "set", "path": "grant.principal", "value": "clickstream-{env}-data-analysts"},
            {"type": "missing", "op": "remove_resource"},
        ],
        "dev",
    )
    assert config["resource"]["a"]["one"]["grant"] == [{"principal": "clickstream-dev-data-analysts"}]
    assert not mutate.mutate(config, {"type": "missing", "op": "remove_resource"}, "dev")


def _promises(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "promises.yaml"
    path.write_text(textwrap.dedent(body))
    return path


def test_tool_exits_nonzero_and_lists_each_slip(tmp_path, policy_ids, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    write_stack(tmp_path / "out", "dev", compliant_stack("dev"))
    promises = _promises(
        tmp_path,
        """\
        promises:
          - {id: tls, promise: "TLS 1.2", envs: [dev], checks: [CKV_CLK_13],
             mutate: {type: azurerm_storage_account, op: set, path: min_tls_version, value: TLS1_0}}
          - {id: wrong-check, promise: "caught by another check only", envs: [dev], checks: [CKV_CLK_10],
             mutate: {type: azurerm_storage_account, op: set, path: min_tls_version, value: TLS1_0}}
          - {id: stale, promise: "resource renamed", envs: [dev], checks: [CKV_CLK_10],
             mutate: {type: azurerm_storage_account, where: nosuch, op: remove_resource}}
    """,
    )
    code = mutate.main(["--outdir", str(tmp_path / "out"), "--env", "dev", "--promises", str(promises)])
    out = capsys.readouterr().out
    assert code == 1
    assert "dev: 1/3 promises guarded" in out
    assert "slip: dev: wrong-check: caught by another check only (breakage not caught by CKV_CLK_10)" in out
    assert "slip: dev: stale: selector matches nothing (inventory stale)" in out


@pytest.mark.slow
def test_every_promise_is_guarded_on_dev_prod_and_ephemeral(synthesized_outdir, policy_ids, capsys):
    missing, slips = mutate.run(synthesized_outdir, list(SYNTH_ENVS))
    out = capsys.readouterr().out
    assert (missing, slips) == (0, []), out
    for env in SYNTH_ENVS:
        guarded, applicable = re.search(rf"^{env}: (\d+)/(\d+) promises guarded$", out, re.MULTILINE).groups()
        assert guarded == applicable != "0"
