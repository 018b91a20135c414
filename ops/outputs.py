"""The stack outputs of one deployed environment, read and validated.

``npx cdktf output <env> --outputs-file cdktf.out/outputs-<env>.json`` writes
``{"<env>": {"<output>": value, ...}}``. Everything ops does starts from these values,
so a missing or malformed one fails here, naming the file and the field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints, ValidationError, field_validator

from contract.rbac import ROLES


class OutputsError(ValueError):
    """The outputs file is missing or does not describe a usable environment."""


def default_outputs_path(env: str) -> Path:
    return Path("cdktf.out") / f"outputs-{env}.json"


def _json_object(value: object) -> object:
    # Terraform renders a map output as an object, but a jsonencode()d one arrives as a string.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError as err:
            raise ValueError(f"not a JSON object: {err}") from None
    return value


def _https(value: object) -> object:
    # azurerm gives the workspace URL without a scheme (adb-123.4.azuredatabricks.net).
    if isinstance(value, str) and value and "://" not in value:
        return f"https://{value}"
    return value


Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class StackOutputs(BaseModel):
    """The outputs ops needs; other outputs in the file are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    workspace_url: Annotated[str, BeforeValidator(_https), StringConstraints(pattern=r"^https?://[^/\s]+/?$")]
    workspace_resource_id: str | None = None
    catalog: Identifier
    landing_path: NonEmpty
    landing_volume_path: NonEmpty
    pipeline_id: NonEmpty
    producer_job_id: int
    # None in outputs of a stack deployed before the column masks.
    masks_job_id: int | None = None
    warehouse_id: NonEmpty
    groups: Annotated[dict[str, NonEmpty], BeforeValidator(_json_object)]

    @field_validator("groups")
    @classmethod
    def _every_role_named(cls, groups: dict[str, str]) -> dict[str, str]:
        missing = [role for role in ROLES if role not in groups]
        if missing:
            raise ValueError(f"missing role(s) {', '.join(missing)}; expected keys {', '.join(ROLES)}")
        return groups

    @property
    def host(self) -> str:
        return self.workspace_url.rstrip("/")


def load_outputs(path: Path, env: str) -> StackOutputs:
    """Read ``path`` and return the outputs of stack ``env``."""
    if not path.is_file():
        raise OutputsError(
            f"{path}: outputs file not found. Create it with `make outputs ENV={env}` "
            "(needs Terraform and access to the state) or pass --outputs FILE."
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise OutputsError(f"{path}: not readable JSON: {err}") from None
    if not isinstance(document, dict) or env not in document:
        stacks = ", ".join(sorted(document)) if isinstance(document, dict) else "none"
        raise OutputsError(f"{path}: no outputs for stack {env!r} (stacks in file: {stacks})")
    try:
        return StackOutputs.model_validate(document[env])
    except ValidationError as err:
        raise OutputsError(f"{path}: stack {env!r}: {_describe(err)}") from None


def _describe(err: ValidationError) -> str:
    problems = []
    for item in err.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(root)"
        message = re.sub(r"^Value error, ", "", item["msg"])
        problems.append(f"output {field}: {message}")
    return "; ".join(problems)
