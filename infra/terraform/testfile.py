"""The ``terraform test`` file for one synthesized stack: every provider mocked, a plan
run (its plan feeds the review and checkov) and an apply run with the invariants; the
test framework destroys what the apply created, which runs the destroy graph."""

from __future__ import annotations

from infra.config import Environment
from infra.terraform.invariants import invariants
from infra.terraform.mocks import REAL, mock_provider

TEST_FILE = "offline.tftest.json"


def mock_providers(doc: dict) -> dict:
    """A mock for every provider configuration of the stack (aliases included), but the real ones."""
    mocks = {}
    for name, configurations in doc.get("provider", {}).items():
        if name in REAL:
            continue
        blocks = [mock_provider(name, c.get("alias")) for c in configurations]
        mocks[name] = blocks if len(blocks) > 1 else blocks[0]
    return mocks


def test_document(env: Environment | None, doc: dict) -> dict:
    """``env`` None: a stack that is no environment (the bootstrap), applied without invariants."""
    return {
        "mock_provider": mock_providers(doc),
        "run": {
            "plan": {"command": "plan"},
            "apply": {"command": "apply", "assert": [i.assert_block() for i in invariants(env, doc)] if env else []},
        },
    }
