"""Identifiers planted in every free-text field of an event and in an unknown field: what the
unit and end-to-end privacy tests feed in, and the markers that must not survive bronze."""

from __future__ import annotations

from contract import FREE_TEXT_FIELDS, FREE_TEXT_MAPS

EMAIL, ENCODED_EMAIL, PHONE, USER_ID = "ada.l+x@example.co.uk", "bob%40test.io", "+33 6 12 34 56 78", "u-8812345"
MARKERS = (EMAIL, ENCODED_EMAIL, "ada.l", "bob%40", "12 34 56", USER_ID)
TEXT = f"mail {EMAIL} or call {PHONE}"
URL = f"https://shop.example.com/search?q={ENCODED_EMAIL}&user_id={USER_ID}&page=2"
STRUCTURED_VALUE = "P-10123"


def _set(event: dict, path: str, value) -> None:
    *parents, leaf = path.split(".")
    for p in parents:
        event = event.setdefault(p, {})
    event[leaf] = value


def event(event_id: str, event_ts: str = "2026-11-26T17:00:00Z") -> dict:
    """A valid page view with the identifiers in every free-text field and in ``contact``
    (unknown to the contract, so it ends in _rescued_data)."""
    out = {
        "event_id": event_id,
        "event_type": "page_view",
        "event_ts": event_ts,
        "session_id": "s-planted",
        "schema_version": 1,
        "user": {"id": "u-planted", "email": "planted@example.com"},
        "device": {"type": "mobile"},
    }
    for path in FREE_TEXT_FIELDS:
        _set(out, path, URL if path.endswith(("url", "referrer")) else TEXT)
    for path, structured in FREE_TEXT_MAPS.items():
        _set(out, path, {"query": TEXT, "new_key": URL, structured[0]: STRUCTURED_VALUE})
    out["contact"] = {"note": TEXT, "ref": URL}
    return out
