"""The verification checks, in the order they run (each builds on the one before)."""

from ops.checks import catalog, gold, identity, job, masks, pipeline_update
from ops.checks.context import Check, Context, Options

CHECKS: tuple[Check, ...] = (identity.CHECK, catalog.CHECK, job.CHECK, pipeline_update.CHECK, gold.CHECK, masks.CHECK)
NAMES = tuple(check.name for check in CHECKS)

__all__ = ["CHECKS", "NAMES", "Check", "Context", "Options"]
