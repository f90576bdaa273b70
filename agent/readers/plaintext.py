"""Plain text transcripts: `Name: text` lines with optional `[hh:mm:ss]` stamps.

A stamp may lead the line (`[00:01:02] Dana: hi`) or follow the name
(`Dana [00:01:02]: hi`). A line without a name continues the previous speaker.

Times are never invented. A line starts at its own stamp, or else at the last stamp
above it (0 when there is none), and ends at the next stamp below it (its own start
when there is none). A file with no stamps at all therefore has every sentence at 0
and an unknown duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.calls import Call
from agent.readers.source import SourceFile
from agent.readers.utterances import (
    SPEAKER_NAME,
    TIMESTAMP,
    Utterance,
    build_call,
    normalise_space,
    timestamp_ms,
)
from agent.workspace import Workspace

_LINE = re.compile(
    rf"^(?:\[(?P<lead>{TIMESTAMP})\]\s*)?"
    rf"(?:(?P<name>{SPEAKER_NAME})\s*(?:\[(?P<after>{TIMESTAMP})\])?\s*:(?:\s+|$))?"
    r"(?P<text>.*)$"
)


@dataclass
class _Line:
    line_no: int
    stamp_ms: int | None
    speaker: str | None
    text: str


def read_text(source: SourceFile, workspace: Workspace) -> Call:
    lines = [_parse(n, line) for n, line in enumerate(source.lines, 1) if line.strip()]
    if not any(line.speaker or line.stamp_ms is not None for line in lines):
        raise source.error("has no 'Name: text' lines and no [hh:mm:ss] stamps")
    utterances = _utterances(lines)
    timed = any(line.stamp_ms is not None for line in lines)
    return build_call(source, utterances, workspace, timed=timed)


def _parse(line_no: int, line: str) -> _Line:
    match = _LINE.match(line.strip())
    assert match is not None  # every line matches: all groups but text are optional
    stamp = match["lead"] or match["after"]
    speaker = normalise_space(match["name"]) if match["name"] else None
    return _Line(
        line_no=line_no,
        stamp_ms=timestamp_ms(stamp) if stamp else None,
        speaker=speaker,
        text=normalise_space(match["text"]),
    )


def _utterances(lines: list[_Line]) -> list[Utterance]:
    utterances: list[Utterance] = []
    start_ms = 0
    for line, next_stamp_ms in zip(lines, _next_stamps(lines), strict=True):
        previous = utterances[-1] if utterances else None
        if line.stamp_ms is None and line.speaker is None and previous is not None:
            # No stamp lies between them, so the continuation shares the same end.
            previous.text = normalise_space(f"{previous.text} {line.text}")
            continue
        if line.stamp_ms is not None:
            start_ms = line.stamp_ms
        speaker = line.speaker or (previous.speaker if previous else None)
        end_ms = start_ms if next_stamp_ms is None else next_stamp_ms
        utterances.append(Utterance(speaker, start_ms, end_ms, line.text, line.line_no))
    return utterances


def _next_stamps(lines: list[_Line]) -> list[int | None]:
    """For each line, the first stamp on a later line."""
    ends: list[int | None] = []
    upcoming: int | None = None
    for line in reversed(lines):
        ends.append(upcoming)
        if line.stamp_ms is not None:
            upcoming = line.stamp_ms
    return ends[::-1]
