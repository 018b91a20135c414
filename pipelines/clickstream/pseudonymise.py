"""PII pseudonymisation: HMAC-SHA256 keyed by a secret, computed in Spark SQL.

Spark has no HMAC function, but HMAC is two SHA-256 passes over the key XOR-ed with fixed
pads (RFC 2104), and ``sha2`` takes binary input. Building the padded keys in Python and
inlining them keeps the work in the JVM (no Python UDF round trip per row) while giving
the exact ``hmac.new(key, msg, sha256)`` digest, which the unit tests check.
"""

from __future__ import annotations

import hashlib
import re

from pyspark.sql import Column
from pyspark.sql import functions as F

BLOCK_SIZE = 64  # SHA-256 block size in bytes
EMAIL_RE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
REDACTED = "<email-redacted>"


class PseudonymKeyError(ValueError):
    """The pseudonymisation key is unusable."""


def _pads(key: bytes) -> tuple[bytes, bytes]:
    if not key:
        raise PseudonymKeyError("the pseudonymisation key is empty")
    if len(key) > BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK_SIZE, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def hmac_sha256(message: Column, key: bytes) -> Column:
    """Hex HMAC-SHA256 of a string column (NULL stays NULL)."""
    inner_pad, outer_pad = _pads(key)
    inner = F.sha2(F.concat(F.lit(inner_pad), F.encode(message, "UTF-8")), 256)
    return F.sha2(F.concat(F.lit(outer_pad), F.unhex(inner)), 256)


def email_key(email: Column, key: bytes) -> Column:
    """Stable pseudonym of an e-mail address: case and surrounding blanks do not matter."""
    return hmac_sha256(F.lower(F.trim(email)), key)


def redact_emails(text: Column) -> Column:
    """Raw text (rescued or corrupt data) with every e-mail address replaced."""
    return F.regexp_replace(text, EMAIL_RE, REDACTED)


def contains_email(text: str) -> bool:
    return re.search(EMAIL_RE, text) is not None
