"""Turn an SDK error into a one-line summary and optional detail lines."""

from __future__ import annotations

# On 401/403 the SDK appends its whole configuration to the message; useful for
# debugging auth, too long for a summary line.
CONFIG_MARKER = ". Config: "


def describe(err: BaseException, *, with_type: bool = True) -> tuple[str, list[str]]:
    message = str(err)
    head, marker, config = message.partition(CONFIG_MARKER)
    summary = f"{type(err).__name__}: {head}" if with_type else head
    details = [f"SDK config: {config}"] if marker else []
    if isinstance(err, TimeoutError) and err.__cause__ is not None:
        # The SDK's "Timed out after 0:05:00" says nothing of what it was retrying.
        details.insert(0, f"last error: {type(err.__cause__).__name__}: {str(err.__cause__)[:300]}")
    return summary, details
