"""Labeled calls (`calltriage-eval/1`): what a careful human would have filed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError, model_validator

from agent.calls import Call, Party
from agent.readers.gong import call_from_gong
from agent.readers.gong_payloads import GongCall, GongMonologue
from agent.workspace import Workspace
from tools.trackers.base import IssueKind

FORMAT = "calltriage-eval/1"

T = TypeVar("T")

SkipReason = Literal["internal", "private", "too_short", "no_transcript"]
NonActionableKind = Literal[
    "sales_question",
    "beta_access",
    "general_inquiry",
    "internal_commentary",
    "small_talk",
    "injection",
]


class CaseError(ValueError):
    """A labeled call that cannot be read; the message names the file."""


class Window(BaseModel):
    """A stretch of the call, in milliseconds from its start."""

    start_ms: int = Field(ge=0)
    end_ms: int = Field(ge=0)

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> Window:
        if self.end_ms < self.start_ms:
            raise ValueError(f"window ends ({self.end_ms}) before it starts")
        return self

    def overlap_ms(self, start_ms: int, end_ms: int, collar_ms: int = 0) -> int:
        """How long [start_ms, end_ms] shares with this window widened by `collar_ms`.

        A zero-length span inside the window counts as a 1 ms overlap, so an
        excerpt stamped at a single instant still touches the window it sits in.
        """
        low = max(start_ms, self.start_ms - collar_ms)
        high = min(end_ms, self.end_ms + collar_ms)
        if high < low:
            return 0
        return max(high - low, 1)


class Finding(BaseModel):
    """One issue a human would file."""

    id: str
    kind: IssueKind
    team: str
    evidence: list[Window] = Field(min_length=1)
    summary: str
    keywords: list[str] = Field(default_factory=list)


class NonActionable(BaseModel):
    """Talk that must not become an issue."""

    kind: NonActionableKind
    evidence: list[Window] = Field(min_length=1)
    note: str = ""


class NewCustomer(BaseModel):
    name: str
    domain: str | None = None


class ExpectedCustomer(BaseModel):
    """Either an existing workspace customer (`match`) or one to create."""

    match: str | None = None
    create: NewCustomer | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ExpectedCustomer:
        if (self.match is None) == (self.create is None):
            raise ValueError("give exactly one of match or create")
        return self


class Expected(BaseModel):
    eligible: bool
    skip_reason: SkipReason | None = None
    customer: ExpectedCustomer | None = None
    findings: list[Finding] = Field(default_factory=list)
    non_actionable: list[NonActionable] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Expected:
        if self.eligible == (self.skip_reason is not None):
            raise ValueError("skip_reason must be given exactly when eligible is false")
        if not self.eligible and self.findings:
            raise ValueError("a call that must be skipped has findings")
        ids = [finding.id for finding in self.findings]
        if len(ids) != len(set(ids)):
            raise ValueError("finding ids are not unique")
        return self


class GongSentence(BaseModel):
    start: int
    end: int
    text: str


class GongTurn(BaseModel):
    speakerId: str  # noqa: N815 (Gong's spelling)
    sentences: list[GongSentence]


class Utterance(BaseModel):
    """A transcript sentence with the name of whoever said it."""

    speaker_id: str
    speaker: str
    start_ms: int
    end_ms: int
    text: str


class Case(BaseModel):
    """One labeled call; `call`, `transcript` and `workspace` stay as written."""

    format: Literal["calltriage-eval/1"]
    id: str = Field(min_length=1)
    source: str = ""
    call: dict[str, Any]
    transcript: list[dict[str, Any]]
    workspace: dict[str, Any]
    expected: Expected

    @model_validator(mode="after")
    def _parts_are_readable(self) -> Case:
        _readable("transcript", lambda: self.transcript_turns)
        _readable("call.parties", lambda: self.parties)
        workspace = _readable(
            "workspace", lambda: Workspace.model_validate(self.workspace)
        )
        teams = {team.key for team in workspace.teams}
        for finding in self.expected.findings:
            if finding.team not in teams:
                raise ValueError(
                    f"finding {finding.id} names unknown team {finding.team}"
                )
        return self

    @property
    def bundle(self) -> dict[str, Any]:
        """The call as a Gong JSON bundle, ready for the call reader."""
        return {"call": self.call, "transcript": self.transcript}

    @cached_property
    def transcript_turns(self) -> list[GongTurn]:
        return _TURNS.validate_python(self.transcript)

    @cached_property
    def parties(self) -> dict[str, Party]:
        """Parties by speaker id; those who never spoke have no id and are left out."""
        found = {}
        for raw in self.call.get("parties", []):
            if raw.get("speakerId") is None:
                continue
            party = Party(
                speaker_id=raw["speakerId"],
                name=raw.get("name"),
                email=raw.get("emailAddress"),
                title=raw.get("title"),
                affiliation=raw.get("affiliation") or "Unknown",
            )
            found[party.speaker_id] = party
        return found

    @cached_property
    def utterances(self) -> list[Utterance]:
        """Every sentence in call order, named the way excerpts name speakers."""
        return [
            Utterance(
                speaker_id=turn.speakerId,
                speaker=self.speaker_name(turn.speakerId),
                start_ms=sentence.start,
                end_ms=sentence.end,
                text=sentence.text,
            )
            for turn in self.transcript_turns
            for sentence in turn.sentences
        ]

    @cached_property
    def as_call(self) -> Call:
        """The call as the product reads it: what is triaged and what quotes are
        checked against."""
        return call_from_gong(
            GongCall.model_validate(self.call),
            [GongMonologue.model_validate(m) for m in self.transcript],
            source=f"eval:{self.id}",
            workspace=Workspace.model_validate(self.workspace),
        )

    def speaker_name(self, speaker_id: str) -> str:
        party = self.parties.get(speaker_id) or Party(speaker_id=speaker_id)
        return party.display_name


_TURNS = TypeAdapter(list[GongTurn])


def load_cases(paths: Sequence[Path]) -> list[Case]:
    """Read labeled calls from files and folders (a folder's `*.json`, by name)."""
    files = list(_case_files(paths))
    if not files:
        where = ", ".join(str(path) for path in paths)
        raise CaseError(f"{where} holds no labeled calls (*.json).")
    cases = [read_case(path) for path in files]
    seen: dict[str, Path] = {}
    for case, path in zip(cases, files, strict=True):
        if case.id in seen:
            raise CaseError(
                f"{path} repeats case id {case.id!r} already used by {seen[case.id]}."
            )
        seen[case.id] = path
    return cases


def read_case(path: Path) -> Case:
    """One labeled call from `path`; its id must be the file name without `.json`."""
    try:
        data = json.loads(path.read_bytes())
    except OSError as exc:
        raise CaseError(f"{path} cannot be read ({exc.strerror}).") from exc
    except (ValueError, RecursionError) as exc:
        raise CaseError(f"{path} is not valid JSON ({exc}).") from exc
    if not isinstance(data, dict):
        raise CaseError(
            f"{path} holds a JSON {type(data).__name__}, not a labeled call."
        )

    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise CaseError(
            f"{path} is not a valid labeled call: {_first_error(exc)}."
        ) from exc
    if case.id != path.stem:
        raise CaseError(f"{path} has id {case.id!r}, which is not its file name.")
    return case


def _case_files(paths: Sequence[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("*.json"))
        elif path.exists():
            yield path
        else:
            raise CaseError(f"{path} does not exist.")


def _readable(where: str, read: Callable[[], T]) -> T:
    """`read()`, with a validation error restated as a ValueError located at `where`."""
    try:
        return read()
    except ValidationError as exc:
        raise ValueError(_first_error(exc, where)) from exc


def _first_error(exc: ValidationError, prefix: str = "") -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in (prefix, *first["loc"]) if part != "")
    message = first["msg"].removeprefix("Value error, ").rstrip(".")
    return f"{where}: {message}" if where else message
