"""Fixtures of the ops contract tests: a fake workspace on loopback and its outputs file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest

from ops import cli
from ops.outputs import StackOutputs
from ops.workspace import connect
from tests.ops.fake_databricks import ENV, TEST_TOKEN, FakeDatabricks, LoopbackToken, Workspace, outputs_document


@pytest.fixture(autouse=True)
def _no_ambient_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own Databricks/Azure settings must not leak into the tests."""
    for name in list(os.environ):
        if name.startswith(("DATABRICKS_", "ARM_", "AZURE_", "IDENTITY_", "MSI_")):
            monkeypatch.delenv(name)


@pytest.fixture
def workspace() -> Workspace:
    return Workspace()


@pytest.fixture
def fake(workspace: Workspace) -> Iterator[FakeDatabricks]:
    server = FakeDatabricks(workspace)
    yield server
    server.close()


@pytest.fixture
def outputs_file(tmp_path, fake: FakeDatabricks):
    path = tmp_path / f"outputs-{ENV}.json"
    path.write_text(json.dumps(outputs_document(fake.url)))
    return path


@pytest.fixture
def connector():
    def connect_to_fake(outputs: StackOutputs):
        return connect(
            outputs.host,
            azure_workspace_resource_id=outputs.workspace_resource_id,
            credentials_strategy=LoopbackToken(TEST_TOKEN),
            retry_timeout_seconds=15,
        )

    return connect_to_fake


@pytest.fixture
def run_ops(outputs_file, connector, capsys):
    """Runs the CLI against the fake: returns (exit code, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        command, *rest = argv
        code = cli.main(
            [command, "--env", ENV, "--outputs", str(outputs_file), "--poll-interval", "0.01", *rest],
            connector=connector,
        )
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
