"""Sensitive columns and their Unity Catalog column masks: the list, declared once.

Next to the access matrix (``rbac.py``): analysts read gold, and these gold columns carry
what the pseudonymisation leaves personal (the pseudonymous user key, page URLs whose
query strings can hold personal data, free-form event properties). Every gold table with
one of these columns gets the column's mask in its pipeline definition (Databricks only:
pipelines/clickstream/platform.py); the deploy creates the mask functions first
(infra/constructs/masks.py runs ``function_statements`` on the SQL warehouse).

A mask shows the stored value to the roles in ``SEES_UNMASKED`` and ``masked`` (a SQL
expression over ``value``) to everyone else. Pure data and string helpers, no imports
beyond ``rbac``: infra, the pipeline and ops read it.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract import rbac

# The schema that holds the mask functions (beside the tables analysts read).
FUNCTION_SCHEMA = "gold"
# The pipeline's own principal too: gold's KPIs are computed from gold's facts, and a
# masked user_key would count every user as one.
SEES_UNMASKED = (rbac.PLATFORM_ADMINS, rbac.DATA_ENGINEERS, rbac.PIPELINES)


@dataclass(frozen=True)
class Mask:
    function: str  # name in FUNCTION_SCHEMA
    type: str  # the column's SQL type: a mask returns the type of its column
    masked: str  # what the others see: a SQL expression over `value`
    shown_as: str  # the same, in words (README)


REDACTED = Mask("mask_redacted", "STRING", "'***'", "`***`")
URL_WITHOUT_QUERY = Mask(
    "mask_url", "STRING", "regexp_extract(value, '^[^?#]*', 0)", "the URL without query string and fragment"
)
NO_PROPERTIES = Mask("mask_properties", "MAP<STRING, STRING>", "CAST(NULL AS MAP<STRING, STRING>)", "NULL")

# Column name -> mask, in every gold table that has the column.
SENSITIVE_COLUMNS: dict[str, Mask] = {
    "user_key": REDACTED,
    "page_url": URL_WITHOUT_QUERY,
    "referrer": URL_WITHOUT_QUERY,
    "properties": NO_PROPERTIES,
}


def masks() -> tuple[Mask, ...]:
    """Each mask once, in a stable order."""
    return tuple(sorted(set(SENSITIVE_COLUMNS.values()), key=lambda m: m.function))


def function_name(catalog: str, mask: Mask) -> str:
    return f"{catalog}.{FUNCTION_SCHEMA}.{mask.function}"


def _quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def function_statement(catalog: str, mask: Mask, group_names: dict[str, str]) -> str:
    """``CREATE OR REPLACE FUNCTION`` of one mask: idempotent, so the deploy can rerun it.
    ``group_names``: role -> account group display name (the stack's ``groups``)."""
    members = " OR ".join(f"is_account_group_member({_quoted(group_names[role])})" for role in SEES_UNMASKED)
    return (
        f"CREATE OR REPLACE FUNCTION {function_name(catalog, mask)}(value {mask.type})\n"
        f"RETURNS {mask.type}\n"
        f"COMMENT {_quoted('Column mask (contract/masks.py): stored value for ' + ', '.join(SEES_UNMASKED))}\n"
        f"RETURN CASE WHEN {members} THEN value ELSE {mask.masked} END"
    )


def function_statements(catalog: str, group_names: dict[str, str]) -> str:
    """Every mask function, as one SQL script (statements end with ``;``)."""
    return "".join(function_statement(catalog, mask, group_names) + ";\n" for mask in masks())


def column_masks(columns: list[str]) -> dict[str, Mask]:
    """The sensitive ones among a table's ``columns``."""
    return {c: SENSITIVE_COLUMNS[c] for c in columns if c in SENSITIVE_COLUMNS}
