"""Every custom policy: the compliant minimal stack passes it, and one mutation fails it
on the resource it should, with a message saying what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.policies.minimal_stacks import compliant_stack, group

SA, WS = "azurerm_storage_account.storage", "azurerm_databricks_workspace.workspace"
PL, JOB = "databricks_pipeline.pipeline", "databricks_job.producer"
CAT, RG = "databricks_catalog.catalog", "azurerm_resource_group.rg"
LAW, WH = "azurerm_log_analytics_workspace.logs", "databricks_sql_endpoint.warehouse"
RULE = "azurerm_storage_management_policy.lifecycle"
PRODUCER_ROLE = "azurerm_role_assignment.producer_landing"


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


def both(*mutations: Callable[[dict], None]) -> Callable[[dict], None]:
    def mutate(config: dict) -> None:
        for one in mutations:
            one(config)

    return mutate


def remove(resource_type: str, name: str) -> Callable[[dict], None]:
    def mutate(config: dict) -> None:
        del config["resource"][resource_type][name]

    return mutate


def landing_actions(**actions: Any) -> Callable[[dict], None]:
    def mutate(config: dict) -> None:
        base = res(config, RULE)["rule"][0]["actions"]["base_blob"]
        base.update(actions)
        for key in [k for k, v in base.items() if v is DELETE]:
            del base[key]

    return mutate


def add_secret_output(config: dict) -> None:
    config["output"]["upload_url"] = {
        "value": "https://st.blob.core.windows.net/c?sv=2024-01-01&sig=AbCdEf0123456789AbCdEf%2B="
    }


def add_token_to_pipeline(config: dict) -> None:
    res(config, PL)["configuration"]["clickstream.api"] = "Bearer dapi0123456789abcdef0123456789abcdef"


def add_literal_write_only_secret(config: dict) -> None:
    config["resource"]["azurerm_key_vault_secret"] = {
        "key": {
            "name": "pseudonymisation-key",
            "key_vault_id": "${azurerm_key_vault.vault.id}",
            "value_wo": "not-generated-but-typed",
            "value_wo_version": 1,
        }
    }


DELETE = object()

# (check id, env, mutation, resource expected to fail, text expected in the details)
FAILING = [
    (
        "CKV_CLK_1",
        "dev",
        setter("azurerm_resource_group.rg", "tags.owner", DELETE),
        "azurerm_resource_group.rg",
        "missing tags: owner",
    ),
    ("CKV_CLK_1", "prod", setter(SA, "tags.env", "dev"), SA, "tag env is 'dev'"),
    ("CKV_CLK_1", "dev", setter(WS, "tags", DELETE), WS, "tags missing"),
    ("CKV_CLK_2", "pr-7", setter(SA, "tags.expires-on", DELETE), SA, "expires-on missing"),
    ("CKV_CLK_2", "pr-7", setter(WS, "tags.expires-on", "next week"), WS, "expected a date"),
    ("CKV_CLK_10", "dev", setter(SA, "is_hns_enabled", False), SA, "is_hns_enabled is False"),
    ("CKV_CLK_11", "prod", setter(SA, "shared_access_key_enabled", DELETE), SA, "shared_access_key_enabled is not set"),
    (
        "CKV_CLK_12",
        "dev",
        setter(SA, "infrastructure_encryption_enabled", False),
        SA,
        "infrastructure_encryption_enabled",
    ),
    ("CKV_CLK_13", "dev", setter(SA, "min_tls_version", "TLS1_0"), SA, "'TLS1_0'"),
    ("CKV_CLK_14", "dev", setter(SA, "network_rules.default_action", "Allow"), SA, "'Allow'"),
    ("CKV_CLK_14", "prod", setter(SA, "network_rules", DELETE), SA, "no network_rules"),
    (
        "CKV_CLK_15",
        "prod",
        setter(SA, "account_replication_type", "LRS"),
        SA,
        "account_replication_type is 'LRS'; expected 'GZRS'",
    ),
    ("CKV_CLK_15", "dev", setter(SA, "blob_properties", DELETE), SA, "blob soft delete keeps None days; expected >= 7"),
    ("CKV_CLK_20", "dev", setter(WS, "sku", "standard"), WS, "sku is 'standard'"),
    ("CKV_CLK_21", "dev", setter(WS, "custom_parameters.virtual_network_id", DELETE), WS, "virtual_network_id"),
    ("CKV_CLK_22", "dev", setter(WS, "custom_parameters.no_public_ip", False), WS, "no_public_ip is False"),
    (
        "CKV_CLK_23",
        "prod",
        setter(WS, "public_network_access_enabled", True),
        WS,
        "public_network_access_enabled is True",
    ),
    (
        "CKV_CLK_24",
        "prod",
        remove("azurerm_private_endpoint", "workspace"),
        WS,
        "no databricks_ui_api private endpoint",
    ),
    (
        "CKV_CLK_24",
        "prod",
        remove("databricks_mws_ncc_private_endpoint_rule", "dfs"),
        WS,
        "no private endpoint rule to the lake's dfs",
    ),
    (
        "CKV_CLK_30",
        "dev",
        grant_to("databricks_grants.gold", "jane@example.com", ["SELECT"]),
        "databricks_grants.gold",
        "e-mail",
    ),
    (
        "CKV_CLK_30",
        "dev",
        grant_to("databricks_grants.gold", "0b5c7a52-3d4e-4f6a-9a51-0c1c57e4a001", ["SELECT"]),
        "databricks_grants.gold",
        "application id",
    ),
    (
        "CKV_CLK_30",
        "prod",
        grant_to("databricks_grants.gold", "${databricks_service_principal.producer.application_id}", ["SELECT"]),
        "databricks_grants.gold",
        "references databricks_service_principal",
    ),
    (
        "CKV_CLK_30",
        "prod",
        grant_to("databricks_grants.gold", group("dev", "data-analysts"), ["SELECT"]),
        "databricks_grants.gold",
        "not a group of this environment",
    ),
    (
        "CKV_CLK_31",
        "dev",
        grant_to("databricks_grants.bronze", group("dev", "data-analysts"), ["SELECT"]),
        "databricks_grants.bronze",
        "on bronze",
    ),
    (
        "CKV_CLK_31",
        "prod",
        grant_to("databricks_grants.landing_volume", "${databricks_group.analysts.display_name}", ["READ_VOLUME"]),
        "databricks_grants.landing_volume",
        "on bronze",
    ),
    (
        "CKV_CLK_32",
        "dev",
        grant_to("databricks_grants.catalog", group("dev", "data-engineers"), ["ALL PRIVILEGES"]),
        "databricks_grants.catalog",
        "granted ALL_PRIVILEGES",
    ),
    (
        "CKV_CLK_33",
        "dev",
        setter(
            "databricks_permissions.job",
            "access_control",
            [{"user_name": "jane@example.com", "permission_level": "CAN_VIEW"}],
        ),
        "databricks_permissions.job",
        "CAN_VIEW given to user_name 'jane@example.com'",
    ),
    (
        "CKV_CLK_33",
        "prod",
        setter(
            "databricks_mws_permission_assignment.admins", "principal_id", "${databricks_service_principal.producer.id}"
        ),
        "databricks_mws_permission_assignment.admins",
        "not a databricks_group",
    ),
    (
        "CKV_CLK_34",
        "dev",
        setter(
            "databricks_permissions.pipeline",
            "access_control",
            [{"group_name": group("dev", "data-analysts"), "permission_level": "CAN_MANAGE"}],
        ),
        "databricks_permissions.pipeline",
        "data-analysts holds 'CAN_MANAGE'; the matrix says 'CAN_VIEW'",
    ),
    (
        "CKV_CLK_34",
        "prod",
        setter("databricks_mws_permission_assignment.admins", "permissions", ["USER"]),
        "databricks_mws_permission_assignment.admins",
        "expected 'ADMIN'",
    ),
    (
        "CKV_CLK_35",
        "dev",
        grant_to("databricks_grants.landing_volume", group("dev", "producers"), ["MANAGE"]),
        "databricks_grants.landing_volume",
        "producers holds MANAGE on volume 'bronze.landing' beyond the matrix",
    ),
    (
        "CKV_CLK_35",
        "pr-7",
        setter("databricks_grants.gold", "grant", []),
        "databricks_grants.gold",
        "data-analysts lacks SELECT, USE_SCHEMA",
    ),
    (
        "CKV_CLK_40",
        "dev",
        setter(PRODUCER_ROLE, "role_definition_name", "Key Vault Secrets Officer"),
        PRODUCER_ROLE,
        "'Key Vault Secrets Officer'",
    ),
    (
        "CKV_CLK_40",
        "prod",
        setter("azurerm_role_assignment.deployer_secrets_officer", "role_definition_name", "Owner"),
        "azurerm_role_assignment.deployer_secrets_officer",
        "'Owner' given to",
    ),
    (
        "CKV_CLK_40",
        "dev",
        setter(
            PRODUCER_ROLE,
            "role_definition_id",
            "/providers/Microsoft.Authorization/roleDefinitions/b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ),
        PRODUCER_ROLE,
        "'Storage Blob Data Owner'",
    ),
    (
        "CKV_CLK_40",
        "dev",
        setter("azurerm_role_assignment.producer_landing", "role_definition_name", "Contributor"),
        "azurerm_role_assignment.producer_landing",
        "'Contributor' given to azurerm_user_assigned_identity.producer",
    ),
    (
        "CKV_CLK_40",
        "prod",
        setter(
            "azurerm_role_assignment.admins_owner",
            "principal_id",
            "${azurerm_user_assigned_identity.producer.principal_id}",
        ),
        "azurerm_role_assignment.admins_owner",
        "'Owner'",
    ),
    (
        "CKV_CLK_41",
        "dev",
        setter("azurerm_role_assignment.producer_landing", "scope", "${azurerm_storage_account.storage.id}"),
        "azurerm_role_assignment.producer_landing",
        "producer identity has",
    ),
    (
        "CKV_CLK_42",
        "dev",
        setter(PRODUCER_ROLE, "scope", "/subscriptions/00000000-0000-0000-0000-000000000000"),
        PRODUCER_ROLE,
        "is not the id of a resource of this environment's stack",
    ),
    (
        "CKV_CLK_42",
        "prod",
        setter(PRODUCER_ROLE, "scope", "${data.azurerm_subscription.current.id}"),
        PRODUCER_ROLE,
        "not the id of a resource",
    ),
    (
        "CKV_CLK_43",
        "dev",
        setter(PRODUCER_ROLE, "role_definition_name", "Storage Blob Data Reader"),
        PRODUCER_ROLE,
        "producer-identity holds 'Storage Blob Data Reader' on landing-container: not in the least-privilege list",
    ),
    (
        "CKV_CLK_43",
        "prod",
        setter("azurerm_role_assignment.deployer_secrets_officer", "scope", "${azurerm_resource_group.rg.id}"),
        "azurerm_role_assignment.deployer_secrets_officer",
        "deployer holds 'Key Vault Secrets Officer' on resource-group",
    ),
    (
        "CKV_CLK_43",
        "pr-7",
        setter(PRODUCER_ROLE, "principal_id", "${azurerm_user_assigned_identity.other.principal_id}"),
        PRODUCER_ROLE,
        "'${azurerm_user_assigned_identity.other.principal_id}' holds",
    ),
    ("CKV_CLK_50", "dev", setter(PL, "serverless", False), PL, "serverless is False"),
    ("CKV_CLK_51", "dev", setter(PL, "notification", DELETE), PL, "no notification"),
    (
        "CKV_CLK_51",
        "prod",
        setter(PL, "notification", [{"alerts": ["on-update-success"], "email_recipients": ["a@example.com"]}]),
        PL,
        "no notification",
    ),
    ("CKV_CLK_52", "prod", setter(PL, "development", True), PL, "development is True"),
    ("CKV_CLK_53", "dev", setter(PL, "development", False), PL, "development is False; expected True"),
    ("CKV_CLK_53", "prod", setter(PL, "continuous", True), PL, "continuous is True"),
    ("CKV_CLK_60", "dev", setter(JOB, "run_as", {"user_name": "jane@example.com"}), JOB, "run_as user"),
    ("CKV_CLK_60", "prod", setter(JOB, "run_as", DELETE), JOB, "no run_as"),
    ("CKV_CLK_60", "dev", setter(PL, "run_as", DELETE), PL, "the pipeline runs as whoever deployed it"),
    ("CKV_CLK_61", "dev", setter(JOB, "timeout_seconds", DELETE), JOB, "timeout_seconds is None"),
    ("CKV_CLK_62", "dev", setter(JOB, "max_concurrent_runs", 0), JOB, "max_concurrent_runs is 0"),
    ("CKV_CLK_63", "dev", setter(JOB, "email_notifications", {"on_success": ["a@example.com"]}), JOB, "on_failure"),
    (
        "CKV_CLK_64",
        "pr-7",
        setter(JOB, "schedule.pause_status", "UNPAUSED"),
        JOB,
        "pause_status is 'UNPAUSED'; expected 'PAUSED'",
    ),
    ("CKV_CLK_64", "prod", setter(JOB, "schedule", DELETE), JOB, "no schedule"),
    (
        "CKV_CLK_70",
        "dev",
        setter(WS, "custom_parameters.storage_account_key", "hunter2hunter2"),
        WS,
        "secret-named attribute",
    ),
    ("CKV_CLK_70", "prod", add_secret_output, "output", "looks like a SAS token"),
    ("CKV_CLK_70", "pr-7", add_token_to_pipeline, PL, "Databricks personal access token"),
    (
        "CKV_CLK_80",
        "prod",
        setter(SA, "lifecycle", DELETE),
        SA,
        "neither lifecycle.prevent_destroy = true nor a CanNotDelete lock",
    ),
    (
        "CKV_CLK_80",
        "prod",
        both(setter(CAT, "lifecycle", {"prevent_destroy": False}), setter(CAT, "force_destroy", True)),
        CAT,
        "catalog with force_destroy = true and no lifecycle.prevent_destroy",
    ),
    ("CKV_CLK_81", "dev", setter(CAT, "force_destroy", True), CAT, "force_destroy is True; expected False"),
    (
        "CKV_CLK_81",
        "prod",
        setter("databricks_schema.bronze", "force_destroy", True),
        "databricks_schema.bronze",
        "force_destroy is True",
    ),
    ("CKV_CLK_90", "prod", setter(LAW, "retention_in_days", 30), LAW, "retention_in_days is 30; expected >= 365"),
    ("CKV_CLK_91", "dev", remove("azurerm_monitor_diagnostic_setting", "queue"), SA, "queueServices/default"),
    (
        "CKV_CLK_91",
        "prod",
        setter("azurerm_monitor_diagnostic_setting.workspace", "enabled_log", DELETE),
        WS,
        "no diagnostic setting",
    ),
    (
        "CKV_CLK_100",
        "dev",
        remove("azurerm_storage_management_policy", "lifecycle"),
        SA,
        "landing files are kept forever",
    ),
    (
        "CKV_CLK_100",
        "prod",
        landing_actions(delete_after_days_since_modification_greater_than=45),
        SA,
        "cooled after 30 days but deleted 15 days later (< 30)",
    ),
    (
        "CKV_CLK_100",
        "pr-7",
        landing_actions(tier_to_cool_after_days_since_modification_greater_than=1),
        SA,
        "cooled after 1 days; expected None",
    ),
    (
        "CKV_CLK_101",
        "dev",
        remove("azurerm_consumption_budget_resource_group", "budget"),
        RG,
        "no budget on the resource group",
    ),
    (
        "CKV_CLK_101",
        "prod",
        setter("azurerm_consumption_budget_resource_group.budget", "notification", []),
        RG,
        "no notification to platform-team@example.com at 80% actual",
    ),
    ("CKV_CLK_110", "dev", setter(WH, "auto_stop_mins", 0), WH, "auto_stop_mins is 0"),
    ("CKV_CLK_110", "prod", setter(WH, "cluster_size", "Large"), WH, "cluster_size is 'Large'; expected 'Small'"),
    (
        "CKV_CLK_70",
        "dev",
        add_literal_write_only_secret,
        "azurerm_key_vault_secret.key",
        "value_wo: a literal secret value",
    ),
]


def _failed(result, check_id: str) -> dict[str, list[str]]:
    return {r.resource: r.details for r in result.report.failed_checks if r.check_id == check_id}


@pytest.mark.parametrize("env", ["dev", "prod", "pr-7"])
def test_compliant_stack_passes_every_custom_policy(scan, policy_ids, env):
    result = scan(env)
    assert [(r.check_id, r.resource, r.details) for r in result.report.failed_checks] == []
    assert {r.check_id for r in result.report.passed_checks} == set(policy_ids)


@pytest.mark.parametrize(
    ("check_id", "env", "mutate", "resource", "detail"),
    FAILING,
    ids=[f"{case[0]}-{case[1]}-{n}" for n, case in enumerate(FAILING)],
)
def test_policy_fails_the_broken_resource(scan, check_id, env, mutate, resource, detail):
    failed = _failed(scan(env, mutate, checks=[check_id]), check_id)
    assert list(failed) == [resource]
    assert any(detail in line for line in failed[resource]), failed[resource]


def test_every_custom_policy_has_a_failing_case(policy_ids):
    assert {case[0] for case in FAILING} == set(policy_ids)


def lock(address: str) -> Callable[[dict], None]:
    def mutate(config: dict) -> None:
        res(config, address).pop("lifecycle")
        config["resource"].setdefault("azurerm_management_lock", {})["lake"] = {
            "name": "protect-lake",
            "lock_level": "CanNotDelete",
            "scope": f"${{{address}.id}}",
        }

    return mutate


def test_a_delete_lock_protects_as_well_as_prevent_destroy(scan):
    assert _failed(scan("prod", lock(SA), checks=["CKV_CLK_80"]), "CKV_CLK_80") == {}


def test_a_catalog_without_force_destroy_needs_no_prevent_destroy(scan):
    assert _failed(scan("prod", setter(CAT, "lifecycle", DELETE), checks=["CKV_CLK_80"]), "CKV_CLK_80") == {}


def test_ephemeral_environments_may_drop_their_data_and_skip_the_cool_tier(scan):
    result = scan("pr-7", setter(CAT, "force_destroy", True), checks=["CKV_CLK_80", "CKV_CLK_81", "CKV_CLK_100"])
    assert result.report.failed_checks == []


@pytest.mark.parametrize(
    ("check_id", "mutate"),
    [
        ("CKV_CLK_23", setter(WS, "public_network_access_enabled", True)),  # prod only
        ("CKV_CLK_52", setter(PL, "development", True)),  # prod only
        ("CKV_CLK_2", None),  # ephemeral only: dev resources carry no expires-on
        ("CKV_CLK_24", remove("azurerm_private_endpoint", "workspace")),  # only without public network access
        ("CKV_CLK_80", None),  # only where the config asks for deletion protection: dev has no prevent_destroy, no lock
    ],
)
def test_environment_specific_policies_leave_dev_alone(scan, check_id, mutate):
    assert _failed(scan("dev", mutate, checks=[check_id]), check_id) == {}


@pytest.mark.parametrize("check_id", ["CKV_CLK_15", "CKV_CLK_100"])
def test_config_driven_checks_fail_closed_without_a_valid_config(policy_ids, tmp_path, monkeypatch, check_id):
    from infra.config import ConfigError
    from policies import envconfig, runner
    from synthesized.stack import Stack

    stack = Stack(path=tmp_path / "cdk.tf.json", env="pr-9", config=compliant_stack("pr-9"))

    def invalid(name, environ=None):
        raise ConfigError("storage.replication: input should be 'LRS', ...")

    monkeypatch.setattr(envconfig, "load_environment", invalid)
    envconfig.environment.cache_clear()
    [problem] = runner.our_checks()[check_id].findings(stack, "azurerm_storage_account", "storage")
    assert problem.startswith("cannot evaluate: environment 'pr-9': storage.replication")
