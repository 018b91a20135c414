"""Cost control: landing files expire as the environment's config says, and the resource
group has the configured monthly budget."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck, blocks, first_block
from policies.envconfig import configured
from synthesized.stack import Stack

MANAGEMENT_POLICY = "azurerm_storage_management_policy"
BUDGET = "azurerm_consumption_budget_resource_group"
LANDING_PREFIX = "landing/"
DELETE, COOL = (f"{action}_after_days_since_modification_greater_than" for action in ("delete", "tier_to_cool"))
# The cool tier bills 30 days at least: tiering a blob deleted sooner than that costs more.
COOL_MINIMUM_DAYS = 30


def landing_actions(stack: Stack, address: str) -> Iterator[dict[str, Any]]:
    """The base_blob actions of every enabled management-policy rule on landing/ of the account."""
    for policy in stack.resources(MANAGEMENT_POLICY).values():
        found = stack.referenced(policy.get("storage_account_id"))
        if not found or found[0].address != address:
            continue
        for rule in blocks(policy.get("rule")):
            if rule.get("enabled") is not False and LANDING_PREFIX in (
                first_block(rule, "filters").get("prefix_match") or []
            ):
                yield first_block(first_block(rule, "actions"), "base_blob")


class LandingLifecycle(StackCheck):
    id = "CKV_CLK_100"
    name = "Landing files are deleted (and cooled only when worth it) as the environment's config says"
    severity_name = "MEDIUM"
    remediation = (
        "Give the storage account an azurerm_storage_management_policy rule on prefix landing/ deleting "
        "after storage.lifecycle.delete_after_days, tiering to cool after cool_after_days only when the "
        f"blob then stays cool {COOL_MINIMUM_DAYS} days or more (infra lifecycle construct)."
    )
    resources = ("azurerm_storage_account",)

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        lifecycle = configured(stack).storage.lifecycle
        rules = list(landing_actions(stack, f"{resource_type}.{name}"))
        if not rules:
            yield f"no enabled management policy rule on {LANDING_PREFIX}: landing files are kept forever"
        for actions in rules:
            delete, cool = actions.get(DELETE), actions.get(COOL)
            if delete != lifecycle.delete_after_days:
                yield f"{LANDING_PREFIX} deleted after {delete!r} days; expected {lifecycle.delete_after_days}"
            if cool != lifecycle.cool_after_days:
                yield f"{LANDING_PREFIX} cooled after {cool!r} days; expected {lifecycle.cool_after_days!r}"
            if isinstance(cool, int) and isinstance(delete, int) and delete - cool < COOL_MINIMUM_DAYS:
                yield (
                    f"{LANDING_PREFIX} cooled after {cool} days but deleted {delete - cool} days later (< "
                    f"{COOL_MINIMUM_DAYS})"
                )


class MonthlyBudget(StackCheck):
    id = "CKV_CLK_101"
    name = "The resource group has the environment's monthly budget, alerting its owner"
    severity_name = "MEDIUM"
    remediation = (
        "Add an azurerm_consumption_budget_resource_group on the resource group: amount = budget.amount, "
        "time_grain Monthly, a notification to the owner per configured actual/forecasted percentage."
    )
    resources = ("azurerm_resource_group",)
    category = CheckCategories.GENERAL_SECURITY

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        env = configured(stack)
        budgets = [
            b
            for b in stack.resources(BUDGET).values()
            if (found := stack.referenced(b.get("resource_group_id"))) and found[0].address == f"{resource_type}.{name}"
        ]
        if not budgets:
            yield "no budget on the resource group"
        wanted = {("Actual", p) for p in env.budget.actual_percentages} | {
            ("Forecasted", p) for p in env.budget.forecasted_percentages
        }
        for budget in budgets:
            if budget.get("amount") != env.budget.amount or budget.get("time_grain", "Monthly") != "Monthly":
                yield (
                    f"budget {budget.get('amount')!r} per {budget.get('time_grain')!r}; expected "
                    f"{env.budget.amount} Monthly"
                )
            told = {
                (n.get("threshold_type", "Actual"), n.get("threshold"))
                for n in blocks(budget.get("notification"))
                if n.get("enabled") is not False and env.owner in (n.get("contact_emails") or [])
            }
            for kind, percent in sorted(wanted - told):
                yield f"no notification to {env.owner} at {percent}% {kind.lower()}"


landing_lifecycle = LandingLifecycle()
monthly_budget = MonthlyBudget()
