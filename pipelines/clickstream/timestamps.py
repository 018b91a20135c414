"""Timestamp normalisation: the three formats the producer emits, all to UTC.

Every parse is zone-explicit (the legacy format gets a literal 'Z'), so the result does
not depend on the session time zone, and a value in no known format becomes NULL (which
the ``timestamp_present`` rule then quarantines) instead of failing the update.
"""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from contract import ISO_TIMESTAMP_FORMAT, LEGACY_TIMESTAMP_FORMAT

# Epoch milliseconds: a JSON number, read as text by the contract's STRING field.
# 12-13 digits covers 1973..2286; shorter or longer numbers are not millisecond times.
EPOCH_MILLIS_RE = r"^[0-9]{12,13}$"


def to_utc(raw: Column | str) -> Column:
    text = F.trim(F.col(raw) if isinstance(raw, str) else raw)
    return F.coalesce(
        F.try_to_timestamp(text, F.lit(ISO_TIMESTAMP_FORMAT)),
        F.when(text.rlike(EPOCH_MILLIS_RE), F.timestamp_millis(text.cast("bigint"))),
        F.try_to_timestamp(F.concat(text, F.lit("Z")), F.lit(LEGACY_TIMESTAMP_FORMAT + "X")),
    )
