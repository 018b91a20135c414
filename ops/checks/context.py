"""What every verification check gets: the environment, its outputs, options, a client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from databricks.sdk import WorkspaceClient

from ops.outputs import StackOutputs
from ops.report import Outcome, Progress
from ops.waiting import Deadline


@dataclass(frozen=True)
class Options:
    job: Deadline = Deadline(timeout_seconds=1800, poll_seconds=10)
    pipeline: Deadline = Deadline(timeout_seconds=3600, poll_seconds=10)
    statement: Deadline = Deadline(timeout_seconds=600, poll_seconds=5)
    # Who must be calling: a user name, service principal application id or SCIM id.
    # Unset: any member of the environment's platform-admins group.
    expect_principal: str | None = None
    # A rule failing more than this share of its rows fails the pipeline check.
    max_failed_ratio: float = 0.5


@dataclass
class Context:
    env: str
    outputs: StackOutputs
    options: Options
    progress: Progress
    connect: Callable[[StackOutputs], WorkspaceClient]
    client: WorkspaceClient | None = field(default=None)

    @property
    def w(self) -> WorkspaceClient:
        if self.client is None:
            raise RuntimeError("no workspace client: the workspace check runs first")
        return self.client


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    run: Callable[[Context], Outcome]
