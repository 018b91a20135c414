"""Column-mask functions (contract/masks.py), created by a deploy step before any update.

Provider 1.99 has no resource for a Unity Catalog SQL function, and a pipeline may not
run ``CREATE FUNCTION``. So each function's ``CREATE OR REPLACE FUNCTION`` statement is a
``databricks_query`` (its SQL is in the plan, so the review shows a changed mask) and a
job runs them as SQL query tasks on the warehouse: ``make deploy`` runs that job once
after the apply (``python -m ops masks``), before anything starts a pipeline update
(creating or changing a pipeline does not start one; a producer run in between fails its
refresh and retries). The statements are idempotent, so every deploy reruns them. Not a
statement-execution call from Terraform (``local-exec``): it would need credentials
where the plan is made, and would run in the offline mocked apply too.
"""

from __future__ import annotations

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_databricks.job import JobTaskSqlTaskQuery
from cdktf_cdktf_provider_databricks.query import Query
from constructs import Construct

from contract import masks
from infra.constructs.base import Context
from infra.constructs.jobs import platform_job, sql_task
from infra.constructs.lifecycle import owner_emails

TIMEOUT_SECONDS = 600


class MaskFunctions(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        catalog: str,
        warehouse_id: str,
        group_names: dict[str, str],
        depends_on: list[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id_)
        self.statements = {
            mask.function: Query(
                self,
                mask.function,
                display_name=ctx.names.mask_statement(mask.function),
                description="Column mask function (contract/masks.py), run by the masks job",
                warehouse_id=warehouse_id,
                query_text=masks.function_statement(catalog, mask, group_names),
                depends_on=depends_on,
            )
            for mask in masks.masks()
        }
        self.job = platform_job(
            self,
            "this",
            ctx=ctx,
            name=ctx.names.masks_job,
            description="Creates (or replaces) the Unity Catalog column-mask functions; run by the deploy.",
            timeout_seconds=TIMEOUT_SECONDS,
            notify_on_failure=owner_emails(ctx.env),
            tasks=[
                sql_task(function, warehouse_id, query=JobTaskSqlTaskQuery(query_id=query.id))
                for function, query in self.statements.items()
            ],
        )
