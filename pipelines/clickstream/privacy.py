"""Free-text privacy, in one place: which columns are free text and what is removed there.

Free text is what the contract lists (``FREE_TEXT_FIELDS``; ``FREE_TEXT_MAPS`` values outside
their structured keys) plus the raw text bronze keeps for diagnosis (``RAW_TEXT``: unknown or
wrong-typed fields in ``_rescued_data``, unparseable lines in ``_corrupt_record``). Silver
takes every free-text value through :func:`scrub`, so silver, and gold built from it, never
holds free text that was not scrubbed. ``scrub`` removes, in this order:

- the values of URL query parameters that identify a person (``IDENTIFYING_PARAMS``:
  ``email=``, ``phone=``, ``user_id=``, ``token=``...), replaced by ``<redacted>``;
- e-mail addresses, also percent-encoded (``ada%40example.com``), by ``<email-redacted>``;
- phone numbers (9 to 15 digits, an optional leading ``+``, up to two of ``space . ( ) -``
  between digits) by ``<phone-redacted>``. Dates (8 digits) and date-times (``2026-11-26
  18:00``) are left alone; a longer digit run is not a phone number and stays too.

Every pattern runs in time linear in its input on Java's backtracking engine, which
``regexp_replace`` uses: a match can only start where a token starts (a one-character
lookbehind rejects every other position at once), and every repeat is possessive or
bounded, so nothing is given back and re-scanned. ``tests/pipelines/test_privacy.py``
times each pattern on multi-megabyte adversarial values.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable

from pyspark.sql import Column
from pyspark.sql import functions as F

from contract import FREE_TEXT_FIELDS, FREE_TEXT_MAPS
from pipelines.clickstream.names import CORRUPT, RESCUED

RAW_TEXT = (RESCUED, CORRUPT)

EMAIL_TOKEN = "<email-redacted>"
PHONE_TOKEN = "<phone-redacted>"
PARAM_TOKEN = "<redacted>"

IDENTIFYING_PARAMS = (
    r"e[-_]?mail",
    "mail",
    "phone",
    "tel",
    "mobile",
    r"user(?:[-_]?id)?",
    "uid",
    r"customer[-_]?id",
    r"(?:first|last|full)?[-_]?name",
    "address",
    r"(?:access|auth)?[-_]?token",
    "password",
)
# (?<=[?&;]) keeps the separator; the value stops at the next parameter, fragment, blank or
# JSON quote (raw text is JSON), and is matched possessively.
PARAM_RE = rf"(?i)(?<=[?&;])({'|'.join(IDENTIFYING_PARAMS)})=[^&;#\s\"\\]*+"
# Local part from a token start only, then '@' or '%40', then dot-separated labels.
_LOCAL = "A-Za-z0-9._+-"
EMAIL_RE = rf"(?<![{_LOCAL}])[{_LOCAL}]++(?:@|%40)[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++"
# Bounded: 1 + 8..14 digits. Not inside a word or a longer number, not a time (followed by ':').
PHONE_RE = r"(?<!\w)\+?\d(?:[ .()-]{0,2}+\d){8,14}+(?![\w:])"

# Every scrubbing expression, applied in this order: (name, Java regex, replacement).
SCRUBBERS = (
    ("url_identifiers", PARAM_RE, f"$1={PARAM_TOKEN}"),
    ("email", EMAIL_RE, EMAIL_TOKEN),
    ("phone", PHONE_RE, PHONE_TOKEN),
)
# Substrings without which a pattern cannot match: a value holding none of them skips that
# regexp_replace (most free text has no '=' or '@'; a substring test costs a fraction of
# a regex call). No entry: always applied.
REQUIRES = {"url_identifiers": ("=",), "email": ("@", "%40")}


def scrub(text: Column) -> Column:
    """Free text with identifying query parameters, e-mail addresses and phone numbers removed."""
    for name, pattern, replacement in SCRUBBERS:
        text = _bound(text, _replacer(name, pattern, replacement))
    return text


def _replacer(name: str, pattern: str, replacement: str) -> Callable[[Column], Column]:
    def replace(text: Column) -> Column:
        replaced = F.regexp_replace(text, pattern, replacement)
        if name not in REQUIRES:
            return replaced
        may_match = functools.reduce(operator.or_, (text.contains(s) for s in REQUIRES[name]))
        return F.when(may_match, replaced).otherwise(text)

    return replace


def _bound(value: Column, body: Callable[[Column], Column]) -> Column:
    """``body(value)`` with ``value`` written once in the plan however often body uses it (a
    one-element array's transform binds it): nesting the scrubbers stays linear in size."""
    return F.transform(F.array(value), body)[0]


def _scrub_map(values: Column, structured: tuple[str, ...]) -> Column:
    return F.transform_values(values, lambda k, v: F.when(k.isin(*structured), v).otherwise(scrub(v)))


def field(path: str) -> Column:
    """A contract field (dotted path) as silver stores it: scrubbed when it is free text."""
    if path in FREE_TEXT_FIELDS:
        return scrub(F.col(path))
    if path in FREE_TEXT_MAPS:
        return _scrub_map(F.col(path), FREE_TEXT_MAPS[path])
    return F.col(path)


def contains_email(text: str) -> bool:
    """Python-side check with the same pattern (tests, reports)."""
    return re.search(EMAIL_RE, text) is not None
