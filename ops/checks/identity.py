"""Check 1: the workspace answers and the caller is who it should be.

When it fails the runner skips every other check: nothing runs as an unexpected identity.
"""

from __future__ import annotations

from databricks.sdk.errors import DatabricksError

from contract.rbac import PLATFORM_ADMINS
from ops.checks.context import Check, Context
from ops.errors import describe
from ops.report import CheckFailed, Outcome
from ops.workspace import LOGIN_HINT, AuthRefused


def run(ctx: Context) -> Outcome:
    try:
        ctx.client = ctx.connect(ctx.outputs)
    except (AuthRefused, ValueError) as err:
        summary, details = describe(err, with_type=False)
        raise CheckFailed(f"cannot authenticate to {ctx.outputs.host}: {summary}", [*details, LOGIN_HINT]) from None
    try:
        me = ctx.w.current_user.me()
    except (DatabricksError, TimeoutError) as err:  # TimeoutError: no answer within the SDK's retries
        summary, details = describe(err)
        raise CheckFailed(f"{ctx.outputs.host} refused the caller: {summary}", details) from None
    caller = me.user_name or me.display_name or me.id or "<unknown>"
    auth = ctx.w.config.auth_type
    groups = sorted(g.display for g in me.groups or [] if g.display)
    data = {"caller": caller, "auth_type": auth, "groups": groups, "host": ctx.outputs.host}
    expected = ctx.options.expect_principal
    if expected:
        if expected not in {me.user_name, me.id, me.display_name}:
            raise CheckFailed(f"caller {caller} is not the expected principal {expected}", data=data)
        return Outcome(f"{caller} via {auth} (expected principal)", data=data)
    admins = ctx.outputs.groups[PLATFORM_ADMINS]
    if admins not in groups:
        raise CheckFailed(
            f"caller {caller} is not a member of {admins}",
            [
                f"caller's groups: {', '.join(groups) or 'none'}",
                "pass --expect-principal to verify as another identity",
            ],
            data,
        )
    return Outcome(f"{caller} via {auth}, member of {admins}", data=data)


CHECK = Check("workspace", "workspace answers, caller is who it should be", run)
