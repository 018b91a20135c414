"""Preflight says before Terraform starts why a deploy from this machine cannot reach the
data planes Terraform calls (the Key Vault secret; the workspace API without public access)."""

from __future__ import annotations

from infra.config import load_environment
from infra.preflight import network_problems

PUBLIC_EGRESS = "20.50.60.7"


def _problems(env_name: str, **environ: str) -> list[str]:
    environ.setdefault("CLICKSTREAM_EXPIRES_ON", "2026-12-31")
    return network_problems(load_environment(env_name, environ), environ)


def test_private_env_needs_a_runner_inside_its_network():
    (problem,) = _problems("prod")
    assert "no public endpoints" in problem and "CLICKSTREAM_RUNNER_IN_NETWORK=true" in problem
    assert _problems("prod", CLICKSTREAM_RUNNER_IN_NETWORK="true") == []


def test_firewalled_env_without_allowed_ranges_is_refused_before_terraform():
    for env in ("dev", "pr-42"):
        (problem,) = _problems(env)
        assert "allowed_ip_ranges is empty" in problem and "CLICKSTREAM_ALLOWED_IP_RANGES" in problem


def test_egress_address_is_checked_against_the_allowed_ranges_when_known():
    assert _problems("dev", CLICKSTREAM_ALLOWED_IP_RANGES=PUBLIC_EGRESS) == []
    assert _problems("dev", CLICKSTREAM_ALLOWED_IP_RANGES="20.50.60.0/24", CLICKSTREAM_EGRESS_IP=PUBLIC_EGRESS) == []
    (problem,) = _problems("dev", CLICKSTREAM_ALLOWED_IP_RANGES="52.10.0.0/24", CLICKSTREAM_EGRESS_IP=PUBLIC_EGRESS)
    assert f"egress address {PUBLIC_EGRESS} is outside" in problem
    (problem,) = _problems("dev", CLICKSTREAM_ALLOWED_IP_RANGES=PUBLIC_EGRESS, CLICKSTREAM_EGRESS_IP="not-an-ip")
    assert "is not an IP address" in problem
