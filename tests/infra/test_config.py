"""Bad configuration is refused before synth, with the field and the rule named."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
import yaml

from infra import config
from infra.config import Azure, Backend, ConfigError, Kind, key_versions, load_environment
from tests.conftest import REPO_ROOT

EPHEMERAL = {"CLICKSTREAM_EXPIRES_ON": "2026-12-31"}


@pytest.fixture
def environments_dir(tmp_path, monkeypatch):
    """A copy of the real environment files that a test may break."""
    for source in config.ENVIRONMENTS_DIR.glob("*.yaml"):
        (tmp_path / source.name).write_text(source.read_text())
    monkeypatch.setattr(config, "ENVIRONMENTS_DIR", tmp_path)
    return tmp_path


def edit(directory, name: str, change) -> None:
    path = directory / f"{name}.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data))


def test_real_environments_load_with_their_kind():
    assert load_environment("dev", {}).kind is Kind.LONG_LIVED
    assert load_environment("prod", {}).kind is Kind.LONG_LIVED
    pr = load_environment("pr-42", EPHEMERAL)
    assert pr.is_ephemeral and str(pr.expires_on) == "2026-12-31"


@pytest.mark.parametrize("name", ["Dev", "a", "pr_42", "-pr", "pr-", "pr--42", "abcdefghijklm", "9lives"])
def test_invalid_environment_name_is_refused(name):
    with pytest.raises(ConfigError, match="environment name"):
        load_environment(name, EPHEMERAL)


def test_ephemeral_without_expiry_names_the_field():
    with pytest.raises(ConfigError, match="expires_on is required"):
        load_environment("pr-7", {})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["network"].update(vnet_cidr="10.10.0.0/33"),
            r"network.vnet_cidr: '10.10.0.0/33' is not an IPv4 CIDR",
        ),
        (
            lambda d: d["network"].update(public_subnet_cidr="10.99.0.0/22"),
            r"network.public_subnet_cidr: .* must lie inside",
        ),
        (lambda d: d["network"].update(private_subnet_cidr="10.10.0.0/23"), r"overlap"),
        (lambda d: d["storage"].update(replication="PREMIUM"), r"storage.replication: Input should be"),
        (
            lambda d: d["observability"].update(log_retention_days=7),
            r"observability.log_retention_days: .*greater than or equal to 30",
        ),
        (lambda d: d["producer"].update(schedule="every 5 minutes"), r"producer.schedule: String should match pattern"),
        (lambda d: d.update(owner="not-an-email"), r"owner: String should match pattern"),
        (lambda d: d.update(colour="blue"), r"colour: Extra inputs are not permitted"),
        (
            lambda d: d["protection"].update(deletion_locks=True, force_destroy_data=True),
            r"force_destroy_data must be false",
        ),
        (
            lambda d: d["protection"].update(prevent_destroy=True, force_destroy_data=True),
            r"force_destroy_data must be false",
        ),
        (
            lambda d: d["network"].update(public_network_access=False, private_endpoint_subnet_cidr=None),
            r"private_endpoint_subnet_cidr is required",
        ),
        (lambda d: d.update(alert_emails=[]), r"alert_emails: Tuple should have at least 1 item"),
    ],
)
def test_bad_value_fails_with_field_and_rule(environments_dir, change, message):
    edit(environments_dir, "dev", change)
    with pytest.raises(ConfigError, match=message) as err:
        load_environment("dev", {})
    assert "dev.yaml" in str(err.value)


def test_ephemeral_environment_cannot_be_locked(environments_dir):
    edit(environments_dir, "ephemeral", lambda d: d["protection"].update(deletion_locks=True, force_destroy_data=False))
    with pytest.raises(ConfigError, match="must be destroyable"):
        load_environment("pr-1", EPHEMERAL)


def test_ephemeral_environment_cannot_prevent_its_destroy(environments_dir):
    edit(
        environments_dir, "ephemeral", lambda d: d["protection"].update(prevent_destroy=True, force_destroy_data=False)
    )
    with pytest.raises(ConfigError, match="must be destroyable"):
        load_environment("pr-1", EPHEMERAL)


def test_file_that_is_not_a_mapping_names_the_file(environments_dir):
    (environments_dir / "dev.yaml").write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match=r"dev.yaml: must be a mapping"):
        load_environment("dev", {})


def test_deploy_time_overrides_are_validated():
    with pytest.raises(ConfigError, match="databricks.account_id"):
        load_environment("dev", {"CLICKSTREAM_DATABRICKS_ACCOUNT_ID": "my-account"})
    env = load_environment("dev", {"CLICKSTREAM_ALLOWED_IP_RANGES": "20.50.60.0/24, 40.74.28.0/28"})
    assert env.network.allowed_ip_ranges == ("20.50.60.0/24", "40.74.28.0/28")


def test_single_addresses_are_written_bare_as_azurerm_storage_requires():
    env = load_environment("dev", {"CLICKSTREAM_ALLOWED_IP_RANGES": "40.74.28.5/32,52.1.1.0/31,40.74.28.9"})
    assert env.network.allowed_ip_ranges == ("40.74.28.5", "52.1.1.0", "52.1.1.1", "40.74.28.9")


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ("0.0.0.0/0", "'0.0.0.0/0' is wider than /24"),
        ("20.0.0.0/8", "'20.0.0.0/8' is wider than /24"),
        ("10.1.2.0/24", "'10.1.2.0/24' is not a public range"),
        ("20.50.60.0/24,192.168.1.10", "'192.168.1.10' is not a public range"),
        ("100.64.0.1", "is not a public range"),  # carrier-grade NAT
        ("203.0.113.0/24", "is not a public range"),  # documentation (TEST-NET-3)
        ("40.74.28.5/33", "is not an IPv4 address or CIDR"),
    ],
)
def test_allowed_ranges_must_be_public_and_narrow_naming_variable_and_file(ranges, message):
    with pytest.raises(ConfigError) as err:
        load_environment("dev", {"CLICKSTREAM_ALLOWED_IP_RANGES": ranges})
    text = str(err.value)
    assert "dev.yaml" in text and "network.allowed_ip_ranges (from CLICKSTREAM_ALLOWED_IP_RANGES)" in text
    assert message in text


def test_allowed_ranges_in_the_file_are_checked_too(environments_dir):
    edit(environments_dir, "dev", lambda d: d["network"].update(allowed_ip_ranges=["0.0.0.0/1"]))
    with pytest.raises(ConfigError, match=r"dev.yaml.*\n  - network.allowed_ip_ranges: '0.0.0.0/1' is wider"):
        load_environment("dev", {})


def test_ephemeral_expiry_is_at_most_30_days_ahead():
    today = dt.datetime.now(dt.UTC).date()
    latest = today + dt.timedelta(days=config.MAX_EPHEMERAL_DAYS)
    assert load_environment("pr-42", {"CLICKSTREAM_EXPIRES_ON": latest.isoformat()}).expires_on == latest
    with pytest.raises(ConfigError) as err:
        load_environment("pr-42", {"CLICKSTREAM_EXPIRES_ON": (latest + dt.timedelta(days=1)).isoformat()})
    assert "expires_on (from CLICKSTREAM_EXPIRES_ON)" in str(err.value) and "more than 30 days ahead" in str(err.value)
    assert "ephemeral.yaml" in str(err.value)


def test_backend_is_configured_only_when_given():
    assert load_environment("dev", {}).backend is None
    env = load_environment(
        "dev",
        {"CLICKSTREAM_BACKEND_RESOURCE_GROUP": "rg-tfstate", "CLICKSTREAM_BACKEND_STORAGE_ACCOUNT": "sttfstate01"},
    )
    assert (env.backend.resource_group, env.backend.storage_account, env.backend.container) == (
        "rg-tfstate",
        "sttfstate01",
        "tfstate",
    )


def test_synth_command_reports_every_invalid_environment_and_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "infra.app"],
        cwd=REPO_ROOT,
        env={"PATH": "/usr/bin:/bin", "CLICKSTREAM_ENVS": "pr-9 Bad"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "expires_on is required" in result.stderr
    assert "environment name 'Bad'" in result.stderr


def test_preflight_refuses_the_placeholder_account_and_missing_tools():
    from infra.preflight import problems

    found = problems("dev", {"PATH": "/nonexistent"})
    assert any("CLICKSTREAM_DATABRICKS_ACCOUNT_ID" in p for p in found)
    assert any("terraform not found" in p for p in found)
    assert any("ARM_SUBSCRIPTION_ID" in p for p in found)
    ready = problems(
        "dev",
        {
            "PATH": "/nonexistent",
            "CLICKSTREAM_DATABRICKS_ACCOUNT_ID": "12345678-1234-1234-1234-123456789abc",
            "TERRAFORM_BINARY_NAME": "true",
            "ARM_USE_OIDC": "true",
            "ARM_CLIENT_ID": "x",
            "ARM_SUBSCRIPTION_ID": "y",
            "CLICKSTREAM_ALLOWED_IP_RANGES": "20.50.60.7",
        },
    )
    assert ready == ["true not found: install Terraform >= 1.11 (or OpenTofu and set TERRAFORM_BINARY_NAME=tofu)"]


def test_preflight_needs_terraform_with_write_only_arguments(tmp_path):
    from infra.preflight import problems

    fake = tmp_path / "terraform"
    fake.write_text("#!/bin/sh\necho 'Terraform v1.10.5'\n")
    fake.chmod(0o755)
    found = problems(
        "dev", {"PATH": str(tmp_path), "ARM_USE_OIDC": "true", "ARM_CLIENT_ID": "x", "ARM_SUBSCRIPTION_ID": "y"}
    )
    assert "terraform v1.10 is too old: need >= 1.11 (write-only arguments)" in found


def test_key_version_comes_from_the_committed_versions_file():
    assert load_environment("prod", {}).secret.key_version == key_versions()["prod"]
    assert load_environment("pr-42", EPHEMERAL).secret.key_version == 1  # not listed: its first key


def test_rotate_key_bumps_only_that_environments_version(tmp_path, monkeypatch):
    from infra import config, rotate_key

    versions = tmp_path / "key-versions.json"
    versions.write_text('{"dev": 3, "prod": 1}')
    monkeypatch.setattr(config, "KEY_VERSIONS_FILE", versions)
    monkeypatch.setattr(rotate_key, "KEY_VERSIONS_FILE", versions)
    assert rotate_key.main(["dev"]) == 0
    assert rotate_key.main(["pr-7"]) == 0
    assert json.loads(versions.read_text()) == {"dev": 4, "pr-7": 2, "prod": 1}
    assert load_environment("dev", {}).secret.key_version == 4
    assert rotate_key.main(["Not/An/Env"]) == 1


def test_remote_state_is_the_bootstrapped_container_of_the_trust_level():
    from infra.naming import STATE_RESOURCE_GROUP, state_storage_account

    for name, subscription, container in (
        ("dev", "dev", "dev"),
        ("prod", "prod", "prod"),
        ("pr-7", "sandbox", "ephemeral"),
    ):
        env = load_environment(name, {"CLICKSTREAM_REMOTE_STATE": "true", "CLICKSTREAM_EXPIRES_ON": "2026-12-31"})
        assert env.azure.subscription == subscription
        assert env.backend == Backend(
            resource_group=STATE_RESOURCE_GROUP,
            storage_account=state_storage_account(subscription),
            container=container,
        )


def test_bootstrap_is_not_an_environment_name():
    with pytest.raises(ConfigError, match="reserved"):
        load_environment("bootstrap", {})


def test_a_pull_request_identity_cannot_deploy_an_environment():
    with pytest.raises(ValueError, match="pull-request identities only plan"):
        Azure(subscription="dev", trust_level="pull-request")


def test_preflight_refuses_to_plan_an_environment_into_another_subscription():
    from infra.preflight import problems
    from infra.trust import load_platform

    platform = load_platform(environ={})
    real = platform.model_copy(
        update={"subscriptions": {**platform.subscriptions, "prod": "12345678-1234-1234-1234-1234567890ab"}}
    )
    ready = {
        "PATH": "/nonexistent",
        "CLICKSTREAM_DATABRICKS_ACCOUNT_ID": "12345678-1234-1234-1234-123456789abc",
        "TERRAFORM_BINARY_NAME": "true",
        "ARM_USE_OIDC": "true",
        "ARM_CLIENT_ID": "x",
    }
    wrong = problems("prod", {**ready, "ARM_SUBSCRIPTION_ID": "87654321-4321-4321-4321-ba0987654321"}, real)
    assert any("is not prod's subscription 'prod'" in p for p in wrong)
    right = problems("prod", {**ready, "ARM_SUBSCRIPTION_ID": "12345678-1234-1234-1234-1234567890ab"}, real)
    assert not any("ARM_SUBSCRIPTION_ID" in p for p in right)


def test_yaml_syntax_error_names_file_line_and_column(environments_dir):
    (environments_dir / "dev.yaml").write_text("kind: long-lived\nnetwork:\n  vnet_cidr: [10.0.0.0/16\n")
    with pytest.raises(ConfigError, match=r"dev.yaml:4:1: not valid YAML"):
        load_environment("dev", {})


def test_invalid_value_names_the_line_it_is_on(environments_dir):
    path = environments_dir / "dev.yaml"
    lines = path.read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.strip().startswith("auto_stop_minutes:"))
    lines[number - 1] = lines[number - 1].split(":")[0] + ": 9999"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ConfigError, match=rf"warehouse.auto_stop_minutes: .*\(line {number}\)"):
        load_environment("dev", {})
