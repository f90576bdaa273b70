from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

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


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A database of its own on the test Postgres server, dropped at the end."""
    configured = os.environ.get("CALLTRIAGE_TEST_POSTGRES_URL")
    if not configured:
        pytest.skip("CALLTRIAGE_TEST_POSTGRES_URL is not set; no Postgres to test on")
    name = f"calltriage_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(configured, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(configured).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """The session's Postgres database, emptied after each test."""
    yield postgres_server_url
    engine = create_engine(postgres_server_url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
