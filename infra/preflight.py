"""Checks before `make deploy|destroy|diff ENV=...` touches a cloud: says what is missing.

Synth works offline with placeholders; a real plan needs Terraform >= 1.11 (write-only
arguments and ephemeral resources, for the pseudonymisation key) or OpenTofu >= 1.11,
Azure credentials, the Databricks account id, and a network path to the data planes that
Terraform calls (the Key Vault secret, the workspace's API): behind the firewall or inside
the VNet of an environment without public endpoints.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
import sys

from infra.config import PLACEHOLDER_ACCOUNT_ID, ConfigError, Environment, load_environment
from infra.trust import Platform, load_platform, subscription_id

MIN_TERRAFORM = (1, 11)  # value_wo on the Key Vault secret, ephemeral random_password
# Set to "true" in the environment of a runner inside (or peered to) the VNet of an
# environment without public endpoints: this machine cannot tell by itself.
RUNNER_IN_NETWORK = "CLICKSTREAM_RUNNER_IN_NETWORK"
# Optional: this machine's public egress address, checked against the firewall's ranges.
EGRESS_IP = "CLICKSTREAM_EGRESS_IP"


def _version(parts: tuple[int, ...]) -> str:
    return ".".join(map(str, parts))


def problems(env_name: str, environ: dict[str, str], platform: Platform | None = None) -> list[str]:
    found = []
    try:
        env = load_environment(env_name, environ)
        platform = platform or load_platform(environ=environ)
    except ConfigError as err:
        return [str(err)]
    if env.databricks.account_id == PLACEHOLDER_ACCOUNT_ID:
        found.append(
            "databricks.account_id is the placeholder: export CLICKSTREAM_DATABRICKS_ACCOUNT_ID=<your account id>"
        )
    binary = environ.get("TERRAFORM_BINARY_NAME", "terraform")
    found_binary = shutil.which(binary, path=environ.get("PATH"))
    if found_binary is None:
        found.append(
            f"{binary} not found: install Terraform >= {_version(MIN_TERRAFORM)} (or OpenTofu and set "
            "TERRAFORM_BINARY_NAME=tofu)"
        )
    else:
        out = subprocess.run([found_binary, "version"], capture_output=True, text=True).stdout
        match = re.search(r"v(\d+)\.(\d+)", out)
        if match and tuple(map(int, match.groups())) < MIN_TERRAFORM:
            found.append(
                f"{binary} {match.group(0)} is too old: need >= {_version(MIN_TERRAFORM)} (write-only arguments)"
            )
    has_oidc = environ.get("ARM_USE_OIDC") == "true" and environ.get("ARM_CLIENT_ID")
    if not has_oidc and shutil.which("az", path=environ.get("PATH")) is None:
        found.append(
            "no Azure credentials: run `az login` (Azure CLI) or set ARM_USE_OIDC=true, ARM_CLIENT_ID, "
            "ARM_TENANT_ID, ARM_SUBSCRIPTION_ID (OIDC in CI)"
        )
    actual, expected = environ.get("ARM_SUBSCRIPTION_ID"), subscription_id(platform, env)
    if not actual:
        found.append("ARM_SUBSCRIPTION_ID is not set (azurerm 4.x needs the subscription explicitly)")
    elif expected and actual.lower() != expected:
        # The subscription is the trust boundary: never plan an environment into another's.
        found.append(
            f"ARM_SUBSCRIPTION_ID {actual} is not {env.name}'s subscription "
            f"{env.azure.subscription!r} ({expected}, infra/platform.yaml)"
        )
    return found + network_problems(env, environ)


def network_problems(env: Environment, environ: dict[str, str]) -> list[str]:
    """Why Terraform will not reach the data planes it calls from this machine, if it can tell.

    The Key Vault secret is written and refreshed over the vault's data plane, which denies
    every network but ``network.allowed_ip_ranges`` (or, without public access, everything
    outside the VNet); so does the workspace's API in that case. A deploy from elsewhere
    fails part way with 403 or a timeout."""
    net = env.network
    if not net.public_network_access:
        if environ.get(RUNNER_IN_NETWORK) == "true":
            return []
        return [
            f"{env.name} has no public endpoints (network.public_network_access: false): Terraform must run "
            f"inside its VNet, or a network peered to it that resolves the privatelink DNS zones, or the Key Vault "
            f"secret and every Databricks workspace call fail; on such a runner set {RUNNER_IN_NETWORK}=true "
            "(infra/README.md: First deploy on a new subscription)"
        ]
    if not net.allowed_ip_ranges:
        return [
            "network.allowed_ip_ranges is empty: the Key Vault firewall will refuse Terraform's secret write "
            "(403 ForbiddenByFirewall); export CLICKSTREAM_ALLOWED_IP_RANGES=<this machine's egress address>"
        ]
    egress = environ.get(EGRESS_IP)
    if not egress:
        return []
    try:
        address = ipaddress.ip_address(egress)
    except ValueError:
        return [f"{EGRESS_IP}={egress!r} is not an IP address"]
    if any(address in ipaddress.ip_network(cidr, strict=False) for cidr in net.allowed_ip_ranges):
        return []
    return [
        f"this machine's egress address {egress} is outside network.allowed_ip_ranges "
        f"({', '.join(net.allowed_ip_ranges)}): the Key Vault firewall will refuse Terraform's secret write"
    ]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m infra.preflight <env>", file=sys.stderr)
        return 2
    found = problems(argv[0], dict(os.environ))
    for problem in found:
        print(f"preflight: {problem}", file=sys.stderr)
    if not found:
        print(f"preflight: {argv[0]} is ready to plan", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
