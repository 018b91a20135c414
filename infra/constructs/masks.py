"""Column-mask functions (contract/masks.py), created by a deploy step before any update.

Provider 1.99 has no resource for a Unity Catalog SQL function, and a pipeline may not
run ``CREATE FUNCTION``. So the script of ``CREATE OR REPLACE FUNCTION`` statements is a
workspace file (its text is in the plan, so the review shows a changed mask) and a job
runs it as a SQL file task on the warehouse: ``make deploy`` runs that job once after the
apply (``python -m ops masks``), before anything starts a pipeline update (creating or
changing the pipeline does not start one; the producer schedule could, and then fails
and retries until the functions exist). The statements are idempotent, so every deploy
reruns them. Why not a statement-execution call in Terraform (``local-exec``): it would
need credentials on the machine that plans, and runs in the offline mocked apply too.
"""

from __future__ import annotations

import base64

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_databricks.job import (
    Job,
    JobEmailNotifications,
    JobTask,
    JobTaskSqlTask,
    JobTaskSqlTaskFile,
)
from cdktf_cdktf_provider_databricks.workspace_file import WorkspaceFile
from constructs import Construct

from contract import masks
from infra.constructs.base import Context
from infra.constructs.lifecycle import owner_emails

SCRIPT = "deploy/mask_functions.sql"
TASK = "create_mask_functions"


class MaskFunctions(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        ctx: Context,
        catalog: str,
        code_root: str,
        warehouse_id: str,
        group_names: dict[str, str],
        depends_on: list[ITerraformDependable],
    ) -> None:
        super().__init__(scope, id_)
        script = masks.function_statements(catalog, group_names)
        self.script = WorkspaceFile(
            self,
            "script",
            path=f"{code_root}/{SCRIPT}",
            content_base64=base64.b64encode(script.encode()).decode(),
        )
        self.job = Job(
            self,
            "this",
            name=ctx.names.masks_job,
            description="Creates (or replaces) the Unity Catalog column-mask functions; run by the deploy.",
            max_concurrent_runs=1,
            email_notifications=JobEmailNotifications(on_failure=owner_emails(ctx.env)),
            task=[
                JobTask(
                    task_key=TASK,
                    sql_task=JobTaskSqlTask(
                        warehouse_id=warehouse_id,
                        file=JobTaskSqlTaskFile(path=self.script.path, source="WORKSPACE"),
                    ),
                )
            ],
            tags=ctx.tags,
            depends_on=depends_on,
        )
