"""Environment identity, one definition for infra, policies, the review, the sweep and the
demo: which names are environments, which of them live long, and that every other valid
name is ephemeral (destroyable, swept when it expires). Pure Python, no imports beyond
the standard library.
"""

from __future__ import annotations

import re

LONG_LIVED = ("dev", "prod")
# The stack of state backends and deploying identities (infra/bootstrap): a stack name
# that is never an environment's.
BOOTSTRAP = "bootstrap"
# 2-12 characters; a name is also a resource-name part, so no leading digit, no trailing
# or doubled hyphen. Pydantic's pattern engine has no lookahead: "--" is checked apart.
NAME_PATTERN = r"^[a-z][a-z0-9-]{0,10}[a-z0-9]$"
NAME_RULE = (
    "2-12 characters, lowercase letters, digits and single hyphens, starting with a letter "
    "and ending with a letter or digit (e.g. dev, prod, pr-42)"
)


def is_valid_name(name: str) -> bool:
    return bool(re.match(NAME_PATTERN, name)) and "--" not in name and name != BOOTSTRAP


def check_name(name: str) -> str:
    """``name`` if it is an environment name; ValueError naming the rule otherwise."""
    if name == BOOTSTRAP:
        raise ValueError(f"environment name {name!r} is reserved for the bootstrap stack (infra/bootstrap)")
    if not is_valid_name(name):
        raise ValueError(f"environment name {name!r}: must be {NAME_RULE}")
    return name


def is_long_lived(name: str) -> bool:
    return name in LONG_LIVED


def is_ephemeral(name: str) -> bool:
    return is_valid_name(name) and not is_long_lived(name)
