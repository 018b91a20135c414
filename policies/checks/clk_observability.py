"""Observability: the stateful resources log to the environment's Log Analytics workspace,
which keeps the logs as long as the environment's config says."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck, blocks
from policies.envconfig import configured
from synthesized.stack import Stack, parse_reference

LOG_WORKSPACE = "azurerm_log_analytics_workspace"
# Resource type -> the sub-resources whose logs must be shipped ("" is the resource itself).
LOGGED = {
    "azurerm_storage_account": ("/blobServices/default", "/queueServices/default"),
    "azurerm_key_vault": ("",),
    "azurerm_databricks_workspace": ("",),
}


class LogRetention(StackCheck):
    id = "CKV_CLK_90"
    name = "Log Analytics keeps logs at least as long as the environment's config says"
    severity_name = "MEDIUM"
    remediation = "Set retention_in_days to observability.log_retention_days of the environment (prod: 365)."
    resources = (LOG_WORKSPACE,)
    category = CheckCategories.LOGGING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        wanted = configured(stack).observability.log_retention_days
        days = resource.get("retention_in_days")
        if not isinstance(days, int) or days < wanted:
            yield f"retention_in_days is {days!r}; expected >= {wanted} (observability.log_retention_days)"


def shipped_logs(stack: Stack) -> set[tuple[str, str]]:
    """(resource address, sub-resource suffix) of every diagnostic setting that sends logs
    to a Log Analytics workspace of this stack."""
    found = set()
    for setting in stack.resources("azurerm_monitor_diagnostic_setting").values():
        workspace = stack.referenced(setting.get("log_analytics_workspace_id"))
        target = str(setting.get("target_resource_id") or "")
        base, brace, suffix = target.partition("}")
        ref = parse_reference(base + brace)
        if workspace and workspace[0].type == LOG_WORKSPACE and ref and blocks(setting.get("enabled_log")):
            found.add((ref.address, suffix))
    return found


class DiagnosticLogs(StackCheck):
    id = "CKV_CLK_91"
    name = "Storage (blob and queue), Key Vault and workspace send their logs to Log Analytics"
    severity_name = "MEDIUM"
    remediation = (
        "Add an azurerm_monitor_diagnostic_setting (enabled_log category_group allLogs) targeting the "
        "resource (storage: its blobServices/default and queueServices/default) and the environment's "
        "Log Analytics workspace (infra observability construct)."
    )
    resources = tuple(LOGGED)
    category = CheckCategories.LOGGING

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        shipped = shipped_logs(stack)
        for suffix in LOGGED[resource_type]:
            if (f"{resource_type}.{name}", suffix) not in shipped:
                yield f"no diagnostic setting sends the logs of {name}{suffix} to Log Analytics"


log_retention = LogRetention()
diagnostic_logs = DiagnosticLogs()
