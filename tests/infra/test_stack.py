"""The synthesized stacks contain the whole platform with its security properties.

All tests share one synth of dev, prod and pr-42 (tests/conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from contract import rbac
from infra.config import load_environment
from infra.constructs.code import REPO_ROOT, source_files
from infra.constructs.principals import ENTRA_ROLES
from infra.constructs.secrets import KEY_MATERIAL, KEY_MATERIAL_REF
from infra.naming import Names
from policies.secret_literals import find_secrets
from synthesized import resource_types
from synthesized.resource_types import When
from tests.conftest import ALLOWED_IP_RANGES, EXPIRES_ON, SYNTH_ENVS, synth_into
from tests.infra.synth_json import all_strings, named, only, reference_type, referenced, resources

pytestmark = pytest.mark.slow

SYNTH_VARIABLES = {"CLICKSTREAM_EXPIRES_ON": EXPIRES_ON}
CONFIGS = {name: load_environment(name, SYNTH_VARIABLES) for name in SYNTH_ENVS}
WITH_RANGES = {"CLICKSTREAM_ALLOWED_IP_RANGES": ALLOWED_IP_RANGES}


@pytest.fixture(scope="module")
def with_ranges(tmp_path_factory) -> dict[str, dict]:
    """Every environment synthesized as a deploy does: with the egress ranges preflight requires."""
    envs = ("dev", "prod", "pr-42")
    outdir = synth_into(tmp_path_factory.mktemp("ranges"), envs, WITH_RANGES)
    return {env: json.loads((outdir / "stacks" / env / "cdk.tf.json").read_text()) for env in envs}


REQUIRED_TYPES = set(resource_types.held(when=When.ALWAYS))
PRIVATE_ONLY_TYPES = set(resource_types.held(when=When.PRIVATE))
PUBLIC_ONLY_TYPES = set(resource_types.held(when=When.ALLOWED_RANGES))  # with allowed ranges
LOCK_TYPES = set(resource_types.held(when=When.DELETION_LOCKS))
OUTPUTS = {
    "workspace_url",
    "workspace_id",
    "workspace_resource_id",
    "catalog",
    "landing_path",
    "landing_volume_path",
    "storage_account",
    "key_vault_name",
    "secret_scope",
    "pipeline_id",
    "pipeline_url",
    "producer_job_id",
    "warehouse_id",
    "alerts_job_id",
    "masks_job_id",
    "producer_client_id",
    "groups",
}
ENVS = pytest.mark.parametrize("env", SYNTH_ENVS)


@ENVS
def test_stack_contains_the_whole_platform_and_outputs(synthesized, env):
    doc = synthesized[env]
    config = CONFIGS[env]
    expected = set(REQUIRED_TYPES)
    expected |= (
        PRIVATE_ONLY_TYPES
        if not config.network.public_network_access
        else (PUBLIC_ONLY_TYPES if config.network.allowed_ip_ranges else set())
    )
    expected |= LOCK_TYPES if config.protection.deletion_locks else set()
    assert set(doc["resource"]) == expected
    assert set(doc["output"]) == OUTPUTS


@ENVS
def test_storage_account_is_secure_by_default(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    account = only(doc, "azurerm_storage_account")
    assert account["is_hns_enabled"] is True
    assert account["min_tls_version"] == "TLS1_2"
    assert account["shared_access_key_enabled"] is False
    assert account["infrastructure_encryption_enabled"] is True
    assert account["allow_nested_items_to_be_public"] is False
    assert account["public_network_access_enabled"] is config.network.public_network_access
    rules = account["network_rules"]
    assert rules["default_action"] == "Deny" and "AzureServices" in rules["bypass"]
    kind, _ = referenced(doc, rules["private_link_access"][0]["endpoint_resource_id"].replace(".id}", ".id}"))
    assert kind == "azurerm_databricks_access_connector"
    blob = account["blob_properties"]
    assert blob["delete_retention_policy"]["days"] == config.storage.soft_delete_days
    assert blob["container_delete_retention_policy"]["days"] == config.storage.soft_delete_days
    assert account["account_replication_type"] == config.storage.replication
    assert {c["name"] for c in resources(doc, "azurerm_storage_container").values()} == {"landing", "catalog"}


@ENVS
def test_firewalls_let_through_the_allowed_ranges_in_the_form_azurerm_accepts(with_ranges, env):
    """azurerm refuses /31 and /32 in storage IP rules: a single address is written bare."""
    doc = with_ranges[env]
    expected = ["20.50.60.0/24", "40.74.28.5"]
    assert only(doc, "azurerm_storage_account")["network_rules"]["ip_rules"] == expected
    assert only(doc, "azurerm_key_vault")["network_acls"]["ip_rules"] == expected


@ENVS
def test_public_workspace_answers_only_the_allowed_ranges(with_ranges, env):
    doc, config = with_ranges[env], load_environment(env, {**SYNTH_VARIABLES, **WITH_RANGES})
    if not config.network.public_network_access:  # prod: no public front end to filter
        assert not resources(doc, "databricks_ip_access_list")
        return
    conf = only(doc, "databricks_workspace_conf")
    assert conf["custom_config"] == {"enableIpAccessLists": "true"}
    allow = only(doc, "databricks_ip_access_list")
    assert allow["list_type"] == "ALLOW"
    assert allow["ip_addresses"] == list(config.network.allowed_ip_ranges) == ["20.50.60.0/24", "40.74.28.5"]
    assert [d.split(".")[0] for d in allow["depends_on"]] == ["databricks_workspace_conf"]


def _role_assignments(doc: dict) -> list[tuple[str, str, str]]:
    """(principal resource type, role, scope target) of every role assignment."""
    out = []
    for assignment in resources(doc, "azurerm_role_assignment").values():
        principal = assignment["principal_id"]
        principal_kind = reference_type(principal)
        scope = assignment["scope"]
        target = reference_type(scope) or scope
        if principal_kind == "azurerm_storage_container" or target == "azurerm_storage_container":
            _, container = referenced(doc, scope)
            target = f"azurerm_storage_container:{container['name']}"
        out.append((principal_kind, assignment["role_definition_name"], target))
    return sorted(out)


@ENVS
def test_workload_identities_have_least_privilege_roles(synthesized, env):
    assert _role_assignments(synthesized[env]) == sorted(
        [
            ("azurerm_user_assigned_identity", "Storage Blob Data Contributor", "azurerm_storage_container:landing"),
            ("azurerm_databricks_access_connector", "Storage Blob Data Contributor", "azurerm_storage_account"),
            ("azurerm_databricks_access_connector", "Storage Queue Data Contributor", "azurerm_storage_account"),
            (
                "azurerm_databricks_access_connector",
                "EventGrid EventSubscription Contributor",
                "azurerm_resource_group",
            ),
            ("data", "Key Vault Secrets Officer", "azurerm_key_vault"),
            ("data", "Key Vault Secrets User", "azurerm_key_vault"),
        ]
    )


@ENVS
def test_key_vault_holds_a_generated_key_and_backs_the_secret_scope(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    vault = only(doc, "azurerm_key_vault")
    assert vault["rbac_authorization_enabled"] is True
    assert vault["purge_protection_enabled"] is config.protection.key_vault_purge_protection
    assert vault["soft_delete_retention_days"] == config.protection.key_vault_soft_delete_days
    assert vault["network_acls"]["default_action"] == "Deny"
    scope = only(doc, "databricks_secret_scope")
    assert referenced(doc, scope["keyvault_metadata"]["resource_id"])[0] == "azurerm_key_vault"


@ENVS
def test_key_is_ephemeral_and_written_write_only_with_the_configured_version(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    assert doc["ephemeral"] == {"random_password": {KEY_MATERIAL: {"length": 64, "special": False}}}
    assert "random_password" not in doc["resource"]  # a resource would keep the key in state
    secret = only(doc, "azurerm_key_vault_secret")
    assert "value" not in secret
    assert secret["value_wo"] == KEY_MATERIAL_REF
    assert secret["value_wo_version"] == config.secret.key_version
    kind, expiry = referenced(doc, secret["expiration_date"])
    assert kind == "time_offset" and secret["expiration_date"].endswith(".rfc3339}")
    assert expiry["offset_days"] == config.secret.expiry_days
    assert expiry["triggers"] == {"key_version": str(config.secret.key_version)}  # new key, new expiry


@ENVS
def test_no_sensitive_value_reaches_state_through_the_configuration(synthesized, env):
    """Only the write-only argument may name the ephemeral key; nothing reads a stored password."""
    found = [
        (path, value)
        for path, value in all_strings({k: v for k, v in synthesized[env].items() if k != "ephemeral"})
        if "random_password." in value and not path.endswith(".value_wo")
    ]
    assert found == []
    for kind in ("azurerm_key_vault_secret", "databricks_secret"):
        assert all("value" not in r and "string_value" not in r for r in resources(synthesized[env], kind).values())


@ENVS
def test_workspace_is_premium_vnet_injected_without_public_ips(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    workspace = only(doc, "azurerm_databricks_workspace")
    assert workspace["sku"] == "premium"
    params = workspace["custom_parameters"]
    assert params["no_public_ip"] is True
    assert referenced(doc, params["virtual_network_id"])[0] == "azurerm_virtual_network"
    assert workspace["public_network_access_enabled"] is config.network.public_network_access
    delegated = [s for s in resources(doc, "azurerm_subnet").values() if s.get("delegation")]
    assert {d["delegation"][0]["service_delegation"]["name"] for d in delegated} == {"Microsoft.Databricks/workspaces"}
    assert len(delegated) == 2
    associated = {a["subnet_id"] for a in resources(doc, "azurerm_subnet_network_security_group_association").values()}
    assert {
        f"${{azurerm_subnet.{name}.id}}" for name, s in resources(doc, "azurerm_subnet").items() if s.get("delegation")
    } <= associated
    endpoints = resources(doc, "azurerm_private_endpoint").values()
    subresources = sorted(e["private_service_connection"]["subresource_names"][0] for e in endpoints)
    assert subresources == (
        [] if config.network.public_network_access else ["blob", "databricks_ui_api", "dfs", "vault"]
    )


@ENVS
def test_diagnostics_cover_workspace_storage_and_key_vault(synthesized, env):
    doc = synthesized[env]
    targets = {
        reference_type(s["target_resource_id"]) for s in resources(doc, "azurerm_monitor_diagnostic_setting").values()
    }
    assert targets == {"azurerm_databricks_workspace", "azurerm_storage_account", "azurerm_key_vault"}


@ENVS
def test_groups_exist_in_entra_and_databricks_and_reach_the_workspace(synthesized, env):
    doc = synthesized[env]
    names = Names(env=env, location=CONFIGS[env].location)
    entra = resources(doc, "azuread_group").values()
    assert {g["display_name"] for g in entra} == {names.group(r) for r in ENTRA_ROLES}
    assert all(g["security_enabled"] and g["owners"] for g in entra)
    account_groups = resources(doc, "databricks_group").values()
    assert {g["display_name"] for g in account_groups} == {names.group(r) for r in rbac.ROLES}
    assert sum(1 for g in account_groups if "external_id" in g) == len(ENTRA_ROLES)
    assert all(g["provider"] == "databricks.account" for g in account_groups)
    levels = sorted(a["permissions"][0] for a in resources(doc, "databricks_mws_permission_assignment").values())
    assert levels == sorted(rbac.WORKSPACE_ACCESS.values())


def _securable(doc: dict, kind: str, value: str, env: str) -> rbac.Securable:
    if kind == "catalog":
        return rbac.THE_CATALOG
    _, resource = referenced(doc, value)
    if kind == "schema":
        return rbac.Securable(rbac.SCHEMA, resource["name"])
    if kind == "volume":
        return rbac.Securable(rbac.VOLUME, f"{rbac.LANDING_SCHEMA}.{resource['name']}")
    return rbac.Securable(rbac.EXTERNAL_LOCATION, resource["name"].removeprefix(f"clickstream-{env}-"))


def synthesized_grants(doc: dict, env: str) -> dict[rbac.Securable, dict[str, frozenset[str]]]:
    grants = {}
    prefix = f"clickstream-{env}-"
    for resource in resources(doc, "databricks_grants").values():
        kind = next(k for k in ("catalog", "schema", "volume", "external_location") if k in resource)
        securable = _securable(doc, kind, resource[kind], env)
        for grant in resource["grant"]:
            assert grant["principal"].startswith(prefix), f"grant to a non-group principal: {grant['principal']}"
            grants.setdefault(securable, {})[grant["principal"].removeprefix(prefix)] = frozenset(grant["privileges"])
    return grants


def readme_matrix() -> dict[str, dict[str, str]]:
    """The README's access matrix: row label -> role -> cell text."""
    text = (REPO_ROOT / "README.md").read_text()
    table = text.split("<!-- rbac-matrix:start -->")[1].split("<!-- rbac-matrix:end -->")[0].strip().splitlines()
    header = [c.strip() for c in table[0].strip("|").split("|")][1:]
    rows = {}
    for line in table[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = dict(zip(header, cells[1:], strict=False))
    return rows


README_ROWS = {
    rbac.THE_CATALOG: "catalog `clickstream_<env>`",
    rbac.Securable(rbac.SCHEMA, "bronze"): "schema `bronze`",
    rbac.Securable(rbac.SCHEMA, "silver"): "schema `silver`",
    rbac.Securable(rbac.SCHEMA, "gold"): "schema `gold`",
    rbac.LANDING_VOLUME_SECURABLE: "volume `bronze.landing`",
    rbac.LANDING_LOCATION_SECURABLE: "external location `landing`",
}


def _cells(rows: dict[str, dict[str, str]], label: str) -> dict[str, frozenset[str]]:
    return {role: frozenset(p.strip() for p in cell.split(",")) for role, cell in rows[label].items() if cell}


def _matrix() -> dict[rbac.Securable, dict[str, frozenset[str]]]:
    return {s: {r: rbac.privileges(s, r) for r in rbac.ROLES if rbac.privileges(s, r)} for s in rbac.securables()}


@ENVS
def test_unity_catalog_grants_equal_the_access_matrix(synthesized, env):
    assert synthesized_grants(synthesized[env], env) == _matrix()


def test_readme_documents_exactly_the_access_matrix():
    rows = readme_matrix()
    assert set(README_ROWS) == set(_matrix())
    for securable, label in README_ROWS.items():
        assert _cells(rows, label) == _matrix()[securable], label
    labels = {
        "pipeline": "pipeline",
        "producer_job": "producer job",
        "warehouse": "SQL warehouse",
        "code_folder": "code folder",
    }
    assert set(labels) == set(rbac.WORKSPACE_PERMISSIONS)
    for obj, label in labels.items():
        assert {r: next(iter(c)) for r, c in _cells(rows, label).items()} == rbac.WORKSPACE_PERMISSIONS[obj]
    assert {r: next(iter(c)) for r, c in _cells(rows, "secret scope").items()} == rbac.SECRET_SCOPE_PERMISSIONS
    assert {r: next(iter(c)) for r, c in _cells(rows, "workspace").items()} == rbac.WORKSPACE_ACCESS


@ENVS
def test_workspace_object_permissions_follow_the_matrix(synthesized, env):
    doc = synthesized[env]
    by_object = {}
    owners = {}
    kinds = {
        "pipeline_id": "pipeline",
        "job_id": "producer_job",
        "sql_endpoint_id": "warehouse",
        "directory_path": "code_folder",
    }
    for perm in resources(doc, "databricks_permissions").values():
        obj = kinds[next(k for k in kinds if k in perm)]
        groups = [acl for acl in perm["access_control"] if "group_name" in acl]
        by_object[obj] = {
            acl["group_name"].removeprefix(f"clickstream-{env}-"): acl["permission_level"] for acl in groups
        }
        individuals = [acl for acl in perm["access_control"] if "group_name" not in acl]
        if individuals:
            owners[obj] = individuals[-1]
    assert by_object == rbac.WORKSPACE_PERMISSIONS
    # Besides groups only the pipeline's owner, its run-as service principal.
    pipeline = only(doc, "databricks_pipeline")
    assert owners == {
        "pipeline": {
            "service_principal_name": pipeline["run_as"]["service_principal_name"],
            "permission_level": "IS_OWNER",
        }
    }


@ENVS
def test_pipeline_runs_as_its_own_service_principal_in_the_pipelines_group(synthesized, env):
    doc = synthesized[env]
    job = named(doc, "databricks_job", Names(env=env, location=CONFIGS[env].location).producer_job)
    pipeline = only(doc, "databricks_pipeline")
    kind, runner = referenced(doc, pipeline["run_as"]["service_principal_name"])
    assert kind == "databricks_service_principal" and pipeline["run_as"]["service_principal_name"].endswith(
        ".application_id}"
    )
    assert runner["display_name"] == f"clickstream-{env}-pipeline"
    assert "application_id" not in runner  # Databricks-managed: no Azure identity, no Azure access
    assert pipeline["run_as"] != job["run_as"]  # not the producer, not the deployer
    members = {
        referenced(doc, m["group_id"])[1]["display_name"]: referenced(doc, m["member_id"])[1]["display_name"]
        for m in resources(doc, "databricks_group_member").values()
    }
    assert members[f"clickstream-{env}-{rbac.PIPELINES}"] == runner["display_name"]
    [acl] = resources(doc, "databricks_secret_acl").values()
    assert (acl["principal"], acl["permission"]) == (f"clickstream-{env}-{rbac.PIPELINES}", "READ")
    assert referenced(doc, acl["scope"])[0] == "databricks_secret_scope"


@ENVS
def test_code_lives_in_a_folder_only_the_deployer_and_admins_can_write(synthesized, env):
    doc = synthesized[env]
    names = Names(env=env, location=CONFIGS[env].location)
    assert not names.code_root.startswith("/Workspace/Shared")  # every user may write there
    folder = only(doc, "databricks_directory")
    assert folder["path"] == names.code_folder and names.code_root == f"/Workspace{folder['path']}"
    [perm] = [p for p in resources(doc, "databricks_permissions").values() if "directory_path" in p]
    assert referenced(doc, perm["directory_path"])[0] == "databricks_directory"
    writers = {
        acl["group_name"] for acl in perm["access_control"] if acl["permission_level"] in ("CAN_EDIT", "CAN_MANAGE")
    }
    assert writers == {names.group(rbac.PLATFORM_ADMINS)}
    files = resources(doc, "databricks_workspace_file").values()
    # In the API's form, without /Workspace (the provider stores what the API returns).
    assert all(f["path"].startswith(folder["path"] + "/") for f in files)
    assert all(any(d.startswith("databricks_permissions.code_permissions") for d in f["depends_on"]) for f in files)


@ENVS
def test_catalog_schemas_and_landing_volume(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    names = Names(env=env, location=config.location)
    catalog = only(doc, "databricks_catalog")
    assert catalog["name"] == names.catalog
    assert catalog["storage_root"].startswith("abfss://catalog@")
    assert catalog["force_destroy"] is config.protection.force_destroy_data
    assert sorted(s["name"] for s in resources(doc, "databricks_schema").values()) == sorted(rbac.SCHEMAS)
    volume = only(doc, "databricks_volume")
    assert volume["volume_type"] == "EXTERNAL" and volume["storage_location"].startswith("abfss://landing@")
    credential = only(doc, "databricks_storage_credential")
    assert (
        referenced(doc, credential["azure_managed_identity"]["access_connector_id"])[0]
        == "azurerm_databricks_access_connector"
    )
    assert sorted(loc["url"].split("@")[0] for loc in resources(doc, "databricks_external_location").values()) == [
        "abfss://catalog",
        "abfss://landing",
    ]


@ENVS
def test_pipeline_is_serverless_with_config_driven_settings(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    names = Names(env=env, location=config.location)
    pipeline = only(doc, "databricks_pipeline")
    assert pipeline["serverless"] is True
    assert pipeline["development"] is config.pipeline.development
    assert pipeline["continuous"] is config.pipeline.continuous
    assert pipeline["library"] == [{"glob": {"include": f"{names.code_root}/pipelines/transformations/**"}}]
    assert pipeline["root_path"] == names.code_root
    assert pipeline["configuration"]["clickstream.landing_path"] == f"/Volumes/{names.catalog}/bronze/landing"
    assert pipeline["configuration"]["clickstream.secret_key"] == "pseudonymisation-key"
    assert pipeline["notification"][0]["email_recipients"] == list(config.alert_emails)
    assert "on-update-failure" in pipeline["notification"][0]["alerts"]


@ENVS
def test_producer_job_runs_as_service_principal_on_schedule_then_refreshes_pipeline(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    name = Names(env=env, location=config.location).producer_job
    job = named(doc, "databricks_job", name)
    assert referenced(doc, job["run_as"]["service_principal_name"])[0] == "databricks_service_principal"
    assert job["max_concurrent_runs"] == 1
    assert job["timeout_seconds"] == config.producer.timeout_minutes * 60
    assert job["email_notifications"]["on_failure"] == list(config.alert_emails)
    assert job["schedule"]["quartz_cron_expression"] == config.producer.schedule
    assert job["schedule"]["pause_status"] == ("PAUSED" if config.producer.schedule_paused else "UNPAUSED")
    produce, refresh = job["task"]
    assert (produce["task_key"], refresh["task_key"]) == ("produce", "refresh_pipeline")
    assert produce["spark_python_task"]["python_file"].endswith("/producer/databricks_job.py")
    assert str(config.producer.events_per_run) in produce["spark_python_task"]["parameters"]
    assert refresh["depends_on"] == [{"task_key": "produce"}]
    assert referenced(doc, refresh["pipeline_task"]["pipeline_id"])[0] == "databricks_pipeline"
    dependencies = job["environment"][0]["spec"]["dependencies"]
    assert dependencies and all(re.fullmatch(r"[a-z0-9-]+==[0-9.]+", d) for d in dependencies)


@ENVS
def test_warehouse_is_serverless_and_stops_itself(synthesized, env):
    doc, config = synthesized[env], CONFIGS[env]
    warehouse = only(doc, "databricks_sql_endpoint")
    assert warehouse["enable_serverless_compute"] is True
    assert warehouse["auto_stop_mins"] == config.warehouse.auto_stop_minutes
    assert warehouse["cluster_size"] == config.warehouse.cluster_size


@ENVS
def test_providers_use_entra_id_and_the_workspace_of_the_same_stack(synthesized, env):
    doc = synthesized[env]
    assert doc["provider"]["azurerm"][0]["storage_use_azuread"] is True
    workspace, account = doc["provider"]["databricks"]
    assert "azurerm_databricks_workspace" in workspace["host"]
    assert "azurerm_databricks_workspace" in workspace["azure_workspace_resource_id"]
    assert account["alias"] == "account" and account["host"] == "https://accounts.azuredatabricks.net"
    assert "required_version" not in doc["terraform"]  # checkov crashes on it (#7454)


def _taggable_azurerm_types() -> set[str]:
    """azurerm resource types whose binding has a ``tags`` argument."""
    import cdktf_cdktf_provider_azurerm as package

    root = Path(package.__file__).parent
    return {
        f"azurerm_{module.name}"
        for module in root.iterdir()
        if (module / "__init__.py").exists()
        and "        tags: typing.Optional[typing.Mapping[builtins.str, builtins.str]] = None,"
        in (module / "__init__.py").read_text()
    }


@ENVS
def test_every_taggable_resource_carries_the_standard_tags(synthesized, env):
    doc = synthesized[env]
    taggable = _taggable_azurerm_types() & set(doc["resource"])
    required = {"env", "owner", "cost-center", "managed-by"} | ({"expires-on"} if CONFIGS[env].is_ephemeral else set())
    assert "azurerm_storage_account" in taggable and "azurerm_resource_group" in taggable
    for kind in taggable:
        for name, resource in resources(doc, kind).items():
            assert required <= set(resource.get("tags", {})), f"{kind}.{name} lacks tags"
            assert resource["tags"]["env"] == env


def test_dev_and_prod_differ_only_where_their_config_differs(synthesized):
    dev, prod = synthesized["dev"], synthesized["prod"]
    extra_in_prod = set(prod["resource"]) - set(dev["resource"])
    assert extra_in_prod == PRIVATE_ONLY_TYPES | LOCK_TYPES
    assert set(dev["resource"]) - set(prod["resource"]) == (
        PUBLIC_ONLY_TYPES if CONFIGS["dev"].network.allowed_ip_ranges else set()
    )
    for kind in set(dev["resource"]) - PRIVATE_ONLY_TYPES - PUBLIC_ONLY_TYPES - LOCK_TYPES:
        assert resources(dev, kind).keys() == resources(prod, kind).keys(), kind


@ENVS
def test_every_source_file_is_uploaded_from_a_relative_path_with_its_digest(synthesized, env):
    doc = synthesized[env]
    uploaded = {
        f["source"].removeprefix("${path.module}/../../../"): f
        for f in resources(doc, "databricks_workspace_file").values()
    }
    assert set(uploaded) == {p.as_posix() for p in source_files()}
    assert "producer/databricks_job.py" in uploaded
    import hashlib

    for relative, resource in uploaded.items():
        assert resource["md5"] == hashlib.md5((REPO_ROOT / relative).read_bytes()).hexdigest()


# Stricter than the policy's known credential shapes: no long opaque literal at all.
OPAQUE_LITERAL = re.compile(r"^(?![$]\{|/)(?!.*://)(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9+/=_-]{40,}$")


@ENVS
def test_no_secret_looking_literal_in_the_configuration(synthesized, env):
    assert list(find_secrets(synthesized[env])) == []
    for path, value in all_strings(synthesized[env]):
        if path.endswith(".md5") or ".//" in path:
            continue
        assert not OPAQUE_LITERAL.search(value), f"long opaque literal at {path}"


def test_synth_is_deterministic(synthesized_outdir, tmp_path):
    from tests.conftest import synth_into

    again = synth_into(tmp_path / "again")
    for env in SYNTH_ENVS:
        first = (synthesized_outdir / "stacks" / env / "cdk.tf.json").read_bytes()
        second = (again / "stacks" / env / "cdk.tf.json").read_bytes()
        assert first == second, f"{env}: two synths differ"
