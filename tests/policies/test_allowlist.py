"""policies/allowlist.yaml: the only way a non-group principal passes CKV_CLK_30."""

from __future__ import annotations

import pytest

from policies import allowlist

APP_ID = "0b5c7a52-3d4e-4f6a-9a51-0c1c57e4a001"


def grant_to_app(config: dict) -> None:
    config["resource"]["databricks_grants"]["gold"]["grant"].append({"principal": APP_ID, "privileges": ["SELECT"]})


def use_allowlist(tmp_path, monkeypatch, body: str):
    path = tmp_path / "allowlist.yaml"
    path.write_text(body)
    monkeypatch.setenv("CLICKSTREAM_POLICY_ALLOWLIST", str(path))
    return path


def failures(result) -> list[str]:
    return [r.resource for r in result.report.failed_checks]


def test_the_repository_allowlist_is_valid():
    assert all(entry.justification for entry in allowlist.load(allowlist.DEFAULT_FILE))


def test_allow_listed_application_id_passes_in_its_environments_only(scan, tmp_path, monkeypatch):
    use_allowlist(
        tmp_path,
        monkeypatch,
        f"principals:\n  - principal: {APP_ID}\n    envs: [dev]\n"
        "    justification: BI export tool, cannot be group member until v5\n",
    )
    assert failures(scan("dev", grant_to_app, checks=["CKV_CLK_30"])) == []
    assert failures(scan("prod", grant_to_app, checks=["CKV_CLK_30"])) == ["databricks_grants.gold"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (f"principals:\n  - principal: {APP_ID}\n", "'justification' is required"),
        ("principals:\n  - justification: a reason that is long enough\n", "'principal' is required"),
        (
            f"principals:\n  - principal: {APP_ID}\n    envs: dev\n    justification: a reason that is long enough\n",
            "'envs'",
        ),
        ("principals: {}\n", "'principals' list"),
    ],
)
def test_bad_allowlist_is_refused_naming_the_entry(tmp_path, monkeypatch, body, message):
    path = use_allowlist(tmp_path, monkeypatch, body)
    with pytest.raises(allowlist.AllowlistError, match=message) as err:
        allowlist.load()
    assert str(path) in str(err.value)
