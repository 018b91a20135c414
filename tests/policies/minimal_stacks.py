"""Minimal cdktf-shaped stacks that satisfy every policy, to break one rule at a time.

Shaped like the real synth output (infra facts): same resource types, references as
`${type.name.attr}`, group display names clickstream-<env>-<role>."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from contract import rbac
from policies.envconfig import environment

NCC_ID = "${databricks_mws_network_connectivity_config.ncc.network_connectivity_config_id}"
PUBLIC_NSG_ASSOCIATION = "${azurerm_subnet_network_security_group_association.public.id}"
PRIVATE_NSG_ASSOCIATION = "${azurerm_subnet_network_security_group_association.private.id}"


def tags(env: str) -> dict[str, str]:
    out = {"env": env, "owner": "platform-team@example.com", "cost-center": "data-platform", "managed-by": "cdktf"}
    if env not in ("dev", "prod"):
        out["expires-on"] = "2026-12-31"
    return out


def group(env: str, role: str) -> str:
    return f"clickstream-{env}-{role}"


def matrix_grants(env: str, securable: rbac.Securable) -> list[dict[str, Any]]:
    """The access matrix's grants on `securable`, as a databricks_grants grant list."""
    return [
        {"principal": group(env, role), "privileges": sorted(rbac.privileges(securable, role))}
        for role in rbac.ROLES
        if rbac.privileges(securable, role)
    ]


def matrix_permissions(env: str, obj: str) -> list[dict[str, str]]:
    return [
        {"group_name": group(env, role), "permission_level": level}
        for role, level in rbac.WORKSPACE_PERMISSIONS[obj].items()
    ]


def compliant_stack(env: str) -> dict[str, Any]:
    """One of each policed resource, every rule met, for environment `env` (values that
    differ between environments come from its typed config, as in the real synth)."""
    t = tags(env)
    cfg = environment(env)
    lifecycle = cfg.storage.lifecycle
    catalog = f"clickstream_{env.replace('-', '_')}"
    # Where the config asks for deletion protection: prevent_destroy (locks are optional).
    protected = {"lifecycle": {"prevent_destroy": True}} if cfg.protection.deletion_locks else {}
    catalog_grants = matrix_grants(env, rbac.THE_CATALOG)
    catalog_grants[2]["principal"] = "${databricks_group.analysts.display_name}"  # a reference, as synthesized
    logged = {
        "log_analytics_workspace_id": "${azurerm_log_analytics_workspace.logs.id}",
        "enabled_log": [{"category_group": "allLogs"}],
    }
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
                    "account_replication_type": cfg.storage.replication,
                    "blob_properties": {"delete_retention_policy": {"days": cfg.storage.soft_delete_days}},
                    "is_hns_enabled": True,
                    "shared_access_key_enabled": False,
                    "infrastructure_encryption_enabled": True,
                    "min_tls_version": "TLS1_2",
                    "network_rules": {"default_action": "Deny", "bypass": ["AzureServices"]},
                    "tags": t,
                    **protected,
                }
            },
            "azurerm_storage_management_policy": {
                "lifecycle": {
                    "storage_account_id": "${azurerm_storage_account.storage.id}",
                    "rule": [
                        {
                            "name": "landing-expiry",
                            "enabled": True,
                            "filters": {"blob_types": ["blockBlob"], "prefix_match": ["landing/"]},
                            "actions": {
                                "base_blob": {
                                    "delete_after_days_since_modification_greater_than": lifecycle.delete_after_days,
                                    **(
                                        {"tier_to_cool_after_days_since_modification_greater_than": cool}
                                        if (cool := lifecycle.cool_after_days)
                                        else {}
                                    ),
                                }
                            },
                        }
                    ],
                }
            },
            "azurerm_consumption_budget_resource_group": {
                "budget": {
                    "name": f"budget-rg-clickstream-{env}",
                    "resource_group_id": "${azurerm_resource_group.rg.id}",
                    "amount": cfg.budget.amount,
                    "time_grain": "Monthly",
                    "time_period": {"start_date": f"{cfg.budget.start_date.isoformat()}T00:00:00Z"},
                    "notification": [
                        {
                            "enabled": True,
                            "threshold": p,
                            "threshold_type": kind,
                            "operator": "GreaterThanOrEqualTo",
                            "contact_emails": [cfg.owner],
                        }
                        for kind, percentages in (
                            ("Actual", cfg.budget.actual_percentages),
                            ("Forecasted", cfg.budget.forecasted_percentages),
                        )
                        for p in percentages
                    ],
                }
            },
            "azurerm_key_vault": {
                "vault": {
                    "name": f"kv-clk-{env}",
                    "resource_group_name": "rg",
                    "location": "westeurope",
                    "sku_name": "premium",
                    "tenant_id": "${data.azurerm_client_config.client.tenant_id}",
                    "rbac_authorization_enabled": True,
                    "tags": t,
                    **protected,
                },
            },
            "azurerm_log_analytics_workspace": {
                "logs": {
                    "name": f"log-clickstream-{env}",
                    "resource_group_name": "rg",
                    "location": "westeurope",
                    "sku": "PerGB2018",
                    "retention_in_days": cfg.observability.log_retention_days,
                    "tags": t,
                }
            },
            "azurerm_monitor_diagnostic_setting": {
                "blob": {
                    "name": "to-log-analytics",
                    "target_resource_id": "${azurerm_storage_account.storage.id}/blobServices/default",
                    **logged,
                },
                "queue": {
                    "name": "to-log-analytics",
                    "target_resource_id": "${azurerm_storage_account.storage.id}/queueServices/default",
                    **logged,
                },
                "workspace": {
                    "name": "to-log-analytics",
                    "target_resource_id": "${azurerm_databricks_workspace.workspace.id}",
                    **logged,
                },
                "vault": {"name": "to-log-analytics", "target_resource_id": "${azurerm_key_vault.vault.id}", **logged},
            },
            "azurerm_private_endpoint": {
                "workspace": {
                    "name": f"pe-clickstream-{env}-workspace",
                    "resource_group_name": "rg",
                    "location": "westeurope",
                    "subnet_id": "${azurerm_subnet.endpoints.id}",
                    "tags": t,
                    "private_service_connection": {
                        "name": "workspace",
                        "is_manual_connection": False,
                        "subresource_names": ["databricks_ui_api"],
                        "private_connection_resource_id": "${azurerm_databricks_workspace.workspace.id}",
                    },
                }
            },
            "databricks_mws_ncc_binding": {
                "binding": {
                    "network_connectivity_config_id": NCC_ID,
                    "workspace_id": "${azurerm_databricks_workspace.workspace.workspace_id}",
                }
            },
            "databricks_mws_ncc_private_endpoint_rule": {
                sub: {
                    "network_connectivity_config_id": NCC_ID,
                    "resource_id": "${azurerm_storage_account.storage.id}",
                    "group_id": sub,
                }
                for sub in ("dfs", "blob")
            },
            "azurerm_storage_container": {
                "landing": {"name": "landing", "storage_account_id": "${azurerm_storage_account.storage.id}"},
                "catalog": {"name": "catalog", "storage_account_id": "${azurerm_storage_account.storage.id}"},
            },
            "azurerm_user_assigned_identity": {
                "producer": {
                    "name": f"id-clickstream-{env}-producer",
                    "resource_group_name": "rg",
                    "location": "westeurope",
                    "tags": t,
                }
            },
            "azuread_group": {"admins": {"display_name": group(env, "platform-admins"), "security_enabled": True}},
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
                "deployer_secrets_officer": {  # the deployer writes the generated key
                    "scope": "${azurerm_key_vault.vault.id}",
                    "role_definition_name": "Key Vault Secrets Officer",
                    "principal_id": "${data.azurerm_client_config.client.object_id}",
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
                        "public_subnet_network_security_group_association_id": PUBLIC_NSG_ASSOCIATION,
                        "private_subnet_network_security_group_association_id": PRIVATE_NSG_ASSOCIATION,
                    },
                    "tags": t,
                    **protected,
                }
            },
            "databricks_group": {
                "analysts": {"display_name": group(env, "data-analysts")},
                "admins": {"display_name": group(env, "platform-admins")},
            },
            "databricks_mws_permission_assignment": {
                "admins": {
                    "principal_id": "${databricks_group.admins.id}",
                    "permissions": ["ADMIN"],
                    "workspace_id": "${azurerm_databricks_workspace.workspace.workspace_id}",
                },
            },
            "databricks_catalog": {
                "catalog": {"name": catalog, "force_destroy": cfg.protection.force_destroy_data, **protected},
            },
            "databricks_schema": {
                "bronze": {"catalog_name": catalog, "name": "bronze", "force_destroy": False},
                "gold": {"catalog_name": catalog, "name": "gold"},
            },
            "databricks_volume": {
                "landing": {
                    "catalog_name": catalog,
                    "schema_name": "${databricks_schema.bronze.name}",
                    "name": "landing",
                }
            },
            "databricks_grants": {
                "catalog": {"catalog": catalog, "grant": catalog_grants},
                "bronze": {
                    "schema": "${databricks_schema.bronze.id}",
                    "grant": matrix_grants(env, rbac.Securable(rbac.SCHEMA, "bronze")),
                },
                "gold": {
                    "schema": "${databricks_schema.gold.id}",
                    "grant": matrix_grants(env, rbac.Securable(rbac.SCHEMA, "gold")),
                },
                "landing_volume": {
                    "volume": "${databricks_volume.landing.id}",
                    "grant": matrix_grants(env, rbac.LANDING_VOLUME_SECURABLE),
                },
            },
            "databricks_permissions": {
                "pipeline": {
                    "pipeline_id": "${databricks_pipeline.pipeline.id}",
                    "access_control": matrix_permissions(env, "pipeline"),
                },
                "job": {
                    "job_id": "${databricks_job.producer.id}",
                    "access_control": matrix_permissions(env, "producer_job"),
                },
            },
            "databricks_sql_endpoint": {
                "warehouse": {
                    "name": f"clickstream-{env}-bi",
                    "enable_serverless_compute": True,
                    "cluster_size": cfg.warehouse.cluster_size,
                    "max_num_clusters": cfg.warehouse.max_clusters,
                    "auto_stop_mins": cfg.warehouse.auto_stop_minutes,
                }
            },
            "databricks_pipeline": {
                "pipeline": {
                    "name": f"clickstream-{env}",
                    "serverless": True,
                    "catalog": catalog,
                    "schema": "bronze",
                    "development": cfg.pipeline.development,
                    "continuous": cfg.pipeline.continuous,
                    "channel": cfg.pipeline.channel,
                    "configuration": {
                        "clickstream.secret_scope": "clickstream",
                        "clickstream.secret_key": "pseudonymisation-key",
                    },
                    "notification": [
                        {
                            "alerts": ["on-update-failure", "on-update-fatal-failure"],
                            "email_recipients": ["alerts@example.com"],
                        }
                    ],
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
                    "schedule": {
                        "quartz_cron_expression": cfg.producer.schedule,
                        "timezone_id": "UTC",
                        "pause_status": "PAUSED" if cfg.producer.schedule_paused else "UNPAUSED",
                    },
                }
            },
        },
    }


def write_stack(outdir: Path, env: str, config: dict[str, Any]) -> Path:
    path = outdir / "stacks" / env / "cdk.tf.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    return path
