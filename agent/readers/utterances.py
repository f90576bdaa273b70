"""What subtitle and text readers share: timed utterances and the call they make.

These formats name speakers only by display name, so a speaker's name is also their
`speaker_id`; talk with no speaker belongs to the party `unknown`, whose name is None.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass

from agent.calls import MAX_CALL_MS, Affiliation, Call, Party, Sentence
from agent.readers.source import SourceFile
from agent.workspace import Workspace
from tools.grounding import normalise

UNKNOWN_SPEAKER_ID = "unknown"

# A name is one to five words starting with a letter; "10:30" or a long clause is not.
SPEAKER_NAME = r"[^\W\d_][^\s:<>\[\]{}]*(?:[ \t]+[^\s:<>\[\]{}]+){0,4}"
TIMESTAMP = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"

_SPEAKER_PREFIX = re.compile(rf"^(?P<name>{SPEAKER_NAME})[ \t]*:[ \t]+(?P<text>\S.*)$")
_TIMESTAMP_PARTS = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3}))?")
_MARKUP = re.compile(r"<(?:/?[A-Za-z][^<>]*|\d[\d:.]*)>|\{\\[^{}]*\}")


@dataclass
class Utterance:
    """Words one speaker (or nobody known) said between two times, from a file line."""

    speaker: str | None
    start_ms: int
    end_ms: int
    text: str
    line_no: int


def split_speaker(line: str) -> tuple[str | None, str]:
    """Split `Name: text` into the normalised name and the text; no name otherwise."""
    match = _SPEAKER_PREFIX.match(line.strip())
    if match is None:
        return None, line
    return normalise_space(match["name"]), match["text"]


def timestamp_ms(text: str) -> int | None:
    """Milliseconds in `[h…h:]mm:ss[.mmm]`, or None when `text` is no such time."""
    match = _TIMESTAMP_PARTS.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds = int(match[1] or 0), int(match[2]), int(match[3])
    if minutes > 59 or seconds > 59:
        return None
    millis = int((match[4] or "0").ljust(3, "0"))
    return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def clean_text(text: str) -> str:
    """Drop markup tags, decode HTML entities and collapse white space."""
    return normalise_space(html.unescape(_MARKUP.sub("", text)))


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def build_call(
    source: SourceFile,
    utterances: list[Utterance],
    workspace: Workspace,
    timed: bool = True,
) -> Call:
    """The call a transcript file describes; `timed` is False when it gives no times."""
    _check_times(source, utterances)
    sentences = sorted(
        (_sentence(utterance) for utterance in utterances if utterance.text),
        key=lambda sentence: sentence.start_ms,
    )
    last_end_ms = max((sentence.end_ms for sentence in sentences), default=0)
    return Call(
        call_id=content_call_id(sentences),
        source=str(source.path),
        title=source.path.stem,
        url=source.path.resolve().as_uri(),
        duration_s=last_end_ms / 1000 if timed else None,
        parties=_parties(utterances, workspace),
        sentences=sentences,
    )


def content_call_id(sentences: list[Sentence]) -> str:
    """An id for a call file, from what was said by whom and when.

    Edits that change no sentence (notes, cue ids, line ends, styling, spacing)
    keep the id, so findings stay filed under the same call; changed words, times
    or speakers make it another call.
    """
    said = [[s.speaker_id, s.start_ms, s.end_ms, normalise(s.text)] for s in sentences]
    digest = hashlib.sha1(json.dumps(said, ensure_ascii=False).encode("utf-8"))
    return "file:" + digest.hexdigest()[:16]


def _check_times(source: SourceFile, utterances: list[Utterance]) -> None:
    for utterance in utterances:
        if utterance.end_ms < utterance.start_ms:
            raise source.error(f"line {utterance.line_no} ends before it starts")
    # Starts first: a text line ends at a later line's stamp, and that line is at fault.
    late = next((u for u in utterances if u.start_ms > MAX_CALL_MS), None)
    late = late or next((u for u in utterances if u.end_ms > MAX_CALL_MS), None)
    if late is not None:
        raise source.error(f"line {late.line_no} has a time beyond a week of call")


def _sentence(utterance: Utterance) -> Sentence:
    return Sentence(
        speaker_id=utterance.speaker or UNKNOWN_SPEAKER_ID,
        start_ms=utterance.start_ms,
        end_ms=utterance.end_ms,
        text=utterance.text,
    )


def _parties(utterances: list[Utterance], workspace: Workspace) -> list[Party]:
    names = dict.fromkeys(u.speaker for u in utterances if u.text)
    return [_party(name, workspace) for name in names]


def _party(name: str | None, workspace: Workspace) -> Party:
    if name is None:
        return Party(speaker_id=UNKNOWN_SPEAKER_ID)
    internal = workspace.is_internal_name(name)
    affiliation = Affiliation.INTERNAL if internal else Affiliation.UNKNOWN
    return Party(speaker_id=name, name=name, affiliation=affiliation)
