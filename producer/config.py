"""Run configuration: one frozen, validated object for the CLI, the Python API and tests.

Validation happens here, once, so every entry point refuses bad input with a message
naming the option (``--rate``, ``--defect late``...) instead of failing half-way.
Kept as dataclasses, not pydantic: each rule needs its own option-naming message anyway,
which pydantic would only add a translation of its errors (and validation at construction) to.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Default landing root, relative to the repository root (the pipeline reads the same path).
REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LOCAL_ROOT = REPO_ROOT / ".local" / "landing"

SINKS = ("local", "azure", "volume")

# Simulated traffic rate when running as fast as possible: event times advance as if
# the site served this many events per second, so a run covers a plausible time span.
DEFAULT_TIMELINE_RATE = 100.0

# /Volumes/<catalog>/<schema>/<volume>[/...]: Unity Catalog identifiers are letters,
# digits, underscores and hyphens (hyphens only when quoted; accepted here).
VOLUME_PATH_RE = re.compile(r"^/Volumes/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+(/[^/\0]+)*/?$")


class ConfigError(ValueError):
    """Bad input; the message names the offending option."""


@dataclass(frozen=True)
class DefectRates:
    """Share of event lines (0..1) that carry each defect. A line carries at most one."""

    malformed_json: float = 0.001
    missing_required: float = 0.001
    wrong_type: float = 0.001
    unknown_event_type: float = 0.001
    duplicate: float = 0.004
    replayed_id: float = 0.002
    late: float = 0.002
    out_of_order: float = 0.004
    future_ts: float = 0.001
    legacy_ts_epoch_millis: float = 0.002
    legacy_ts_slashed: float = 0.002
    schema_drift: float = 0.003

    @classmethod
    def none(cls) -> DefectRates:
        return cls(**{name: 0.0 for name in cls.kinds()})

    @classmethod
    def kinds(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    def as_dict(self) -> dict[str, float]:
        return dataclasses.asdict(self)

    def total(self) -> float:
        return math.fsum(self.as_dict().values())

    def validate(self) -> None:
        for kind, rate in self.as_dict().items():
            if not isinstance(rate, (int, float)) or not 0.0 <= rate <= 1.0:
                raise ConfigError(f"--defect {kind}: rate must be a number in [0, 1], got {rate!r}")
        if self.total() > 1.0:
            raise ConfigError(
                f"--defect: rates add up to {self.total():.4f}; a line carries at most one defect, so the sum must "
                "be <= 1"
            )


@dataclass(frozen=True)
class AzureSettings:
    """Where and how to reach Blob storage. Authentication is always an Entra ID token
    (DefaultAzureCredential in the CLI); there is deliberately no key/SAS/connection string."""

    account_url: str = ""
    container: str = "landing"
    prefix: str = ""
    # Client id of a user-assigned managed identity (the infra's producer identity).
    client_id: str | None = None
    # Retry policy of the Azure SDK (storage ExponentialRetry): waits are
    # initial_backoff + increment_base**n seconds, +/- jitter.
    retry_total: int = 6
    initial_backoff: float = 1.0
    increment_base: float = 2.0
    jitter: float = 0.5
    connection_timeout: float = 10.0
    read_timeout: float = 60.0
    # Files above this size are uploaded as staged blocks + one commit; below, one Put Blob.
    block_size: int = 8 * 1024 * 1024
    max_concurrency: int = 2

    def validate(self) -> None:
        if not re.match(r"^https://[^/\s]+(/[^\s]*)?$", self.account_url):
            raise ConfigError(
                f"--account-url: expected https://<account>.blob.core.windows.net, got {self.account_url!r}"
            )
        if not re.match(r"^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", self.container):
            raise ConfigError(
                f"--container: {self.container!r} is not a valid container name (3-63 lowercase letters, digits, "
                "hyphens)"
            )
        if self.prefix.startswith("/") or "\\" in self.prefix:
            raise ConfigError(f"--prefix: use a relative blob prefix like 'raw/clickstream', got {self.prefix!r}")
        for name in ("retry_total", "max_concurrency", "block_size"):
            if getattr(self, name) < (0 if name == "retry_total" else 1):
                raise ConfigError(f"azure {name}: must be positive, got {getattr(self, name)!r}")
        for name in ("initial_backoff", "increment_base", "jitter", "connection_timeout", "read_timeout"):
            if getattr(self, name) < 0:
                raise ConfigError(f"azure {name}: must be >= 0, got {getattr(self, name)!r}")


@dataclass(frozen=True)
class ProducerConfig:
    """Everything one run needs. Same (seed, start) -> byte-identical output."""

    sink: str = "local"
    events: int = 10_000
    # Events per second (paced in wall-clock time); None = as fast as possible.
    rate: float | None = None
    seed: int = 1
    # Start of the simulated timeline (UTC). None: now, or when running as fast as
    # possible, now minus the simulated span, so the run's events end about now.
    start: datetime | None = None
    users: int = 5_000
    events_per_file: int = 50_000
    # Paced runs also close a file after this many seconds, so files arrive steadily.
    flush_seconds: float = 30.0
    defects: DefectRates = field(default_factory=DefectRates)
    root: Path = DEFAULT_LOCAL_ROOT
    volume_path: str | None = None
    azure: AzureSettings = field(default_factory=AzureSettings)

    def validate(self) -> ProducerConfig:
        if self.sink not in SINKS:
            raise ConfigError(f"--sink: unknown sink {self.sink!r}; choose one of {', '.join(SINKS)}")
        _require_int("--events", self.events, minimum=1)
        _require_int("--seed", self.seed, minimum=0)
        _require_int("--users", self.users, minimum=1)
        _require_int("--events-per-file", self.events_per_file, minimum=1)
        if self.rate is not None and (
            not isinstance(self.rate, (int, float)) or not math.isfinite(self.rate) or self.rate <= 0
        ):
            raise ConfigError(f"--rate: must be a positive number of events per second (or 'max'), got {self.rate!r}")
        if not self.flush_seconds > 0:
            raise ConfigError(f"--flush-seconds: must be > 0, got {self.flush_seconds!r}")
        if self.start is not None and self.start.tzinfo is None:
            raise ConfigError(
                f"--start: give a UTC time with an offset, e.g. 2026-11-26T18:00:00Z, got {self.start.isoformat()}"
            )
        self.defects.validate()
        if self.sink == "volume":
            if not self.volume_path or not VOLUME_PATH_RE.match(self.volume_path):
                raise ConfigError(
                    f"--volume-path: expected /Volumes/<catalog>/<schema>/<volume>[/...], got {self.volume_path!r}"
                )
        if self.sink == "azure":
            self.azure.validate()
        return self

    def timeline_rate(self) -> float:
        return self.rate if self.rate is not None else DEFAULT_TIMELINE_RATE

    def resolved_start(self, now: datetime | None = None) -> datetime:
        if self.start is not None:
            return self.start.astimezone(UTC)
        now = now or datetime.now(UTC)
        if self.rate is None:
            now -= timedelta(seconds=self.events / DEFAULT_TIMELINE_RATE)
        return now.replace(microsecond=now.microsecond // 1000 * 1000)

    def landing_root(self) -> Path:
        """Filesystem root of the local and volume sinks."""
        return Path(self.volume_path) if self.sink == "volume" else Path(self.root)


def _require_int(option: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{option}: must be an integer >= {minimum}, got {value!r}")
