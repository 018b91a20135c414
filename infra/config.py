"""Typed, validated configuration of one environment.

Every difference between environments lives here as data (sizes, network exposure,
retention, schedules, development mode, deletion protection). Constructs read this
object and never branch on the environment's name. ``load_environment`` reads
``environments/<name>.yaml`` (``ephemeral.yaml`` for any other valid name), applies the
deploy-time overrides from ``CLICKSTREAM_*`` variables and validates the result: a bad
value fails before synth with the field and the rule in the message.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import os
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from contract.environments import LONG_LIVED, NAME_PATTERN, check_name

ENVIRONMENTS_DIR = Path(__file__).parent / "environments"
# Version of each environment's pseudonymisation key; absent means 1 (see rotate_key.py).
KEY_VERSIONS_FILE = ENVIRONMENTS_DIR / "key-versions.json"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
PLACEHOLDER_ACCOUNT_ID = "00000000-0000-0000-0000-000000000000"
# Widest range let through a firewall (storage, Key Vault, workspace IP access list):
# a /24 is 256 addresses, enough for an office or a NAT pool; anything wider is a mistake.
WIDEST_ALLOWED_PREFIX = 24
# An ephemeral environment expires at most this many days ahead, so the nightly sweep
# always gets it: `make deploy` (and every push) moves the date a week ahead.
MAX_EPHEMERAL_DAYS = 30
# Quartz: seconds minutes hours day-of-month month day-of-week [year]
QUARTZ_PATTERN = r"^\S+ \S+ \S+ \S+ \S+ \S+( \S+)?$"

EnvName = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
Uuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]


class ConfigError(ValueError):
    """A configuration file or override is invalid; the message names field and rule."""


class Kind(str, Enum):
    LONG_LIVED = "long-lived"
    EPHEMERAL = "ephemeral"


class TrustLevel(str, Enum):
    """Who may change what: each level has its own deploying identity, scope and state
    (infra/trust.py, README: trust levels). Ordered from least to most privileged."""

    PULL_REQUEST = "pull-request"  # plans only, reads no state but dev's
    EPHEMERAL = "ephemeral"
    DEV = "dev"
    PROD = "prod"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Network(_Model):
    vnet_cidr: str
    public_subnet_cidr: str  # Databricks "host" subnet
    private_subnet_cidr: str  # Databricks "container" subnet
    private_endpoint_subnet_cidr: str | None = None
    public_network_access: bool
    # Operator/CI egress ranges let through the storage and Key Vault firewalls and the
    # workspace's IP access list: public, at most /24, normalised to what azurerm accepts.
    allowed_ip_ranges: tuple[str, ...] = ()

    @field_validator("allowed_ip_ranges", mode="after")
    @classmethod
    def _public_and_narrow(cls, ranges: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(rule for cidr in ranges for rule in _firewall_rules(cidr))

    @model_validator(mode="after")
    def _subnets_inside_vnet(self) -> Network:
        vnet = _network("network.vnet_cidr", self.vnet_cidr)
        named = {
            "network.public_subnet_cidr": self.public_subnet_cidr,
            "network.private_subnet_cidr": self.private_subnet_cidr,
        }
        if self.private_endpoint_subnet_cidr:
            named["network.private_endpoint_subnet_cidr"] = self.private_endpoint_subnet_cidr
        subnets = {field: _network(field, cidr) for field, cidr in named.items()}
        for field, subnet in subnets.items():
            if not subnet.subnet_of(vnet):
                raise ValueError(f"{field}: {subnet} must lie inside network.vnet_cidr {vnet}")
        fields = list(subnets)
        for i, a in enumerate(fields):
            for b in fields[i + 1 :]:
                if subnets[a].overlaps(subnets[b]):
                    raise ValueError(f"{a} and {b} overlap ({subnets[a]}, {subnets[b]})")
        if not self.public_network_access and not self.private_endpoint_subnet_cidr:
            raise ValueError(
                "network.private_endpoint_subnet_cidr is required when "
                "network.public_network_access is false (private endpoints need a subnet)"
            )
        return self


class Lifecycle(_Model):
    """Landing blobs: cool tier after ``cool_after_days`` (None: never tiered; the cool
    tier bills 30 days at least), deleted after ``delete_after_days``."""

    cool_after_days: int | None = Field(default=None, ge=1, le=3650)
    delete_after_days: int = Field(ge=1, le=3650)

    @model_validator(mode="after")
    def _cool_before_delete(self) -> Lifecycle:
        if self.cool_after_days is not None and self.cool_after_days >= self.delete_after_days:
            raise ValueError(
                f"storage.lifecycle.cool_after_days ({self.cool_after_days}) must be less than "
                f"storage.lifecycle.delete_after_days ({self.delete_after_days})"
            )
        return self


class Storage(_Model):
    replication: Literal["LRS", "ZRS", "GRS", "GZRS", "RAGRS", "RAGZRS"]
    soft_delete_days: int = Field(ge=1, le=365)
    lifecycle: Lifecycle


class Observability(_Model):
    log_retention_days: int = Field(ge=30, le=730)


class Protection(_Model):
    # Terraform prevent_destroy on the stateful resources (storage account, Key Vault,
    # workspace, catalog): every plan that deletes or replaces them fails, destroy included.
    prevent_destroy: bool
    # CanNotDelete locks on the same resources: stop deletion from outside this state
    # (portal, CLI); `cdktf destroy` removes a lock of its own state first, so they do not stop it.
    deletion_locks: bool
    # Key Vault purge protection cannot be turned off again and keeps the vault's name
    # reserved for its retention period after a destroy.
    key_vault_purge_protection: bool
    key_vault_soft_delete_days: int = Field(ge=7, le=90)
    # Drop catalog and schemas with their tables on destroy (ephemeral environments).
    force_destroy_data: bool

    @model_validator(mode="after")
    def _consistent(self) -> Protection:
        if (self.deletion_locks or self.prevent_destroy) and self.force_destroy_data:
            raise ValueError(
                "protection.force_destroy_data must be false when protection.deletion_locks "
                "or protection.prevent_destroy is true"
            )
        return self


class Pipeline(_Model):
    development: bool
    continuous: bool
    channel: Literal["CURRENT", "PREVIEW"] = "CURRENT"


class Producer(_Model):
    schedule: Annotated[str, StringConstraints(pattern=QUARTZ_PATTERN)]
    schedule_paused: bool
    events_per_run: int = Field(ge=1, le=10_000_000)
    timeout_minutes: int = Field(ge=1, le=24 * 60)
    max_retries: int = Field(ge=0, le=10)


class Warehouse(_Model):
    cluster_size: Literal["2X-Small", "X-Small", "Small", "Medium", "Large"]
    auto_stop_minutes: int = Field(ge=1, le=120)
    max_clusters: int = Field(ge=1, le=10)


class Alerts(_Model):
    """Data-quality alerts (pipelines/clickstream/alerts.py): thresholds and how often they
    are evaluated. Each evaluation wakes the SQL warehouse for its auto-stop time."""

    schedule: Annotated[str, StringConstraints(pattern=QUARTZ_PATTERN)]
    schedule_paused: bool
    # Share of the latest ingest batch of a feed that was quarantined / dropped as duplicates.
    quarantine_rate: float = Field(gt=0, le=1)
    duplicate_rate: float = Field(gt=0, le=1)
    # Minutes without a new bronze row; above the producer's interval plus an update's time.
    freshness_minutes: int = Field(ge=1, le=7 * 24 * 60)


class Budget(_Model):
    """Monthly cost budget on the environment's resource group, in the billing currency."""

    amount: int = Field(ge=1, le=1_000_000)
    # Fixed: changing it replaces the budget. Must be the first of a month.
    start_date: dt.date
    actual_percentages: tuple[int, ...] = Field(default=(80, 100), min_length=1)
    forecasted_percentages: tuple[int, ...] = (100,)

    @model_validator(mode="after")
    def _valid(self) -> Budget:
        if self.start_date.day != 1:
            raise ValueError(f"budget.start_date: {self.start_date} must be the first day of a month")
        for field in ("actual_percentages", "forecasted_percentages"):
            for value in getattr(self, field):
                if not 1 <= value <= 1000:
                    raise ValueError(f"budget.{field}: {value} must be between 1 and 1000")
            if len(set(getattr(self, field))) != len(getattr(self, field)):
                raise ValueError(f"budget.{field}: duplicate percentages")
        if len(self.actual_percentages) + len(self.forecasted_percentages) > 5:
            raise ValueError("budget: at most 5 notifications (actual_percentages + forecasted_percentages)")
        return self


class Secret(_Model):
    """The pseudonymisation key. ``key_version`` comes from ``key-versions.json`` (bumped by
    ``make rotate-key``): a new version makes the next apply write a new key; the key
    expires ``expiry_days`` after it was written."""

    key_version: int = Field(ge=1)
    expiry_days: int = Field(ge=1, le=730)


class Azure(_Model):
    """Where the environment lives and who deploys it. The subscription is the trust
    boundary (Azure RBAC cannot scope writes by tag or name pattern): an environment
    shares it only with environments of the same trust level (infra/trust.py checks)."""

    subscription: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]{1,15}$")]  # name in infra/platform.yaml
    trust_level: TrustLevel  # the identity that deploys it; never pull-request

    @model_validator(mode="after")
    def _deployable(self) -> Azure:
        if self.trust_level is TrustLevel.PULL_REQUEST:
            raise ValueError("azure.trust_level: pull-request identities only plan; name a deploying level")
        return self


class Databricks(_Model):
    account_id: Uuid
    # None: the workspace is enabled for Unity Catalog automatically (regional metastore).
    metastore_id: Uuid | None = None


class Backend(_Model):
    """Remote state in an azurerm backend (see README: bootstrap of the state storage)."""

    resource_group: str
    storage_account: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{3,24}$")]
    container: str = "tfstate"


class Environment(_Model):
    name: EnvName
    kind: Kind
    location: str
    owner: Email
    cost_center: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    expires_on: dt.date | None = None
    alert_emails: tuple[Email, ...] = Field(min_length=1)
    network: Network
    storage: Storage
    observability: Observability
    protection: Protection
    pipeline: Pipeline
    producer: Producer
    warehouse: Warehouse
    alerts: Alerts
    budget: Budget
    secret: Secret
    azure: Azure
    databricks: Databricks
    backend: Backend | None = None

    @field_validator("expires_on", mode="after")
    @classmethod
    def _within_sweep_reach(cls, expires_on: dt.date | None) -> dt.date | None:
        latest = _today() + dt.timedelta(days=MAX_EPHEMERAL_DAYS)
        if expires_on is not None and expires_on > latest:
            raise ValueError(
                f"{expires_on} is more than {MAX_EPHEMERAL_DAYS} days ahead (latest {latest}): "
                "an ephemeral environment must not outlive the nightly sweep"
            )
        return expires_on

    @model_validator(mode="after")
    def _lifetime(self) -> Environment:
        if self.kind is Kind.EPHEMERAL and self.expires_on is None:
            raise ValueError(
                "expires_on is required for an ephemeral environment (set CLICKSTREAM_EXPIRES_ON=YYYY-MM-DD)"
            )
        if self.kind is Kind.LONG_LIVED and self.expires_on is not None:
            raise ValueError("expires_on is only allowed on ephemeral environments")
        protection = self.protection
        if self.kind is Kind.EPHEMERAL and (
            protection.prevent_destroy or protection.deletion_locks or protection.key_vault_purge_protection
        ):
            raise ValueError(
                "an ephemeral environment must be destroyable: protection.prevent_destroy, "
                "protection.deletion_locks and protection.key_vault_purge_protection must be false"
            )
        return self

    @property
    def is_ephemeral(self) -> bool:
        return self.kind is Kind.EPHEMERAL


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _firewall_rules(cidr: str) -> list[str]:
    """The IP rules for one allowed range: public, no wider than /WIDEST_ALLOWED_PREFIX.
    azurerm's storage validation takes prefixes /0-/30 only, so a /32 becomes the bare
    address and a /31 its two addresses (Key Vault and Databricks accept both forms)."""
    try:
        network = ipaddress.IPv4Network(cidr.strip())
    except ValueError as err:
        raise ValueError(f"{cidr!r} is not an IPv4 address or CIDR ({err})") from None
    if network.prefixlen < WIDEST_ALLOWED_PREFIX:
        raise ValueError(
            f"{cidr!r} is wider than /{WIDEST_ALLOWED_PREFIX} ({network.num_addresses} addresses): "
            "list your egress addresses, never the internet"
        )
    if not network.is_global:
        raise ValueError(
            f"{cidr!r} is not a public range: private, shared, loopback and documentation addresses never "
            "reach a public endpoint, and Azure refuses private ranges in storage and Key Vault IP rules"
        )
    if network.prefixlen >= 31:
        return [str(address) for address in network]
    return [str(network)]


def _network(field: str, cidr: str) -> ipaddress.IPv4Network:
    try:
        return ipaddress.IPv4Network(cidr)
    except ValueError as err:
        raise ValueError(f"{field}: {cidr!r} is not an IPv4 CIDR ({err})") from None


# Deploy-time values that do not belong in the repo: variable -> config path.
OVERRIDES = {
    "CLICKSTREAM_EXPIRES_ON": ("expires_on",),
    "CLICKSTREAM_DATABRICKS_ACCOUNT_ID": ("databricks", "account_id"),
    "CLICKSTREAM_METASTORE_ID": ("databricks", "metastore_id"),
    "CLICKSTREAM_ALLOWED_IP_RANGES": ("network", "allowed_ip_ranges"),
    "CLICKSTREAM_BACKEND_RESOURCE_GROUP": ("backend", "resource_group"),
    "CLICKSTREAM_BACKEND_STORAGE_ACCOUNT": ("backend", "storage_account"),
    "CLICKSTREAM_BACKEND_CONTAINER": ("backend", "container"),
}
LIST_OVERRIDES = {"CLICKSTREAM_ALLOWED_IP_RANGES"}
# "true": the state lives where the bootstrap put it (infra/bootstrap): the state account
# of the environment's subscription, the container of its trust level. CI sets it.
REMOTE_STATE = "CLICKSTREAM_REMOTE_STATE"


def config_file(name: str) -> Path:
    """The YAML file that defines environment ``name``."""
    own = ENVIRONMENTS_DIR / f"{name}.yaml"
    return own if name in LONG_LIVED else ENVIRONMENTS_DIR / "ephemeral.yaml"


def load_environment(name: str, environ: dict[str, str] | None = None) -> Environment:
    """Load, override and validate one environment; raise ConfigError naming the field."""
    environ = dict(os.environ if environ is None else environ)
    try:
        check_name(name)
    except ValueError as err:
        raise ConfigError(str(err)) from None
    path = config_file(name)
    try:
        text = path.read_text()
        raw = yaml.safe_load(text) or {}
    except OSError as err:
        raise ConfigError(f"{path}: cannot read environment file: {err}") from None
    except yaml.YAMLError as err:
        raise ConfigError(_yaml_error(path, err)) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: must be a mapping of settings")
    raw["name"] = name
    if isinstance(raw.get("secret"), dict):
        raw["secret"]["key_version"] = key_versions().get(name, 1)
    overridden = _apply_overrides(raw, environ)
    if environ.get(REMOTE_STATE) == "true" and "backend" not in raw:
        raw["backend"] = _trust_level_backend(raw.get("azure") or {})
    try:
        return Environment.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(_describe(path, name, err, overridden, yaml.compose(text))) from None


def key_versions() -> dict[str, int]:
    """Environment name -> current pseudonymisation key version."""
    return json.loads(KEY_VERSIONS_FILE.read_text())


def _apply_overrides(raw: dict, environ: dict[str, str]) -> dict[str, str]:
    """Write the set variables into ``raw``; return field path -> variable for each."""
    applied = {}
    for variable, path in OVERRIDES.items():
        text = environ.get(variable)
        if not text or (path == ("expires_on",) and raw.get("kind") != Kind.EPHEMERAL.value):
            continue
        value: str | list[str] = text
        if variable in LIST_OVERRIDES:
            value = [part.strip() for part in text.split(",") if part.strip()]
        target = raw
        for key in path[:-1]:
            target = target.setdefault(key, {})
        target[path[-1]] = value
        applied[".".join(path)] = variable
    return applied


def _trust_level_backend(azure: dict) -> dict:
    from infra.naming import STATE_RESOURCE_GROUP, state_storage_account

    return {
        "resource_group": STATE_RESOURCE_GROUP,
        "storage_account": state_storage_account(str(azure.get("subscription"))),
        "container": str(azure.get("trust_level")),
    }


def _yaml_error(path: Path, err: yaml.YAMLError) -> str:
    mark = getattr(err, "problem_mark", None)
    where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
    problem = getattr(err, "problem", None) or str(err)
    return f"{where}: not valid YAML: {problem}"


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """The 1-based line of the deepest key of ``loc`` present in the YAML (None if absent)."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = (node.value[part], node.value[part])
        else:
            match = None
        if match is None:
            break
        line, node = match[0].start_mark.line + 1, match[1]
    return line


def _describe(
    path: Path, name: str, err: ValidationError, overridden: dict[str, str], document: yaml.Node | None = None
) -> str:
    lines = [f"{path} (environment {name!r}) is invalid:"]
    for problem in err.errors():
        line = _line_of(document, problem["loc"])
        field = ".".join(str(part) for part in problem["loc"])
        at = f" (line {line})" if line and not overridden.get(field) else ""
        message = problem["msg"].removeprefix("Value error, ")
        source = overridden.get(field)
        field_text = f"{field} (from {source})" if source else field
        if problem["type"] == "value_error":  # our own rules already name their fields
            lines.append(f"  - {field_text + ': ' if field else ''}{message}{at}")
        else:
            lines.append(f"  - {field_text}: {message} (got {problem.get('input')!r}){at}")
    return "\n".join(lines)
