"""The workspace an admin configures: teams, routing guidance, known customers."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError, model_validator

from agent.calls import Affiliation, Party


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

    def is_internal_name(self, name: str | None) -> bool:
        """A speaker named in `internal_speakers`, whatever the case."""
        known = {speaker.casefold() for speaker in self.internal_speakers}
        return name is not None and name.casefold() in known

    def is_internal_domain(self, domain: str | None) -> bool:
        """An email domain in `internal_domains`, or a subdomain of one."""
        if not domain:
            return False
        domain = domain.lower()
        internal = (d.lower().lstrip("@") for d in self.internal_domains)
        return any(domain == d or domain.endswith(f".{d}") for d in internal)

    def is_internal(self, party: Party) -> bool:
        """Whether `party` is on the company's side, by Gong or by this workspace."""
        return (
            party.affiliation == Affiliation.INTERNAL
            or self.is_internal_name(party.name)
            or self.is_internal_domain(party.email_domain)
        )


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
