"""The workspace an admin configures: teams, routing guidance, known customers."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator


class Team(BaseModel):
    key: str
    name: str
    description: str = ""


class KnownCustomer(BaseModel):
    id: str
    name: str
    domains: list[str] = Field(default_factory=list)
    external_ids: list[str] = Field(default_factory=list)


class Workspace(BaseModel):
    """Same keys as `workspace` in a labeled call, plus who counts as internal."""

    teams: list[Team] = Field(default_factory=list)
    default_team: str | None = None
    guidance: str = ""
    customers: list[KnownCustomer] = Field(default_factory=list)
    internal_speakers: list[str] = Field(default_factory=list)
    internal_domains: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _default_team_is_a_team(self) -> Workspace:
        keys = {team.key for team in self.teams}
        if self.default_team is not None and self.default_team not in keys:
            raise ValueError(
                f"default_team {self.default_team!r} is not one of the teams"
            )
        if self.default_team is None and self.teams:
            self.default_team = self.teams[0].key
        return self


class WorkspaceError(ValueError):
    """A workspace file that cannot be read; the message names the file."""


def load_workspace(path: Path) -> Workspace:
    """Read a workspace from a JSON or TOML file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WorkspaceError(
            f"{path}: cannot read workspace file ({exc.strerror})"
        ) from exc
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(raw.decode("utf-8"))
        else:
            data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise WorkspaceError(
            f"{path}: workspace file is not valid JSON or TOML ({exc})"
        ) from exc
    try:
        return Workspace.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "workspace"
        raise WorkspaceError(f"{path}: {where}: {first['msg']}") from exc
