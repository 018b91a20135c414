"""Every custom policy: the compliant minimal stack passes it, and one mutation fails it
on the resource it should, with a message saying what is wrong."""
from __future__ import annotations

from typing import Any, Callable

import pytest

from tests.policies.minimal_stacks import group


SA, WS = "azurerm_storage_account.storage", "azurerm_databricks_workspace.workspace"
PL, JOB = "databricks_pipeline.pipeline", "databricks_job.producer"


def res(config: dict, address: str) -> dict[str, Any]:
    resource_type, name = address.split(".", 1)
    return config["resource"][resource_type][name]


def setter(address: str, key: str, value: Any) -> Callable[[dict], None]:
    def mutate(config: dict) -> None:
        target = res(config, address)
        *parents, leaf = key.split(".")
        for parent in parents:
            target = target[parent]
        if value is DELETE:
            del target[leaf]
        else:
            target[leaf] = value

    return mutate


def grant_to(address: str, principal: str, privileges: list[str]) -> Callable[[dict], None]:
    def mutate(config: dict) -> None:
        res(config, address)["grant"].append({"principal": principal, "privileges": privileges})

    return mutate


def add_secret_output(config: dict) -> None:
    config["output"]["upload_url"] = {"value": "https://st.blob.core.windows.net/c?sv=2024-01-01&sig=AbCdEf0123456789AbCdEf%2B="}


def add_token_to_pipeline(config: dict) -> None:
    res(config, PL)["configuration"]["clickstream.api"] = "Bearer dapi0123456789abcdef0123456789abcdef"


def add_literal_write_only_secret(config: dict) -> None:
    config["resource"]["azurerm_key_vault_secret"] = {"key": {
        "name": "pseudonymisation-key", "key_vault_id": "${azurerm_key_vault.vault.id}",
        "value_wo": "not-generated-but-typed", "value_wo_version": 1,
    }}


DELETE = object()

# (check id, env, mutation, resource expected to fail, text expected in the details)
FAILING = [
    ("CKV_CLK_1", "dev", setter("azurerm_resource_group.rg", "tags.owner", DELETE), "azurerm_resource_group.rg", "missing tags: owner"),
    ("CKV_CLK_1", "prod", setter(SA, "tags.env", "dev"), SA, "tag env is 'dev'"),
    ("CKV_CLK_1", "dev", setter(WS, "tags", DELETE), WS, "tags missing"),
    ("CKV_CLK_2", "pr-7", setter(SA, "tags.expires-on", DELETE), SA, "expires-on missing"),
    ("CKV_CLK_2", "pr-7", setter(WS, "tags.expires-on", "next week"), WS, "expected a date"),
    ("CKV_CLK_10", "dev", setter(SA, "is_hns_enabled", False), SA, "is_hns_enabled is False"),
    ("CKV_CLK_11", "prod", setter(SA, "shared_access_key_enabled", DELETE), SA, "shared_access_key_enabled is not set"),
    ("CKV_CLK_12", "dev", setter(SA, "infrastructure_encryption_enabled", False), SA, "infrastructure_encryption_enabled"),
    ("CKV_CLK_13", "dev", setter(SA, "min_tls_version", "TLS1_0"), SA, "'TLS1_0'"),
    ("CKV_CLK_14", "dev", setter(SA, "network_rules.default_action", "Allow"), SA, "'Allow'"),
    ("CKV_CLK_14", "prod", setter(SA, "network_rules", DELETE), SA, "no network_rules"),
    ("CKV_CLK_20", "dev", setter(WS, "sku", "standard"), WS, "sku is 'standard'"),
    ("CKV_CLK_21", "dev", setter(WS, "custom_parameters.virtual_network_id", DELETE), WS, "virtual_network_id"),
    ("CKV_CLK_22", "dev", setter(WS, "custom_parameters.no_public_ip", False), WS, "no_public_ip is False"),
    ("CKV_CLK_23", "prod", setter(WS, "public_network_access_enabled", True), WS, "public_network_access_enabled is True"),
    ("CKV_CLK_30", "dev", grant_to("databricks_grants.gold", "jane@example.com", ["SELECT"]), "databricks_grants.gold", "e-mail"),
    ("CKV_CLK_30", "dev", grant_to("databricks_grants.gold", "0b5c7a52-3d4e-4f6a-9a51-0c1c57e4a001", ["SELECT"]),
     "databricks_grants.gold", "application id"),
    ("CKV_CLK_30", "prod", grant_to("databricks_grants.gold", "${databricks_service_principal.producer.application_id}", ["SELECT"]),
     "databricks_grants.gold", "references databricks_service_principal"),
    ("CKV_CLK_30", "prod", grant_to("databricks_grants.gold", group("dev", "data-analysts"), ["SELECT"]),
     "databricks_grants.gold", "not a group of this environment"),
    ("CKV_CLK_31", "dev", grant_to("databricks_grants.bronze", group("dev", "data-analysts"), ["SELECT"]),
     "databricks_grants.bronze", "on bronze"),
    ("CKV_CLK_31", "prod", grant_to("databricks_grants.landing_volume", "${databricks_group.analysts.display_name}", ["READ_VOLUME"]),
     "databricks_grants.landing_volume", "on bronze"),
    ("CKV_CLK_32", "dev", grant_to("databricks_grants.catalog", group("dev", "data-engineers"), ["ALL PRIVILEGES"]),
     "databricks_grants.catalog", "granted ALL_PRIVILEGES"),
    ("CKV_CLK_40", "dev", setter("azurerm_role_assignment.producer_landing", "role_definition_name", "Contributor"),
     "azurerm_role_assignment.producer_landing", "'Contributor' given to azurerm_user_assigned_identity.producer"),
    ("CKV_CLK_40", "prod", setter("azurerm_role_assignment.admins_owner", "principal_id", "${azurerm_user_assigned_identity.producer.principal_id}"),
     "azurerm_role_assignment.admins_owner", "'Owner'"),
    ("CKV_CLK_41", "dev", setter("azurerm_role_assignment.producer_landing", "scope", "${azurerm_storage_account.storage.id}"),
     "azurerm_role_assignment.producer_landing", "producer identity has"),
    ("CKV_CLK_50", "dev", setter(PL, "serverless", False), PL, "serverless is False"),
    ("CKV_CLK_51", "dev", setter(PL, "notification", DELETE), PL, "no notification"),
    ("CKV_CLK_51", "prod", setter(PL, "notification", [{"alerts": ["on-update-success"], "email_recipients": ["a@example.com"]}]),
     PL, "no notification"),
    ("CKV_CLK_52", "prod", setter(PL, "development", True), PL, "development is True"),
    ("CKV_CLK_60", "dev", setter(JOB, "run_as", {"user_name": "jane@example.com"}), JOB, "run_as user"),
    ("CKV_CLK_60", "prod", setter(JOB, "run_as", DELETE), JOB, "no run_as"),
    ("CKV_CLK_60", "dev", setter(PL, "run_as", DELETE), PL, "the pipeline runs as whoever deployed it"),
    ("CKV_CLK_61", "dev", setter(JOB, "timeout_seconds", DELETE), JOB, "timeout_seconds is None"),
    ("CKV_CLK_62", "dev", setter(JOB, "max_concurrent_runs", 0), JOB, "max_concurrent_runs is 0"),
    ("CKV_CLK_63", "dev", setter(JOB, "email_notifications", {"on_success": ["a@example.com"]}), JOB, "on_failure"),
    ("CKV_CLK_70", "dev", setter(WS, "custom_parameters.storage_account_key", "hunter2hunter2"), WS, "secret-named attribute"),
    ("CKV_CLK_70", "prod", add_secret_output, "output", "looks like a SAS token"),
    ("CKV_CLK_70", "pr-7", add_token_to_pipeline, PL, "Databricks personal access token"),
    ("CKV_CLK_70", "dev", add_literal_write_only_secret, "azurerm_key_vault_secret.key", "value_wo: a literal secret value"),
]


def _failed(result, check_id: str) -> dict[str, list[str]]:
    return {r.resource: r.details for r in result.report.failed_checks if r.check_id == check_id}


@pytest.mark.parametrize("env", ["dev", "prod", "pr-7"])
def test_compliant_stack_passes_every_custom_policy(scan, policy_ids, env):
    result = scan(env)
    assert [(r.check_id, r.resource, r.details) for r in result.report.failed_checks] == []
    assert {r.check_id for r in result.report.passed_checks} == set(policy_ids)


@pytest.mark.parametrize(("check_id", "env", "mutate", "resource", "detail"), FAILING,
                         ids=[f"{case[0]}-{case[1]}-{n}" for n, case in enumerate(FAILING)])
def test_policy_fails_the_broken_resource(scan, check_id, env, mutate, resource, detail):
    failed = _failed(scan(env, mutate, checks=[check_id]), check_id)
    assert list(failed) == [resource]
    assert any(detail in line for line in failed[resource]), failed[resource]


def test_every_custom_policy_has_a_failing_case(policy_ids):
    assert {case[0] for case in FAILING} == set(policy_ids)


@pytest.mark.parametrize(("check_id", "mutate"), [
    ("CKV_CLK_23", setter(WS, "public_network_access_enabled", True)),  # prod only
    ("CKV_CLK_52", setter(PL, "development", True)),  # prod only
    ("CKV_CLK_2", None),  # ephemeral only: dev resources carry no expires-on
])
def test_environment_specific_policies_leave_dev_alone(scan, check_id, mutate):
    assert _failed(scan("dev", mutate, checks=[check_id]), check_id) == {}
