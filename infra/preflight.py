"""Checks before `make deploy|destroy|diff ENV=...` touches a cloud: says what is missing.

Synth works offline with placeholders; a real plan needs Terraform >= 1.5 (or OpenTofu),
Azure credentials and the Databricks account id.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from infra.config import PLACEHOLDER_ACCOUNT_ID, ConfigError, load_environment
from infra.trust import Platform, load_platform, subscription_id

MIN_TERRAFORM = (1, 5)


def problems(env_name: str, environ: dict[str, str], platform: Platform | None = None) -> list[str]:
    found = []
    try:
        env = load_environment(env_name, environ)
        platform = platform or load_platform(environ=environ)
    except ConfigError as err:
        return [str(err)]
    if env.databricks.account_id == PLACEHOLDER_ACCOUNT_ID:
        found.append("databricks.account_id is the placeholder: export CLICKSTREAM_DATABRICKS_ACCOUNT_ID=<your account id>")
    binary = environ.get("TERRAFORM_BINARY_NAME", "terraform")
    if shutil.which(binary, path=environ.get("PATH")) is None:
        found.append(f"{binary} not found: install Terraform >= 1.5 (or OpenTofu and set TERRAFORM_BINARY_NAME=tofu)")
    else:
        out = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
        match = re.search(r"v(\d+)\.(\d+)", out)
        if match and tuple(map(int, match.groups())) < MIN_TERRAFORM:
            found.append(f"{binary} {match.group(0)} is too old: need >= 1.5")
    has_oidc = environ.get("ARM_USE_OIDC") == "true" and environ.get("ARM_CLIENT_ID")
    if not has_oidc and shutil.which("az", path=environ.get("PATH")) is None:
        found.append("no Azure credentials: run `az login` (Azure CLI) or set ARM_USE_OIDC=true, ARM_CLIENT_ID, "
                     "ARM_TENANT_ID, ARM_SUBSCRIPTION_ID (OIDC in CI)")
    actual, expected = environ.get("ARM_SUBSCRIPTION_ID"), subscription_id(platform, env)
    if not actual:
        found.append("ARM_SUBSCRIPTION_ID is not set (azurerm 4.x needs the subscription explicitly)")
    elif expected and actual.lower() != expected:
        # The subscription is the trust boundary: never plan an environment into another's.
        found.append(f"ARM_SUBSCRIPTION_ID {actual} is not {env.name}'s subscription "
                     f"{env.azure.subscription!r} ({expected}, infra/platform.yaml)")
    return found


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
