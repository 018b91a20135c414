"""No credential in the synthesized configuration: it would sit in git, CI logs and state."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from checkov.common.models.enums import CheckCategories

from policies.checkbase import StackCheck
from policies.secret_literals import find_secrets
from synthesized.stack import Stack

# Attributes that hold the secret itself (databricks_secret's string_value is caught by its name).
SECRET_VALUE_RESOURCES = {"azurerm_key_vault_secret": ("value", "value_wo")}


class NoSecretLiterals(StackCheck):
    id = "CKV_CLK_70"
    name = "No secret-looking literal (key, password, token, connection string, SAS) in the configuration"
    severity_name = "CRITICAL"
    remediation = (
        "Generate the secret in Terraform (an ephemeral random_password into a write-only value_wo) or "
        "reference it from Key Vault; never put it in code or config. Rotate any secret that was committed."
    )
    resources = ("*",)
    category = CheckCategories.SECRETS

    def problems(self, stack: Stack, resource_type: str, name: str, resource: dict[str, Any]) -> Iterable[str]:
        yield from find_secrets(resource)
        for attribute in SECRET_VALUE_RESOURCES.get(resource_type, ()):
            value = resource.get(attribute)
            if isinstance(value, str) and not value.startswith("${"):
                yield f"{attribute}: a literal secret value"


no_secret_literals = NoSecretLiterals()
