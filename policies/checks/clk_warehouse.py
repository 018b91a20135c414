"""The SQL warehouse: serverless, sized and stopped as the environment's config says."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from policies.checkbase import StackCheck, expect
from policies.envconfig import configured
from synthesized.stack import Stack


class ConfiguredWarehouse(StackCheck):
    id = "CKV_CLK_110"
    name = "SQL warehouses are serverless, sized and auto-stopped as the environment's config says"
    severity_name = "MEDIUM"
    remediation = (
        "Set enable_serverless_compute = true, cluster_size, max_num_clusters and auto_stop_mins (> 0: "
        "0 never stops) from the environment's warehouse config (infra warehouse construct)."
    )
    resources = ("databricks_sql_endpoint",)

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        warehouse = configured(stack).warehouse
        yield from expect(resource, "enable_serverless_compute", (True,))
        yield from expect(resource, "cluster_size", (warehouse.cluster_size,))
        yield from expect(resource, "max_num_clusters", (warehouse.max_clusters,), default=1)
        yield from expect(resource, "auto_stop_mins", (warehouse.auto_stop_minutes,), default=120)


configured_warehouse = ConfiguredWarehouse()
