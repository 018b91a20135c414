"""`make rotate-key ENV=dev`: bump the environment's pseudonymisation key version.

The key is write-only (``value_wo``): Terraform sends a new value only when
``value_wo_version`` changes, so rotating is one committed change to
``environments/key-versions.json``; the next deploy writes a fresh key and a new expiry.
A new key changes every pseudonym: older data no longer joins with newer data.
"""

from __future__ import annotations

import json
import sys

from contract.environments import check_name
from infra.config import KEY_VERSIONS_FILE, key_versions


def rotate(env_name: str) -> int:
    """Write the next key version of ``env_name`` and return it."""
    check_name(env_name)
    versions = key_versions()
    versions[env_name] = versions.get(env_name, 1) + 1
    KEY_VERSIONS_FILE.write_text(json.dumps(dict(sorted(versions.items())), indent=2) + "\n")
    return versions[env_name]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m infra.rotate_key <env>", file=sys.stderr)
        return 2
    try:
        version = rotate(argv[0])
    except ValueError as err:
        print(f"rotate-key: {err}", file=sys.stderr)
        return 1
    print(
        f"rotate-key: {argv[0]} key version is now {version}; commit {KEY_VERSIONS_FILE.name} and deploy "
        "to write the new key (every pseudonym changes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
