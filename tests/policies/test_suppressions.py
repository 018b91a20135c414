"""The reviewed suppression files: every entry justified, prod strictly stricter than dev,
and a suppression turns exactly the failures it names into justified skips."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from policies import suppressions
from synthesized.stack import EnvKind

FILES = {kind: suppressions.suppressions_file(kind) for kind in EnvKind}


def keys(kind: EnvKind) -> set[tuple[str, str]]:
    return {s.key for s in suppressions.load(FILES[kind])}


@pytest.mark.parametrize("kind", list(EnvKind))
def test_every_suppression_file_loads_with_justifications(kind):
    assert all(s.justification for s in suppressions.load(FILES[kind]))


def test_prod_suppresses_strictly_less_than_dev():
    prod, dev = keys(EnvKind.PROD), keys(EnvKind.DEV)
    assert prod - dev == set(), f"prod suppresses what dev does not: {sorted(prod - dev)}"
    assert prod < dev or not dev, "prod must suppress strictly less than dev"


@pytest.mark.parametrize("kind", list(EnvKind))
def test_suppressions_name_existing_checks(kind, known_check_ids):
    unknown = {s.check for s in suppressions.load(FILES[kind])} - known_check_ids
    assert unknown == set(), f"{FILES[kind]}: no such checks {sorted(unknown)}"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "dev.yaml"
    path.write_text(textwrap.dedent(body))
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("suppressions:\n  - check: CKV_AZURE_35\n", "needs a 'justification'"),
        (
            "suppressions:\n  - check: CKV_AZURE_35\n    justification: a reason that is long enough\n",
            "needs 'resource'",
        ),
        (
            (
                "suppressions:\n  - check: CKV_AZURE_35\n    resource: azurerm_storage_account.*\n"
                "    justification: a reason that is long enough\n"
            ),
            "needs 'resource': the address type.name",
        ),
        (
            (
                "suppressions:\n  - check: CKV_AZURE_35\n    resource: azurerm_storage_account\n"
                "    justification: a reason that is long enough\n"
            ),
            "not 'azurerm_storage_account'",
        ),
        (
            (
                "suppressions:\n  - check: CKV_AZURE_35\n    resource: [azurerm_storage_account.a, '*']\n"
                "    justification: a reason that is long enough\n"
            ),
            "not '\\*'",
        ),
        (
            "suppressions:\n  - check: CKV_AZURE_35\n    resource: azurerm_storage_account.a\n    justification: n/a\n",
            "needs a 'justification'",
        ),
        (
            "suppressions:\n  - check: azure35\n    justification: a reason that is long enough\n",
            "'check' must be a check id",
        ),
        (
            "suppressions:\n  - check: CKV_AZURE_35\n    justification: a reason that is long enough\n    why: x\n",
            "unknown field",
        ),
        ("suppressions: {check: CKV_AZURE_35}\n", "'suppressions' list"),
        ("- CKV_AZURE_35\n", "'suppressions' list"),
        ("suppressions: [\n", "not valid YAML"),
        (
            (
                "suppressions:\n  - {check: CKV_AZURE_35, resource: a.b, justification: a reason that is long enough}\n"
                "  - {check: CKV_AZURE_35, resource: a.b, justification: another reason long enough}\n"
            ),
            "duplicate",
        ),
    ],
)
def test_bad_suppression_file_is_refused_naming_it(tmp_path, body, message):
    path = write(tmp_path, body)
    with pytest.raises(suppressions.SuppressionError, match=message) as err:
        suppressions.load(path)
    assert str(path) in str(err.value)


def test_a_list_of_addresses_is_one_suppression_per_resource(tmp_path):
    path = write(
        tmp_path,
        """\
        suppressions:
          - check: CKV2_AZURE_21
            resource: [azurerm_storage_container.catalog, azurerm_storage_container.landing]
            justification: container logging goes through the diagnostic setting
    """,
    )
    assert [s.resource for s in suppressions.load(path)] == [
        "azurerm_storage_container.catalog",
        "azurerm_storage_container.landing",
    ]


@pytest.mark.parametrize("kind", list(EnvKind))
def test_reviewed_suppressions_name_resource_addresses(kind):
    assert all(suppressions.ADDRESS.match(s.resource) for s in suppressions.load(FILES[kind]))


def test_suppression_skips_only_the_named_resource_with_its_justification(scan):
    def two_weak_accounts(config: dict) -> None:
        accounts = config["resource"]["azurerm_storage_account"]
        accounts["storage"]["min_tls_version"] = "TLS1_0"
        accounts["other"] = json.loads(json.dumps(accounts["storage"]))

    result = scan("dev", two_weak_accounts, checks=["CKV_CLK_13"])
    entry = suppressions.Suppression(
        check="CKV_CLK_13", resource="azurerm_storage_account.storage", justification="legacy client, fixed by 2027"
    )
    used = suppressions.apply(result.report, (entry,))
    assert used == {entry}
    assert [r.resource for r in result.report.failed_checks] == ["azurerm_storage_account.other"]
    [skipped] = result.report.skipped_checks
    assert skipped.resource == "azurerm_storage_account.storage"
    assert skipped.check_result["suppress_comment"] == "legacy client, fixed by 2027"
