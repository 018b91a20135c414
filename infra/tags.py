"""The tags every taggable resource carries (required by policy CKV_CLK tags check)."""

from __future__ import annotations

from infra.config import Environment


def standard_tags(env: Environment) -> dict[str, str]:
    tags = {
        "env": env.name,
        "owner": env.owner,
        "cost-center": env.cost_center,
        "managed-by": "cdktf",
        "project": "clickstream",
    }
    if env.expires_on is not None:
        tags["expires-on"] = env.expires_on.isoformat()
    return tags
