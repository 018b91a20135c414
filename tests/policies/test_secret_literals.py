"""The secret-literal detector behind CKV_CLK_70: what it flags and what it must not."""

from __future__ import annotations

import pytest

from policies.secret_literals import find_secrets

STORAGE_KEY = "A" * 86 + "=="


@pytest.mark.parametrize(
    "config",
    [
        {"admin_password": "Sup3r-S3cret!"},
        {"settings": {"client_secret": "abc123def456"}},
        {"connection": "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=" + STORAGE_KEY},
        {"key": STORAGE_KEY},
        {"url": "https://st.blob.core.windows.net/landing?sv=2024-01-01&se=2026-01-01&sig=Zm9vYmFyYmF6cXV4MTIzNDU%3D"},
        {"env": {"DATABRICKS_TOKEN_VALUE": "dapi0123456789abcdef0123456789abcdef"}},
        {"pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIE..."},
        {"header": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig"},
        {"jdbc": "postgresql://admin:hunter2@db.example.com:5432/app"},
        {"list": ["ok", {"sas_token": "?sv=2024&sig=abc"}]},
    ],
)
def test_secret_shaped_literals_are_flagged(config):
    assert list(find_secrets(config))


@pytest.mark.parametrize(
    "config",
    [
        {"admin_password": "${random_password.key.result}"},
        {"connection": "AccountKey=${azurerm_storage_account.st.primary_access_key}"},
        {"clickstream.secret_scope": "clickstream-dev", "clickstream.secret_key": "pseudonymisation-key"},
        {"shared_access_key_enabled": False, "key_vault_id": "${azurerm_key_vault.kv.id}"},
        {"landing": "abfss://landing@stclkdev123456.dfs.core.windows.net/"},
        {"//": {"metadata": {"password": "cdktf metadata is not configuration"}}},
        {"content_base64": "aW1wb3J0IG9zCnByaW50KG9zLmVudmlyb24p" * 4},
    ],
)
def test_references_names_and_metadata_are_not_flagged(config):
    assert list(find_secrets(config)) == []


def test_finding_names_the_path():
    assert list(find_secrets({"provider": {"databricks": [{"token": "abc"}]}})) == [
        "provider.databricks[0].token: literal value under a secret-named attribute"
    ]
