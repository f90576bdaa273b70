"""Fixtures: the sample call and workspace, a store, and pipelines to run triagers."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.calls import Call
from agent.pipeline import Pipeline, Triager
from agent.runtime import remember_workspace
from agent.settings import Settings
from agent.workspace import Workspace
from tests.agent.triagers.sample import sample_call, sample_workspace
from tools.store.db import Store
from tools.trackers.local import LocalTracker


@pytest.fixture
def call() -> Call:
    return sample_call()


@pytest.fixture
def workspace() -> Workspace:
    return sample_workspace()


@pytest.fixture
def store(tmp_path: Path, workspace: Workspace) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 'calltriage.db'}")
    remember_workspace(store, workspace)
    return store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, api_retries=2)


@pytest.fixture
def make_pipeline(store: Store, workspace: Workspace):
    def make(triager: Triager, max_issues: int = 12) -> Pipeline:
        return Pipeline(
            store, LocalTracker(store), workspace, triager, max_issues=max_issues
        )

    return make
