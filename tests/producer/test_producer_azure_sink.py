"""Azure sink against a real Azurite (HTTPS, OAuth tokens), with and without injected faults.

Exactly-once is checked against an independent regeneration of the run (same seed and
start), not against the producer's own counters."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from azure.storage.blob import BlobServiceClient
from producer_azurite import REPO, FakeManagedIdentityEndpoint, FaultPlan, FaultProxy

from contract import EVENTS_FEED
from producer import AzureSettings, ProducerConfig, RunFailed, generate, run, run_id_for
from producer.layout import data_path
from producer.sinks import SinkError
from producer.sinks.azure import AzureBlobSink

pytestmark = pytest.mark.slow

START = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)
_names = itertools.count()


@pytest.fixture
def container(azurite, credential):
    name = f"landing-{next(_names)}"
    service = BlobServiceClient(azurite.url, credential=credential, connection_verify=str(azurite.cert))
    service.create_container(name)
    return service.get_container_client(name)


def run_cli(account_url: str, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``python -m producer --sink azure`` against ``account_url``, in a clean environment ``env``."""
    return subprocess.run(
        [sys.executable, "-m", "producer", "--sink", "azure", "--account-url", account_url, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def config_for(url: str, container: str, **azure) -> ProducerConfig:
    settings = dict(
        account_url=url,
        container=container,
        retry_total=8,
        initial_backoff=0.01,
        increment_base=0.05,
        jitter=0.01,
        connection_timeout=5,
        read_timeout=5,
    )
    settings.update(azure)
    return ProducerConfig(
        sink="azure", events=12_000, seed=21, start=START, events_per_file=4_000, azure=AzureSettings(**settings)
    )


def sink_for(config, azurite, credential) -> AzureBlobSink:
    return AzureBlobSink(config.azure, credential=credential, connection_verify=str(azurite.cert))


def expected_files(config: ProducerConfig) -> dict[str, bytes]:
    run_id = run_id_for(config.seed, START)
    return {data_path(b.feed, b.hour_ms, run_id, b.seq): b.payload for b in generate(config, START)}


def stored(container, prefix: str = "") -> dict[str, bytes]:
    return {b.name: container.download_blob(b.name).readall() for b in container.list_blobs(name_starts_with=prefix)}


def test_happy_path_writes_every_file_once_with_a_token(azurite, credential, container):
    config = config_for(azurite.url, container.container_name, prefix="raw/clickstream")
    summary = run(config, sink=sink_for(config, azurite, credential))
    blobs = stored(container)
    expected = {f"raw/clickstream/{p}": payload for p, payload in expected_files(config).items()}
    assert {k: v for k, v in blobs.items() if "/_runs/" not in k} == expected
    assert f"raw/clickstream/{summary.summary_path}" in blobs
    assert summary.status == "completed" and summary.lines[EVENTS_FEED] == 12_000
    props = container.get_blob_client(next(iter(expected))).get_blob_properties()
    assert props.content_settings.content_type == "application/x-ndjson"
    assert credential.calls >= 1


def test_transient_faults_are_retried_and_every_reported_event_is_stored_exactly_once(azurite, credential, container):
    # Small blocks: files go up as staged blocks + commit, so faults hit both kinds of request.
    plan = FaultPlan(
        pattern=("ok", "503", "ok", "lost", "ok", "500", "reset", "ok", "hang", "ok", "ok", "lost"),
        hang_s=1.2,
        max_faults=60,
    )
    with FaultProxy(azurite, plan) as proxy:
        # 16 retries: faults cycle over every request, so under load one blob's requests can
        # meet 8+ of them in a row (seen in a loaded clean-clone CI run); max_faults bounds the total.
        config = config_for(proxy.url, container.container_name, block_size=256 * 1024, read_timeout=1, retry_total=16)
        summary = run(config, sink=sink_for(config, azurite, credential))
    assert {"503", "500", "reset", "lost", "hang"} <= set(plan.faults)
    assert summary.status == "completed"
    blobs = stored(container)
    expected = expected_files(config)
    assert {k: v for k, v in blobs.items() if not k.startswith("_runs/")} == expected
    reported = {f["path"] for f in summary.files}
    assert reported == set(expected)
    event_lines = [line for p, data in blobs.items() if p.startswith(EVENTS_FEED) for line in data.splitlines()]
    assert len(event_lines) == summary.lines[EVENTS_FEED] == 12_000


def test_lasting_outage_stops_with_a_clear_message_and_nothing_partial(azurite, credential, container):
    plan = FaultPlan(fail_after=25, permanent=503)
    with FaultProxy(azurite, plan) as proxy:
        config = config_for(proxy.url, container.container_name, block_size=256 * 1024, retry_total=2)
        with pytest.raises(RunFailed) as failed:
            run(config, sink=sink_for(config, azurite, credential))
    summary = failed.value.summary
    assert summary.status == "failed"
    assert "failed with HTTP 503" in summary.error and "after up to 2 retries" in summary.error
    assert summary.uncommitted is not None and summary.summary_path is None
    blobs = stored(container)
    expected = expected_files(config)
    assert set(blobs) == {f["path"] for f in summary.files}
    assert all(blobs[p] == expected[p] for p in blobs)
    assert summary.uncommitted["path"] not in blobs
    assert summary.lines[EVENTS_FEED] == sum(f["lines"] for f in summary.files if f["feed"] == EVENTS_FEED)


def test_missing_container_is_reported_before_generating(azurite, credential):
    config = config_for(azurite.url, "no-such-container")
    with pytest.raises(SinkError, match="container 'no-such-container' not found"):
        run(config, sink=sink_for(config, azurite, credential))


def test_cli_authenticates_with_default_azure_credential_via_managed_identity(azurite, credential, container, tmp_path):
    """The product path end to end: `python -m producer --sink azure` gets its token from
    DefaultAzureCredential -> ManagedIdentityCredential (App Service flavour, faked on
    loopback); no key, SAS or connection string anywhere."""
    with FakeManagedIdentityEndpoint(credential) as identity:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "NO_PROXY": "127.0.0.1",
            "REQUESTS_CA_BUNDLE": str(azurite.cert),
            **identity.env,
        }
        done = run_cli(
            azurite.url,
            ["--container", container.container_name, "--events", "3000", "--seed", "3", "--quiet"]
            + ["--client-id", "11111111-2222-3333-4444-555555555555"],
            env,
        )
    assert done.returncode == 0, done.stderr
    assert identity.requests and identity.requests[0]["resource"] == "https://storage.azure.com"
    assert identity.requests[0]["client_id"] == "11111111-2222-3333-4444-555555555555"
    lines = [
        line
        for b in container.list_blobs(name_starts_with=EVENTS_FEED)
        for line in container.download_blob(b.name).readall().splitlines()
    ]
    assert len(lines) == 3000


def test_cli_reports_a_missing_credential_clearly(azurite, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "NO_PROXY": "127.0.0.1",
        # An unreachable managed identity endpoint: no IMDS probing off this machine.
        "IDENTITY_ENDPOINT": "http://127.0.0.1:9/msi/token",
        "IDENTITY_HEADER": "x",
    }
    done = run_cli(azurite.url, ["--events", "10", "--quiet"], env)
    assert done.returncode == 1
    assert "no Azure credential available: on a laptop run `az login`" in done.stderr
    assert "ManagedIdentityCredential" in done.stderr  # what DefaultAzureCredential tried
