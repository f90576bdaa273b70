"""The call and transcript model every reader produces and every triager reads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

MIN_DURATION_S = 600
# No call lasts a week; the bound also keeps every time in a 32-bit integer column.
MAX_CALL_MS = 7 * 24 * 60 * 60 * 1000


class Affiliation(StrEnum):
    INTERNAL = "Internal"
    EXTERNAL = "External"
    UNKNOWN = "Unknown"


class Party(BaseModel):
    """Someone on the call. `speaker_id` ties them to transcript sentences."""

    speaker_id: str
    name: str | None = None
    email: str | None = None
    title: str | None = None
    affiliation: Affiliation = Affiliation.UNKNOWN

    @property
    def display_name(self) -> str:
        return self.name or "Unknown speaker"

    @property
    def email_domain(self) -> str | None:
        if self.email and "@" in self.email:
            return self.email.rsplit("@", 1)[1].lower()
        return None


class Sentence(BaseModel):
    """One transcribed sentence, times in milliseconds from the start of the call."""

    speaker_id: str
    start_ms: int
    end_ms: int
    text: str


class CrmAccount(BaseModel):
    """The CRM account Gong attached to the call (its `context`)."""

    system: str
    object_id: str
    name: str | None = None
    website: str | None = None

    @property
    def external_id(self) -> str:
        return f"{self.system.lower()}:{self.object_id}"


class Call(BaseModel):
    """A recorded call with its transcript, whatever format it was read from."""

    call_id: str
    source: str = Field(description="Where the call was read from: a path or gong:ID")
    title: str | None = None
    url: str | None = Field(default=None, description="Recording URL, when known")
    started: datetime | None = None
    duration_s: float | None = None
    scope: str | None = None
    is_private: bool = False
    parties: list[Party] = Field(default_factory=list)
    sentences: list[Sentence] = Field(default_factory=list)
    accounts: list[CrmAccount] = Field(default_factory=list)

    def party(self, speaker_id: str) -> Party:
        """The party who owns `speaker_id`; an unknown speaker when none does."""
        for party in self.parties:
            if party.speaker_id == speaker_id:
                return party
        return Party(speaker_id=speaker_id)

    @property
    def effective_duration_s(self) -> float:
        """The stated duration, or the end of the last sentence when none is stated."""
        if self.duration_s is not None:
            return self.duration_s
        return max((s.end_ms for s in self.sentences), default=0) / 1000

    def turns(self) -> list[list[Sentence]]:
        """Consecutive sentences of one speaker, grouped."""
        grouped: list[list[Sentence]] = []
        for sentence in self.sentences:
            if grouped and grouped[-1][-1].speaker_id == sentence.speaker_id:
                grouped[-1].append(sentence)
            else:
                grouped.append([sentence])
        return grouped
