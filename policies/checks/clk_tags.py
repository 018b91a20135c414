"""Tags that make every Azure resource attributable and, for ephemeral stacks, reapable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck
from policies.taggable import load as taggable_types
from synthesized.stack import EnvKind, Stack

REQUIRED_TAGS = ("env", "owner", "cost-center", "managed-by")
TAGGABLE = taggable_types()


def _tags(resource: dict[str, Any]) -> dict[str, Any] | None:
    tags = resource.get("tags")
    return tags if isinstance(tags, dict) else None


class RequiredTags(StackCheck):
    id = "CKV_CLK_1"
    name = "Taggable Azure resources carry env, owner, cost-center and managed-by"
    severity_name = "MEDIUM"
    remediation = (
        "Give the resource infra.tags.standard_tags(env) (env, owner, cost-center, managed-by) "
        "as a literal map; the env tag must be the stack's environment."
    )
    resources = ("azurerm_*",)
    category = CheckCategories.CONVENTION

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if resource_type not in TAGGABLE:
            return
        tags = _tags(resource)
        if tags is None:
            yield "tags missing or not a literal map"
            return
        missing = [key for key in REQUIRED_TAGS if not str(tags.get(key, "")).strip()]
        if missing:
            yield f"missing tags: {', '.join(missing)}"
        if "env" in tags and tags["env"] != stack.env:
            yield f"tag env is {tags['env']!r} in the stack of environment {stack.env!r}"


class ExpiresOnEphemeral(StackCheck):
    id = "CKV_CLK_2"
    name = "Ephemeral environments tag every taggable Azure resource with expires-on"
    severity_name = "MEDIUM"
    remediation = (
        "Synthesize ephemeral environments with CLICKSTREAM_EXPIRES_ON=YYYY-MM-DD: standard_tags "
        "then adds expires-on, which tells everyone when the environment may be destroyed."
    )
    resources = ("azurerm_*",)
    category = CheckCategories.CONVENTION

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        if stack.kind is not EnvKind.EPHEMERAL or resource_type not in TAGGABLE:
            return
        value = (_tags(resource) or {}).get("expires-on")
        if value is None:
            yield f"ephemeral environment {stack.env!r}: tag expires-on missing"
            return
        try:
            dt.date.fromisoformat(str(value))
        except ValueError:
            yield f"tag expires-on is {value!r}; expected a date YYYY-MM-DD"


required_tags = RequiredTags()
expires_on = ExpiresOnEphemeral()
