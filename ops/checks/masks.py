"""Check 6: the gold tables' sensitive columns carry the contract's column masks.

The tables and columns come from the pipeline (``gold.SCHEMAS``) and the masks from the
contract (``contract/masks.py``), so a column added to either is checked here without a
second list. Unity Catalog refuses a mask whose function does not exist, so a column
masked by the expected function also proves that the deploy step created it.
"""

from __future__ import annotations

from contract import masks
from ops.checks.context import Check, Context
from ops.report import CheckFailed, Outcome
from pipelines.clickstream import gold


def run(ctx: Context) -> Outcome:
    catalog = ctx.outputs.catalog
    problems: list[str] = []
    checked = 0
    for table, columns in gold.SCHEMAS.items():
        info = ctx.w.tables.get(f"{catalog}.{table}")
        found = {c.name: (c.mask.function_name if c.mask else None) for c in info.columns or []}
        for column, mask in masks.column_masks([name for name, _ in columns]).items():
            checked += 1
            expected = masks.function_name(catalog, mask)
            if column not in found:
                problems.append(f"{table}.{column}: no such column")
            elif found[column] != expected:
                problems.append(f"{table}.{column}: mask {found[column] or 'none'}, expected {expected}")
    if problems:
        raise CheckFailed(f"{len(problems)} of {checked} sensitive columns not masked as the contract says", problems)
    return Outcome(f"{checked} sensitive columns in {len(gold.SCHEMAS)} gold tables are masked")


CHECK = Check("masks", "sensitive gold columns are masked", run)
