"""Names are valid Azure names for every valid environment, stable and distinct."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from contract.environments import NAME_PATTERN
from infra.naming import Names, unique_suffix

env_names = st.from_regex(NAME_PATTERN, fullmatch=True).filter(lambda n: "--" not in n)
locations = st.sampled_from(["westeurope", "northeurope", "eastus2", "swedencentral"])

STORAGE_ACCOUNT = re.compile(r"^[a-z0-9]{3,24}$")
KEY_VAULT = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
RESOURCE_GROUP = re.compile(r"^[\w\-.()]{1,89}[\w\-()]$")
UC_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@given(env_names, locations)
def test_every_name_is_valid_for_its_resource_type(env, location):
    names = Names(env=env, location=location)
    assert STORAGE_ACCOUNT.match(names.storage_account), names.storage_account
    assert KEY_VAULT.match(names.key_vault), names.key_vault
    assert RESOURCE_GROUP.match(names.resource_group)
    assert RESOURCE_GROUP.match(names.managed_resource_group)
    assert 4 <= len(names.log_analytics) <= 63
    assert 3 <= len(names.workspace) <= 64
    assert UC_IDENTIFIER.match(names.catalog)


@given(env_names, locations)
def test_names_are_deterministic(env, location):
    assert Names(env=env, location=location) == Names(env=env, location=location)
    assert Names(env=env, location=location).storage_account == Names(env=env, location=location).storage_account


@given(env_names, env_names, locations)
def test_globally_unique_names_differ_between_environments(a, b, location):
    if a != b:
        first, second = Names(env=a, location=location), Names(env=b, location=location)
        assert first.storage_account != second.storage_account
        assert first.key_vault != second.key_vault


def test_suffix_is_a_fixed_digest_not_random():
    assert unique_suffix("clickstream", "dev", "westeurope") == unique_suffix("clickstream", "dev", "westeurope")
    assert re.fullmatch(r"[a-z0-9]{6}", unique_suffix("x"))


@given(env_names, locations, st.sampled_from(["platform-admins", "data-analysts", "producers"]))
def test_policies_read_names_back_without_the_region(env, location, role):
    names = Names(env=env, location=location)
    assert names.role_of_group(names.group(role)) == role and names.is_group(names.group(role))
    assert names.external_location_key(names.external_location("landing")) == "landing"
    assert not names.is_group(Names(env=f"{env}x", location=location).group(role))
    assert not names.is_group(names.service_principal("Producer_1"))
