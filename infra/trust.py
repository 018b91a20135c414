"""Trust levels: one deploying identity each, with the permissions its stack needs.

``infra/platform.yaml`` says which GitHub OIDC subject reaches each level, which
environment's stack it plans or deploys, and the subscriptions. Everything else is
derived: an identity's roles from the resource types of that stack (infra/permissions.py),
its scope from the environment's subscription (environments/*.yaml ``azure:``), its state
container from the environment's trust level. ``load_platform`` refuses a configuration
in which a writing identity could reach another level's resources or state.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, model_validator

from infra import permissions
from infra.config import UUID_PATTERN, ConfigError, Environment, TrustLevel, config_file, load_environment
from infra.naming import PROJECT

PLATFORM_FILE = Path(__file__).parent / "platform.yaml"
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange"
STATE_CONTRIBUTOR = "Storage Blob Data Contributor"  # a plan or apply leases the blob (state lock)
STATE_READER = "Storage Blob Data Reader"  # a plan with -lock=false only reads
Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
PLACEHOLDER_SUBSCRIPTION_PREFIX = "00000000-0000-0000-0000-"  # infra/platform.yaml until replaced


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Model):
    subject: Annotated[
        str, StringConstraints(pattern=r"^(pull_request|environment:[A-Za-z0-9_-]+|ref:refs/heads/\S+)$")
    ]
    environment: str
    access: Literal["plan", "deploy"]


class Platform(_Model):
    github_repository: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    location: str
    subscriptions: dict[str, Uuid]
    trust_levels: dict[TrustLevel, Level]
    state_allowed_ip_ranges: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> Platform:
        missing = set(TrustLevel) - set(self.trust_levels)
        if missing:
            raise ValueError(f"trust_levels: missing {', '.join(sorted(level.value for level in missing))}")
        subjects = [level.subject for level in self.trust_levels.values()]
        if len(set(subjects)) != len(subjects):
            raise ValueError("trust_levels: two levels share a federated subject")
        return self


@dataclass(frozen=True)
class Identity:
    """The deploying identity of one trust level, everything in it derived."""

    level: TrustLevel
    subject: str  # the full federated subject, repo:<owner>/<name>:<subject>
    environment: Environment
    access: str
    needs: permissions.Needs

    @property
    def display_name(self) -> str:
        return f"{PROJECT}-github-{self.level.value}"

    @property
    def subscription(self) -> str:
        return self.environment.azure.subscription

    @property
    def state_container(self) -> str:
        """The container of the environment's state: one per deploying trust level."""
        return self.environment.azure.trust_level.value

    @property
    def state_role(self) -> str:
        return STATE_CONTRIBUTOR if self.access == "deploy" else STATE_READER

    @property
    def works_on(self) -> str:
        return "every ephemeral environment" if self.environment.is_ephemeral else self.environment.name

    @property
    def writes(self) -> bool:
        return self.access == "deploy"


def subscription_id(platform: Platform, env: Environment) -> str | None:
    """The id of the environment's subscription; None while it is a placeholder."""
    found = platform.subscriptions.get(env.azure.subscription)
    return None if found is None or found.startswith(PLACEHOLDER_SUBSCRIPTION_PREFIX) else found


def load_platform(path: Path = PLATFORM_FILE, environ: dict[str, str] | None = None) -> Platform:
    environ = dict(os.environ if environ is None else environ)
    try:
        raw = yaml.safe_load(path.read_text()) or {}
        platform = Platform.model_validate(raw)
    except (OSError, yaml.YAMLError, ValidationError) as err:
        raise ConfigError(f"{path}: invalid platform configuration: {err}") from None
    ranges = environ.get("CLICKSTREAM_ALLOWED_IP_RANGES")
    if ranges and not platform.state_allowed_ip_ranges:
        parts = tuple(part.strip() for part in ranges.split(",") if part.strip())
        platform = platform.model_copy(update={"state_allowed_ip_ranges": parts})
    return platform


def level_environment(level: Level) -> Environment:
    """The environment a level works on (its expiry, for an ephemeral one, is immaterial here)."""
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    return load_environment(level.environment, {"CLICKSTREAM_EXPIRES_ON": tomorrow})


def identities(platform: Platform, types: dict[TrustLevel, set[str]]) -> list[Identity]:
    """One identity per trust level; ``types`` holds the types of each level's stack."""
    found = []
    for name, level in platform.trust_levels.items():
        env = level_environment(level)
        table, base = (
            (permissions.DEPLOY, permissions.NOTHING)
            if level.access == "deploy"
            else (permissions.PLAN, permissions.PLAN_BASE)
        )
        found.append(
            Identity(
                level=name,
                subject=f"repo:{platform.github_repository}:{level.subject}",
                environment=env,
                access=level.access,
                needs=permissions.needs(types[name], table, base),
            )
        )
    check_isolation(platform, found)
    return found


def check_isolation(platform: Platform, found: Iterable[Identity]) -> None:
    """Refuse what would let one level reach another's resources or state."""
    found = list(found)
    problems = []
    for identity in found:
        if identity.subscription not in platform.subscriptions:
            problems.append(
                f"{identity.environment.name}: azure.subscription {identity.subscription!r} "
                f"is not in {PLATFORM_FILE.name} subscriptions"
            )
        if identity.writes and identity.environment.azure.trust_level is not identity.level:
            problems.append(
                f"trust level {identity.level.value} deploys {identity.environment.name}, "
                f"whose azure.trust_level is {identity.environment.azure.trust_level.value}"
            )
    writers = [i for i in found if i.writes]
    for i, a in enumerate(writers):
        for b in writers[i + 1 :]:
            if a.subscription == b.subscription:
                problems.append(
                    f"trust levels {a.level.value} and {b.level.value} both write to subscription "
                    f"{a.subscription!r}: each writing level needs a subscription of its own"
                )
    if problems:
        raise ConfigError("\n".join(problems))


def level_types(platform: Platform, built: Iterable) -> dict[TrustLevel, set[str]]:
    """Resource types of each level's stack: from a stack already built from the same
    configuration file when there is one, else from one built here and never synthesized."""
    by_file = {config_file(stack.env.name): permissions.stack_types(stack) for stack in built}
    missing = {config_file(level.environment): level for level in platform.trust_levels.values()}
    missing = {path: level for path, level in missing.items() if path not in by_file}
    if missing:
        by_file.update(_scratch_types(missing))
    return {name: by_file[config_file(level.environment)] for name, level in platform.trust_levels.items()}


def _scratch_types(levels: dict[Path, Level]) -> dict[Path, set[str]]:
    from cdktf import App

    from infra.stack import ClickstreamStack

    with tempfile.TemporaryDirectory(prefix="clickstream-scratch-") as outdir:  # App creates it; nothing is written
        app = App(outdir=outdir)
        return {
            path: permissions.stack_types(ClickstreamStack(app, level_environment(level)))
            for path, level in levels.items()
        }
