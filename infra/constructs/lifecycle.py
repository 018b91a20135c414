"""Cost control of one environment: how long landing data lives, and a monthly budget.

Landing files move to the cool tier after ``storage.lifecycle.cool_after_days`` and are
deleted after ``storage.lifecycle.delete_after_days`` (since last modification); without
``cool_after_days`` (ephemeral) they are deleted without tiering, as the cool tier bills
30 days at least. The budget watches the resource group and e-mails the owners at the
configured percentages; its start date is fixed config (changing it replaces the budget).
"""

from __future__ import annotations

from cdktf_cdktf_provider_azurerm.consumption_budget_resource_group import (
    ConsumptionBudgetResourceGroup,
    ConsumptionBudgetResourceGroupNotification,
    ConsumptionBudgetResourceGroupTimePeriod,
)
from cdktf_cdktf_provider_azurerm.storage_management_policy import (
    StorageManagementPolicy,
    StorageManagementPolicyRule,
    StorageManagementPolicyRuleActions,
    StorageManagementPolicyRuleActionsBaseBlob,
    StorageManagementPolicyRuleFilters,
)
from constructs import Construct

from infra.config import Environment
from infra.constructs.base import Context


def owner_emails(env: Environment) -> list[str]:
    """Who is told: the environment's owner and its alert addresses, once each, in order."""
    return list(dict.fromkeys([env.owner, *env.alert_emails]))


class LandingLifecycle(Construct):
    """Storage management policy on the lake: the landing container's blobs expire."""

    def __init__(self, scope: Construct, id_: str, *, ctx: Context, storage_account_id: str, container: str) -> None:
        super().__init__(scope, id_)
        lifecycle = ctx.env.storage.lifecycle
        self.this = StorageManagementPolicy(
            self,
            "this",
            storage_account_id=storage_account_id,
            rule=[
                StorageManagementPolicyRule(
                    name=ctx.names.expiry_rule(container),
                    enabled=True,
                    filters=StorageManagementPolicyRuleFilters(
                        blob_types=["blockBlob"], prefix_match=[f"{container}/"]
                    ),
                    actions=StorageManagementPolicyRuleActions(
                        base_blob=StorageManagementPolicyRuleActionsBaseBlob(
                            tier_to_cool_after_days_since_modification_greater_than=lifecycle.cool_after_days,
                            delete_after_days_since_modification_greater_than=lifecycle.delete_after_days,
                        )
                    ),
                )
            ],
        )


class CostBudget(Construct):
    """Monthly budget on the environment's resource group, notifications to the owners."""

    def __init__(self, scope: Construct, id_: str, *, ctx: Context, resource_group_id: str) -> None:
        super().__init__(scope, id_)
        budget = ctx.env.budget
        emails = owner_emails(ctx.env)
        thresholds = [("Actual", p) for p in budget.actual_percentages] + [
            ("Forecasted", p) for p in budget.forecasted_percentages
        ]
        self.this = ConsumptionBudgetResourceGroup(
            self,
            "this",
            name=ctx.names.budget,
            resource_group_id=resource_group_id,
            amount=budget.amount,
            time_grain="Monthly",
            time_period=ConsumptionBudgetResourceGroupTimePeriod(
                start_date=f"{budget.start_date.isoformat()}T00:00:00Z"
            ),
            notification=[
                ConsumptionBudgetResourceGroupNotification(
                    enabled=True,
                    operator="GreaterThanOrEqualTo",
                    threshold=percent,
                    threshold_type=kind,
                    contact_emails=emails,
                )
                for kind, percent in thresholds
            ],
        )
