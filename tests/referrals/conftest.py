from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import World
from tests.factories import ProviderFactory, ServiceFactory, make_referral


@pytest.fixture
def service(world: World) -> Any:
    """A housing service whose provider has a confidentiality agreement."""
    return ServiceFactory(provider=ProviderFactory(name="Harbour Housing"), name="Supported flats")


@pytest.fixture
def referral(world: World, service: Any) -> Any:
    """A draft that shares the person's identity and contact details."""
    return make_referral(
        world.case, world.case_manager, service=service, information=["identity", "contact"]
    )
