"""Unified authentication only: a personal access token is refused, never used."""

from __future__ import annotations

import json

import pytest

from ops import cli
from ops.workspace import AuthRefused, connect
from tests.ops.fake_databricks import IDENTITY_HEADER


def test_a_token_in_the_environment_is_refused_before_any_request(monkeypatch, fake, workspace):
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-should-never-be-used")

    with pytest.raises(AuthRefused, match="environment variable DATABRICKS_TOKEN: personal access tokens"):
        connect(fake.url)

    assert workspace.requests == []


def test_a_token_from_a_config_profile_is_refused(monkeypatch, tmp_path, fake):
    config = tmp_path / "databrickscfg"
    config.write_text(f"[ops-test]\nhost = {fake.url}\ntoken = dapi-from-a-profile\n")
    monkeypatch.setenv("DATABRICKS_CONFIG_FILE", str(config))
    monkeypatch.setenv("DATABRICKS_CONFIG_PROFILE", "ops-test")

    with pytest.raises(AuthRefused, match="auth type 'pat'"):
        connect(fake.url)


def test_verify_with_only_a_token_fails_the_workspace_check_and_runs_nothing(
    monkeypatch, outputs_file, workspace, capsys
):
    monkeypatch.setenv("DATABRICKS_TOKEN", "dapi-should-never-be-used")

    code = cli.main(["verify", "--env", "dev", "--outputs", str(outputs_file), "--json"])  # the product connector

    document = json.loads(capsys.readouterr().out)
    assert code == cli.FAILED
    assert document["failed"] == ["workspace"]
    assert "personal access tokens and passwords are not accepted" in document["checks"][0]["summary"]
    assert workspace.requests == []


def test_a_managed_identity_token_is_used_with_arm_use_msi(monkeypatch, fake, workspace, outputs_file, capsys):
    """ARM_USE_MSI=true through the product connector; the identity endpoint is the fake's."""
    monkeypatch.setenv("ARM_USE_MSI", "true")
    monkeypatch.setenv("IDENTITY_ENDPOINT", f"{fake.url}/msi/token")
    monkeypatch.setenv("IDENTITY_HEADER", IDENTITY_HEADER)

    code = cli.main(
        [
            "verify",
            "--env",
            "dev",
            "--outputs",
            str(outputs_file),
            "--json",
            "--skip",
            "catalog",
            "--skip",
            "producer-job",
            "--skip",
            "pipeline",
            "--skip",
            "gold",
        ]
    )

    document = json.loads(capsys.readouterr().out)
    assert code == cli.OK
    assert document["checks"][0]["data"]["auth_type"] == "azure-msi"
    [(_, _, query, _)] = workspace.calls("GET", "/msi/token")
    assert query["resource"] == ["2ff814a6-3304-4ab8-85cb-cd0e6f879c1d"]
