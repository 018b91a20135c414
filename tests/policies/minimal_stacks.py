"""Minimal cdktf-shaped stacks that satisfy every policy, to break one rule at a time.

Shaped like the real synth output (infra facts): same resource types, references as
`${type.name.attr}`, group display names clickstream-<env>-<role>."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def tags(env: str) -> dict[str, str]:
    out = {"env": env, "owner": "platform-team@example.com", "cost-center": "data-platform", "managed-by": "cdktf"}
    if env not in ("dev", "prod"):
        out["expires-on"] = "2026-12-31"
    return out


def group(env: str, role: str) -> str:
    return f"clickstream-{env}-{role}"


def compliant_stack(env: str) -> dict[str, Any]:
    """One of each policed resource, every rule met, for environment `env`."""
    t = tags(env)
    catalog = f"clickstream_{env.replace('-', '_')}"
    return {
        "//": {"metadata": {"stackName": env, "backend": "local"}},
        "provider": {"azurerm": [{"features": [{}]}]},
        "output": {"catalog": {"value": catalog}},
        "resource": {
            "azurerm_resource_group": {"rg": {"name": f"rg-clickstream-{env}", "location": "westeurope", "tags": t}},
            "azurerm_storage_account": {
                "storage": {
                    "name": "stclk123456",
                    "resource_group_name": "${azurerm_resource_group.rg.name}",
                    "location": "westeurope",
                    "account_tier": "Standard",
                    "account_replication_type": "ZRS",
                    "is_hns_enabled": True,
                    "shared_access_key_enabled": False,
                    "infrastructure_encryption_enabled": True,
                    "min_tls_version": "TLS1_2",
                    "network_rules": {"default_action": "Deny", "bypass": ["AzureServices"]},
                    "tags": t,
                }
            },
            "azurerm_storage_container": {
                "landing": {"name": "landing", "storage_account_id": "${azurerm_storage_account.storage.id}"},
                "catalog": {"name": "catalog", "storage_account_id": "${azurerm_storage_account.storage.id}"},
            },
            "azurerm_user_assigned_identity": {
                "producer": {"name": f"id-clickstream-{env}-producer", "resource_group_name": "rg", "location": "westeurope", "tags": t}
            },
            "azuread_group": {
                "admins": {"display_name": group(env, "platform-admins"), "security_enabled": True}
            },
            "azurerm_role_assignment": {
                "producer_landing": {
                    "scope": "${azurerm_storage_container.landing.id}",
                    "role_definition_name": "Storage Blob Data Contributor",
                    "principal_id": "${azurerm_user_assigned_identity.producer.principal_id}",
                },
                "admins_owner": {
                    "scope": "${azurerm_resource_group.rg.id}",
                    "role_definition_name": "Owner",
                    "principal_id": "${azuread_group.admins.object_id}",
                },
            },
            "azurerm_databricks_workspace": {
                "workspace": {
                    "name": f"dbw-clickstream-{env}",
                    "resource_group_name": "rg",
                    "location": "westeurope",
                    "sku": "premium",
                    "public_network_access_enabled": env != "prod",
                    "custom_parameters": {
                        "no_public_ip": True,
                        "virtual_network_id": "${azurerm_virtual_network.vnet.id}",
                        "public_subnet_name": "snet-public",
                        "private_subnet_name": "snet-private",
                        "public_subnet_network_security_group_association_id": "${azurerm_subnet_network_security_group_association.public.id}",
                        "private_subnet_network_security_group_association_id": "${azurerm_subnet_network_security_group_association.private.id}",
                    },
                    "tags": t,
                }
            },
            "databricks_group": {
                "analysts": {"display_name": group(env, "data-analysts")},
            },
            "databricks_schema": {
                "bronze": {"catalog_name": catalog, "name": "bronze"},
                "gold": {"catalog_name": catalog, "name": "gold"},
            },
            "databricks_volume": {
                "landing": {"catalog_name": catalog, "schema_name": "${databricks_schema.bronze.name}", "name": "landing"}
            },
            "databricks_grants": {
                "catalog": {
                    "catalog": catalog,
                    "grant": [
                        {"principal": group(env, "platform-admins"), "privileges": ["ALL_PRIVILEGES"]},
                        {"principal": "${databricks_group.analysts.display_name}", "privileges": ["USE_CATALOG"]},
                    ],
                },
                "bronze": {
                    "schema": "${databricks_schema.bronze.id}",
                    "grant": [{"principal": group(env, "data-engineers"), "privileges": ["USE_SCHEMA", "SELECT"]}],
                },
                "gold": {
                    "schema": "${databricks_schema.gold.id}",
                    "grant": [{"principal": group(env, "data-analysts"), "privileges": ["USE_SCHEMA", "SELECT"]}],
                },
                "landing_volume": {
                    "volume": "${databricks_volume.landing.id}",
                    "grant": [{"principal": group(env, "producers"), "privileges": ["READ_VOLUME", "WRITE_VOLUME"]}],
                },
            },
            "databricks_pipeline": {
                "pipeline": {
                    "name": f"clickstream-{env}",
                    "serverless": True,
                    "catalog": catalog,
                    "schema": "bronze",
                    "development": env == "dev",
                    "configuration": {"clickstream.secret_scope": "clickstream", "clickstream.secret_key": "pseudonymisation-key"},
                    "notification": [{"alerts": ["on-update-failure", "on-update-fatal-failure"], "email_recipients": ["alerts@example.com"]}],
                    "run_as": {"service_principal_name": "${databricks_service_principal.pipeline.application_id}"},
                }
            },
            "databricks_service_principal": {
                "producer": {"application_id": "${azurerm_user_assigned_identity.producer.client_id}"},
                "pipeline": {"display_name": f"clickstream-{env}-pipeline"},
            },
            "databricks_job": {
                "producer": {
                    "name": f"clickstream-{env}-producer",
                    "run_as": {"service_principal_name": "${databricks_service_principal.producer.application_id}"},
                    "timeout_seconds": 1800,
                    "max_concurrent_runs": 1,
                    "email_notifications": {"on_failure": ["alerts@example.com"]},
                }
            },
        },
    }


def write_stack(outdir: Path, env: str, config: dict[str, Any]) -> Path:
    path = outdir / "stacks" / env / "cdk.tf.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path
