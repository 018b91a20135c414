"""`make bootstrap`: what the bootstrap stack creates, per trust level (a dry run).

    python -m infra.bootstrap            # print identities, subjects, roles, scopes, state
    python -m infra.bootstrap --check    # also refuse placeholders (before `cdktf deploy bootstrap`)
    python -m infra.bootstrap --markdown # the trust-level table of README.md (a test keeps them equal)

Builds the environments' stacks in memory (no synth, no cloud) to derive the roles, exactly
as `python -m infra.app` does when it synthesizes the bootstrap stack.
"""

from __future__ import annotations

import argparse
import sys

from infra.config import PLACEHOLDER_ACCOUNT_ID, ConfigError
from infra.naming import STATE_RESOURCE_GROUP, state_storage_account
from infra.trust import PLACEHOLDER_SUBSCRIPTION_PREFIX, Identity, Platform, identities, level_types, load_platform


def describe(platform: Platform, identity: Identity) -> list[str]:
    needs = identity.needs
    subscription = f"subscription {identity.subscription} ({platform.subscriptions[identity.subscription]})"
    azure = [f"{role} on {subscription}" for role in sorted(needs.azure_roles)]
    if needs.azure_actions:
        azure.append(
            f"custom role {identity.display_name}-extra ({', '.join(sorted(needs.azure_actions))}) on {subscription}"
        )
    state = (
        f"{identity.state_role} on {STATE_RESOURCE_GROUP}/{state_storage_account(identity.subscription)}"
        f"/{identity.state_container}"
    )
    return [
        f"{identity.level.value}: {identity.display_name} ({identity.access}s {identity.works_on})",
        f"  federated subject  {identity.subject}",
        *[f"  azure              {line}" for line in azure],
        f"  state              {state}",
        f"  graph app roles    {', '.join(sorted(needs.graph_app_roles)) or '-'}",
        f"  databricks         {', '.join(sorted(needs.databricks)) or '-'}",
    ]


def markdown_table(found: list[Identity]) -> str:
    """One row per trust level: the README's table, generated so that it cannot drift."""
    rows = [
        "| Trust level | Identity | Federated subject | Scope | Azure roles | Graph app roles | Databricks | State |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for identity in found:
        needs = identity.needs
        roles = sorted(needs.azure_roles) + (
            [f"custom: {', '.join(sorted(needs.azure_actions))}"] if needs.azure_actions else []
        )
        state = f"{identity.state_role} on `{identity.state_container}` in subscription `{identity.subscription}`"
        rows.append(
            " | ".join(
                [
                    f"| {identity.level.value}",
                    f"`{identity.display_name}`",
                    f"`{identity.subject.split(':', 2)[2]}`",
                    f"subscription `{identity.subscription}` ({identity.access} {identity.works_on})",
                    "<br>".join(roles),
                    "<br>".join(sorted(needs.graph_app_roles)) or "-",
                    "<br>".join(sorted(needs.databricks)) or "-",
                    f"{state} |",
                ]
            )
        )
    return "\n".join(rows)


def placeholders(platform: Platform, found: list[Identity]) -> list[str]:
    problems = [
        f"infra/platform.yaml: subscriptions.{name} is a placeholder"
        for name, sub in platform.subscriptions.items()
        if sub.startswith(PLACEHOLDER_SUBSCRIPTION_PREFIX)
    ]
    if platform.github_repository == "my-org/clickstream":
        problems.append("infra/platform.yaml: github_repository is the example my-org/clickstream")
    if any(i.environment.databricks.account_id == PLACEHOLDER_ACCOUNT_ID for i in found):
        problems.append("databricks.account_id is the placeholder: export CLICKSTREAM_DATABRICKS_ACCOUNT_ID")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.bootstrap", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail on placeholder values")
    parser.add_argument("--markdown", action="store_true", help="print the README table instead")
    args = parser.parse_args(argv)
    try:
        platform = load_platform()
        found = identities(platform, level_types(platform, []))
    except ConfigError as err:
        print(f"bootstrap: invalid configuration\n{err}", file=sys.stderr)
        return 2
    if args.markdown:
        print(markdown_table(found))
        return 0
    print("bootstrap (dry run): the deploying identity of each trust level\n")
    for identity in found:
        print("\n".join(describe(platform, identity)) + "\n")
    problems = placeholders(platform, found) if args.check else []
    for problem in problems:
        print(f"bootstrap: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
