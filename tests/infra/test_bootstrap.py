"""The bootstrap stack (state backends, deploying identities): a pull request can read no
prod state and write nothing, only `environment:prod` reaches prod, no secret exists."""

from __future__ import annotations

import pytest

from infra.config import Azure, ConfigError, TrustLevel, load_environment
from infra.trust import Identity, check_isolation, load_platform
from tests.infra.synth_json import resources

pytestmark = pytest.mark.slow
PLATFORM = load_platform(environ={})
READ_ONLY_ROLES = {"Reader", "Storage Blob Data Reader"}


def _ref(expression: str) -> str:
    """ "${azuread_service_principal.dev_sp.object_id}" -> "dev_sp"."""
    return expression.removeprefix("${").split(".")[1]


def subjects_by_principal(doc: dict) -> dict[str, set[str]]:
    """Service principal name -> the federated subjects that get a token for it."""
    by_app: dict[str, set[str]] = {}
    for credential in resources(doc, "azuread_application_federated_identity_credential").values():
        by_app.setdefault(_ref(credential["application_id"]), set()).add(credential["subject"])
    return {
        name: by_app.get(_ref(sp["client_id"]), set())
        for name, sp in resources(doc, "azuread_service_principal").items()
    }


def grants(doc: dict) -> list[tuple[str, str, str]]:
    """(principal, role, scope) of every Azure role assignment."""
    return [
        (_ref(a["principal_id"]), a.get("role_definition_name") or a["role_definition_id"], a["scope"])
        for a in resources(doc, "azurerm_role_assignment").values()
    ]


def prod_scopes(doc: dict) -> set[str]:
    """Scopes inside prod: its subscription and every container of prod's state account."""
    prod = PLATFORM.subscriptions[load_environment("prod").azure.subscription]
    containers = {
        f"${{azurerm_storage_container.{name}.id}}"
        for name, c in resources(doc, "azurerm_storage_container").items()
        if c["provider"] == f"azurerm.{load_environment('prod').azure.subscription}"
    }
    return {f"/subscriptions/{prod}"} | containers


def test_every_identity_has_exactly_one_federated_subject_and_no_secret(bootstrap_stack):
    assert all(len(found) == 1 for found in subjects_by_principal(bootstrap_stack).values())
    assert not {"azuread_application_password", "azuread_service_principal_password"} & set(bootstrap_stack["resource"])


def test_an_identity_reachable_from_a_pull_request_reads_no_prod_state_and_writes_nothing(bootstrap_stack):
    from_pull_requests = {
        name
        for name, found in subjects_by_principal(bootstrap_stack).items()
        if any(subject.endswith(":pull_request") for subject in found)
    }
    assert from_pull_requests, "the pull-request level must exist"
    for principal, role, scope in grants(bootstrap_stack):
        if principal in from_pull_requests:
            assert role in READ_ONLY_ROLES, f"{principal} gets {role}"
            assert scope not in prod_scopes(bootstrap_stack), f"{principal} reaches prod: {scope}"
    for assignment in resources(bootstrap_stack, "azuread_app_role_assignment").values():
        if _ref(assignment["principal_object_id"]) in from_pull_requests:
            assert ".Read." in assignment["app_role_id"], assignment["app_role_id"]
    account_admins = {
        _ref(r["service_principal_id"])
        for r in resources(bootstrap_stack, "databricks_service_principal_role").values()
    }
    databricks_apps = {
        _ref(sp["application_id"]) for sp in resources(bootstrap_stack, "databricks_service_principal").values()
    }
    pr_apps = {
        _ref(resources(bootstrap_stack, "azuread_service_principal")[p]["client_id"]) for p in from_pull_requests
    }
    assert not pr_apps & databricks_apps and account_admins


def test_only_environment_prod_reaches_prod(bootstrap_stack):
    subjects = subjects_by_principal(bootstrap_stack)
    reaching = {
        principal for principal, _role, scope in grants(bootstrap_stack) if scope in prod_scopes(bootstrap_stack)
    }
    assert reaching and all(subjects[p] == {f"repo:{PLATFORM.github_repository}:environment:prod"} for p in reaching)


def test_each_state_container_is_written_by_one_identity_and_prod_state_read_by_prod_only(bootstrap_stack):
    by_container: dict[str, set[tuple[str, str]]] = {}
    for principal, role, scope in grants(bootstrap_stack):
        if scope.startswith("${azurerm_storage_container."):
            by_container.setdefault(scope, set()).add((principal, role))
    assert set(by_container) == {
        f"${{azurerm_storage_container.{n}.id}}" for n in resources(bootstrap_stack, "azurerm_storage_container")
    }
    for scope, who in by_container.items():
        assert len([p for p, role in who if role == "Storage Blob Data Contributor"]) == 1, scope
    assert by_container["${azurerm_storage_container.state_prod_prod.id}"] == {
        ("prod_sp", "Storage Blob Data Contributor")
    }


def test_state_accounts_are_entra_only_firewalled_versioned_and_locked(bootstrap_stack):
    accounts = resources(bootstrap_stack, "azurerm_storage_account")
    writing = {
        load_environment(level.environment, {"CLICKSTREAM_EXPIRES_ON": "2026-12-31"}).azure.subscription
        for level in PLATFORM.trust_levels.values()
        if level.access == "deploy"
    }
    assert {a["provider"] for a in accounts.values()} == {f"azurerm.{sub}" for sub in writing}  # one per subscription
    for account in accounts.values():
        assert account["shared_access_key_enabled"] is False and account["min_tls_version"] == "TLS1_2"
        assert account["network_rules"]["default_action"] == "Deny"
        assert account["blob_properties"]["versioning_enabled"] is True
    locked = {_ref(lock["scope"]) for lock in resources(bootstrap_stack, "azurerm_management_lock").values()}
    assert locked == {_ref(a["resource_group_name"]) for a in accounts.values()}


def _identity(level: TrustLevel, env_name: str, subscription: str) -> Identity:
    env = load_environment(env_name, {"CLICKSTREAM_EXPIRES_ON": "2026-12-31"})
    env = env.model_copy(update={"azure": Azure(subscription=subscription, trust_level=env.azure.trust_level)})
    return Identity(level=level, subject=f"repo:o/r:{level.value}", environment=env, access="deploy", needs=None)


def test_two_writing_levels_in_one_subscription_are_refused():
    with pytest.raises(ConfigError, match="ephemeral and dev both write to subscription 'dev'"):
        check_isolation(
            PLATFORM, [_identity(TrustLevel.EPHEMERAL, "pr-1", "dev"), _identity(TrustLevel.DEV, "dev", "dev")]
        )


def test_a_level_deploying_another_levels_environment_is_refused():
    with pytest.raises(ConfigError, match="trust level ephemeral deploys prod"):
        check_isolation(PLATFORM, [_identity(TrustLevel.EPHEMERAL, "prod", "prod")])


def test_the_readme_trust_level_table_is_the_derived_one(synthesized):
    from infra.bootstrap.__main__ import markdown_table
    from tests.conftest import REPO_ROOT

    text = (REPO_ROOT / "README.md").read_text()
    table = text.split("<!-- trust-levels:start -->")[1].split("<!-- trust-levels:end -->")[0].strip()
    assert table == markdown_table(_derived(synthesized)), "regenerate: python -m infra.bootstrap --markdown"


def _derived(synthesized):
    from infra import permissions
    from infra.trust import identities

    return identities(
        PLATFORM,
        {
            level: permissions.synthesized_types(
                synthesized["pr-42" if settings.environment not in synthesized else settings.environment]
            )
            for level, settings in PLATFORM.trust_levels.items()
        },
    )


def test_the_dry_run_prints_each_identity_with_its_subject_roles_scopes_and_state(synthesized):
    from infra.bootstrap.__main__ import describe
    from infra.naming import state_storage_account

    by_level = {i.level: "\n".join(describe(PLATFORM, i)) for i in _derived(synthesized)}
    prod = by_level[TrustLevel.PROD]
    assert f"federated subject  repo:{PLATFORM.github_repository}:environment:prod" in prod
    assert f"Contributor on subscription prod ({PLATFORM.subscriptions['prod']})" in prod
    assert f"Storage Blob Data Contributor on rg-clickstream-tfstate/{state_storage_account('prod')}/prod" in prod
    pull_request = by_level[TrustLevel.PULL_REQUEST]
    assert "Reader on subscription dev" in pull_request and "Contributor" not in pull_request
    assert f"Storage Blob Data Reader on rg-clickstream-tfstate/{state_storage_account('dev')}/dev" in pull_request


def test_applying_the_bootstrap_refuses_the_example_values(synthesized):
    from infra.bootstrap.__main__ import placeholders

    found = placeholders(PLATFORM, _derived(synthesized))
    assert any("subscriptions.prod is a placeholder" in p for p in found)
    assert any("github_repository" in p for p in found) and any("CLICKSTREAM_DATABRICKS_ACCOUNT_ID" in p for p in found)
