from collections.abc import Iterator

import pytest

from tests.fakes.linear_server import FakeLinear


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake_linear() -> Iterator[FakeLinear]:
    with FakeLinear().running() as fake:
        yield fake
