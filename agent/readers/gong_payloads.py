"""Pydantic models of the Gong payloads calltriage reads; other keys are ignored."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue, model_validator
from pydantic.alias_generators import to_camel

from agent.calls import MAX_CALL_MS

# Times and durations are finite and within a week, whatever the JSON holds.
CallMillis = Annotated[float, Field(ge=0, le=MAX_CALL_MS, allow_inf_nan=False)]
CallSeconds = Annotated[float, Field(ge=0, le=MAX_CALL_MS / 1000, allow_inf_nan=False)]


class _GongModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, extra="ignore", coerce_numbers_to_str=True
    )


class GongMetaData(_GongModel):
    id: str
    url: str | None = None
    title: str | None = None
    started: datetime | None = None
    duration: CallSeconds | None = None
    scope: str | None = None
    is_private: bool | None = None


class GongParty(_GongModel):
    id: str | None = None
    speaker_id: str | None = None
    name: str | None = None
    email_address: str | None = None
    title: str | None = None
    affiliation: str | None = None


class GongField(_GongModel):
    name: str
    value: JsonValue = None


class GongObject(_GongModel):
    object_type: str
    object_id: str
    fields: list[GongField] | None = None


class GongContext(_GongModel):
    system: str
    objects: list[GongObject] | None = None


class GongCall(_GongModel):
    meta_data: GongMetaData
    parties: list[GongParty] | None = None
    context: list[GongContext] | None = None

    @model_validator(mode="before")
    @classmethod
    def _flat_call_is_its_own_metadata(cls, data: Any) -> Any:
        if isinstance(data, dict) and "metaData" not in data and "id" in data:
            return {"metaData": data}
        return data


class GongSentence(_GongModel):
    start: CallMillis
    end: CallMillis
    text: str


class GongMonologue(_GongModel):
    speaker_id: str
    sentences: list[GongSentence] | None = None


class GongCallTranscript(_GongModel):
    call_id: str
    transcript: list[GongMonologue] | None = None


class GongBundle(_GongModel):
    call: GongCall
    transcript: list[GongMonologue] | None = None


class GongResponses(_GongModel):
    calls: list[GongCall] | None = None
    call_transcripts: list[GongCallTranscript] | None = None
