from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.workspace import Workspace
from tests import builders
from tools.context import ToolContext
from tools.store.db import Store
from tools.trackers.local import LocalTracker


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.db'}")
    yield opened
    opened.close()


@pytest.fixture
def workspace() -> Workspace:
    return builders.workspace()


@pytest.fixture
def tracker(store: Store, workspace: Workspace) -> LocalTracker:
    local = LocalTracker(store)
    local.seed(workspace)
    return local


@pytest.fixture
def ctx(tracker: LocalTracker, workspace: Workspace) -> ToolContext:
    return ToolContext(builders.call(), tracker, workspace)
