"""WebVTT and SRT: timed cues spoken by a voice tag, a `Name:` prefix or nobody."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from agent.calls import Call
from agent.readers.source import SourceFile
from agent.readers.utterances import (
    Utterance,
    build_call,
    clean_text,
    normalise_space,
    split_speaker,
    timestamp_ms,
)
from agent.workspace import Workspace

_TIMING = re.compile(r"^\s*(\S+?)\s*-->\s*(\S+)(?:\s+.*)?$")
_VTT_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_VTT_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:[ \t]+([^>]*))?>|</v>")

Segment = tuple[str | None, str]


@dataclass
class _Block:
    line_no: int
    lines: list[str]


@dataclass
class _Cue:
    line_no: int
    start_ms: int
    end_ms: int
    payload: list[str]


def read_webvtt(source: SourceFile, workspace: Workspace) -> Call:
    blocks = list(_blocks(source.lines))
    if not blocks or not _VTT_HEADER.fullmatch(blocks[0].lines[0]):
        raise source.error("has no WEBVTT header on its first line")
    header = blocks.pop(0)
    if any("-->" in line for line in header.lines[1:]):
        blocks.insert(0, _Block(header.line_no + 1, header.lines[1:]))
    cue_blocks = [b for b in blocks if not _VTT_SKIPPED_BLOCK.fullmatch(b.lines[0])]
    cues = [_cue(source, block) for block in cue_blocks]
    return _call(source, cues, workspace, _voice_segments)


def read_srt(source: SourceFile, workspace: Workspace) -> Call:
    cues = [_cue(source, block) for block in _blocks(source.lines)]
    return _call(source, cues, workspace, _prefix_segments)


def _call(
    source: SourceFile,
    cues: list[_Cue],
    workspace: Workspace,
    segments_of: Callable[[list[str]], list[Segment]],
) -> Call:
    if not cues:
        raise source.error("has no cues")
    utterances = [
        Utterance(speaker, cue.start_ms, cue.end_ms, text, cue.line_no)
        for cue in cues
        for speaker, text in segments_of(cue.payload)
    ]
    return build_call(source, utterances, workspace)


def _blocks(lines: list[str]) -> Iterator[_Block]:
    """Runs of non-blank lines, each with the 1-based number of its first line."""
    block: _Block | None = None
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            if block is not None:
                yield block
            block = None
        elif block is None:
            block = _Block(line_no, [line])
        else:
            block.lines.append(line)
    if block is not None:
        yield block


def _cue(source: SourceFile, block: _Block) -> _Cue:
    # The line before the timing is an optional cue id (WebVTT) or index (SRT).
    first_lines = enumerate(block.lines[:2])
    timing_at = next((i for i, line in first_lines if "-->" in line), None)
    if timing_at is None:
        raise source.error(
            f"line {block.line_no} starts a cue with no timing line "
            "like 00:00:01.000 --> 00:00:04.000"
        )
    line_no = block.line_no + timing_at
    timing = block.lines[timing_at].strip()
    times = _timing_ms(timing)
    if times is None:
        raise source.error(f"line {line_no} has a bad cue timing {timing!r}")
    if times[1] < times[0]:
        raise source.error(f"line {line_no} has a cue that ends before it starts")
    return _Cue(line_no, times[0], times[1], block.lines[timing_at + 1 :])


def _timing_ms(line: str) -> tuple[int, int] | None:
    match = _TIMING.match(line)
    if match is None:
        return None
    start, end = timestamp_ms(match[1]), timestamp_ms(match[2])
    if start is None or end is None:
        return None
    return start, end


def _voice_segments(payload: list[str]) -> list[Segment]:
    """Split a WebVTT cue at its voice tags; without any, fall back to `Name:` lines."""
    text = "\n".join(payload)
    if not _VOICE.search(text):
        return _prefix_segments(payload)
    segments: list[Segment] = []
    speaker: str | None = None
    position = 0
    for tag in _VOICE.finditer(text):
        segments.append((speaker, text[position : tag.start()]))
        if tag[0] != "</v>":
            speaker = clean_text(tag[1] or "") or None
        position = tag.end()
    segments.append((speaker, text[position:]))
    return _merged((name, clean_text(words)) for name, words in segments)


def _prefix_segments(payload: list[str]) -> list[Segment]:
    """A line starting `Name:` changes speaker; other lines continue the last one."""
    segments: list[Segment] = []
    for line in payload:
        name, words = split_speaker(clean_text(line))
        if name is None and segments:
            name = segments[-1][0]
        segments.append((name, words))
    return _merged(segments)


def _merged(segments: Iterable[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for name, words in segments:
        if not words:
            continue
        if merged and merged[-1][0] == name:
            merged[-1] = (name, normalise_space(f"{merged[-1][1]} {words}"))
        else:
            merged.append((name, words))
    return merged
