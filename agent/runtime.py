"""Assembling the store, workspace, tracker and triager from the settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlmodel import select

from agent.errors import ConfigError
from agent.pipeline import Pipeline, Triager
from agent.settings import Settings
from agent.workspace import Workspace, load_workspace
from tools.store.db import Store
from tools.store.state import read_state, write_state
from tools.store.tables import TeamRow
from tools.trackers.base import Tracker
from tools.trackers.linear import LinearTracker
from tools.trackers.linear_client import LinearClient
from tools.trackers.local import LocalTracker

logger = logging.getLogger(__name__)

WORKSPACE_KEY = "workspace"
SCRIPTED_PREFIX = "scripted:"
LINEAR_TIMEOUT_S = 30.0


@dataclass
class Runtime:
    settings: Settings
    store: Store
    workspace: Workspace
    tracker: Tracker
    triager: Triager

    async def aclose(self) -> None:
        """Release the tracker's connections and the store's."""
        await self.tracker.aclose()
        self.store.close()

    def pipeline(self) -> Pipeline:
        return Pipeline(
            self.store,
            self.tracker,
            self.workspace,
            self.triager,
            max_issues=self.settings.max_issues_per_call,
        )


def open_store(settings: Settings) -> Store:
    return Store.open(settings.resolved_database_url)


def load_or_restore_workspace(store: Store, path: Path | None) -> Workspace:
    """The workspace from `path`, remembered in the store; else the one remembered."""
    if path is not None:
        workspace = load_workspace(path)
        # A workspace with no teams cannot file anything; keep the last good one.
        if workspace.teams:
            remember_workspace(store, workspace)
        return workspace
    remembered = read_state(store, WORKSPACE_KEY)
    if remembered:
        return Workspace.model_validate(remembered)
    with store.session() as session:
        teams = session.exec(select(TeamRow).order_by(TeamRow.position)).all()
    return Workspace.model_validate({"teams": [t.model_dump() for t in teams]})


def remember_workspace(store: Store, workspace: Workspace) -> None:
    LocalTracker(store).seed(workspace)
    write_state(store, WORKSPACE_KEY, workspace.model_dump(mode="json"))


def choose_triager(settings: Settings) -> Triager:
    """Claude when a key is configured, the offline rules otherwise; a model of
    `scripted:FILE` plays Claude's replies from FILE."""
    from agent.triagers.offline import OfflineTriager

    if settings.model.startswith(SCRIPTED_PREFIX):
        return _scripted_triager(settings)
    if not settings.uses_model:
        return OfflineTriager()
    from agent.triagers.claude import ClaudeTriager

    return ClaudeTriager.from_settings(settings)


def _scripted_triager(settings: Settings) -> Triager:
    from agent.triagers.scripted import ScriptError, scripted_triager

    path = Path(settings.model.removeprefix(SCRIPTED_PREFIX))
    try:
        return scripted_triager(path, settings)
    except ScriptError as exc:
        raise ConfigError(str(exc)) from exc


def choose_tracker(settings: Settings, store: Store) -> Tracker:
    if settings.tracker == "local":
        return LocalTracker(store)
    if settings.linear_api_key is None:
        raise ConfigError("the Linear tracker needs LINEAR_API_KEY to be set")
    client = LinearClient(
        httpx.AsyncClient(timeout=LINEAR_TIMEOUT_S),
        api_key=settings.linear_api_key.get_secret_value(),
        api_url=settings.linear_api_url,
    )
    return LinearTracker(client)
