import pytest
from producer_azurite import Azurite, StaticTokenCredential


@pytest.fixture(scope="session")
def azurite(tmp_path_factory):
    """One Azurite for the whole session (slow tests only start it)."""
    with Azurite(tmp_path_factory.mktemp("azurite")) as server:
        yield server


@pytest.fixture
def credential():
    return StaticTokenCredential()
