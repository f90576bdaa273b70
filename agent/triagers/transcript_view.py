"""The transcript as the model reads it: compact speaker turns, cut into windows.

A long call is read in overlapping windows of whole turns, each small enough to
leave the model room to work; how many sentences the windows held is the run's
coverage.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from agent.calls import Call, Party
from agent.workspace import Workspace
from prompts import environment

# Claude reads English at roughly four characters a token.
CHARS_PER_TOKEN = 4
TRANSCRIPT_TEMPLATE = "transcript.md.j2"
TAG_OPENING = re.compile(r"<(?=\s*/?\s*[A-Za-z])")


class SentenceView(BaseModel):
    start_ms: int
    text: str


class TurnView(BaseModel):
    """One speaker's consecutive sentences, with who they are to the customer."""

    speaker: str
    affiliation: str
    sentences: list[SentenceView]

    @property
    def start_ms(self) -> int:
        return self.sentences[0].start_ms


class Window(BaseModel):
    """A run of whole turns read in one conversation with the model."""

    number: int
    count: int
    turns: list[TurnView]
    first_turn: int

    @property
    def start_ms(self) -> int:
        return self.turns[0].start_ms

    @property
    def sentence_count(self) -> int:
        return sum(len(turn.sentences) for turn in self.turns)


def turn_views(call: Call, workspace: Workspace) -> list[TurnView]:
    return [
        TurnView(
            speaker=data_text(call.party(turn[0].speaker_id).display_name),
            affiliation=affiliation_label(call.party(turn[0].speaker_id), workspace),
            sentences=[
                SentenceView(start_ms=s.start_ms, text=data_text(s.text)) for s in turn
            ],
        )
        for turn in call.turns()
    ]


def affiliation_label(party: Party, workspace: Workspace) -> str:
    """`internal`, `external` or `unknown`; the workspace may know better than Gong."""
    if workspace.is_internal(party):
        return "internal"
    return party.affiliation.value.lower()


def data_text(text: str) -> str:
    """Words from the call with every tag opening swapped out, so no one on a call
    can close the transcript's data markers. Grounding ignores punctuation, so
    quotes still match.
    """
    return TAG_OPENING.sub("‹", text)


def rendered_length(turn: TurnView) -> int:
    """Characters the turn takes in the rendered transcript, its newline included."""
    line = environment().get_template(TRANSCRIPT_TEMPLATE).module.turn_line(turn)
    return len(str(line)) + 1


def plan_windows(
    turns: list[TurnView], limit_chars: int, overlap_chars: int
) -> list[Window]:
    """The whole transcript when it fits in `limit_chars`, else overlapping windows.

    Every window holds at least one turn, and the next window starts far enough
    back to repeat about `overlap_chars` (at least one turn) of the one before.
    """
    sizes = [rendered_length(turn) for turn in turns]
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(turns):
        end = _window_end(sizes, start, limit_chars)
        spans.append((start, end))
        if end >= len(turns):
            break
        start = _next_start(sizes, start, end, overlap_chars)
    return [
        Window(number=n, count=len(spans), turns=turns[a:b], first_turn=a)
        for n, (a, b) in enumerate(spans, 1)
    ]


def _window_end(sizes: list[int], start: int, limit_chars: int) -> int:
    end, used = start + 1, sizes[start]
    while end < len(sizes) and used + sizes[end] <= limit_chars:
        used += sizes[end]
        end += 1
    return end


def _next_start(sizes: list[int], start: int, end: int, overlap_chars: int) -> int:
    """Step back from `end` over about `overlap_chars`, never to `start` itself."""
    next_start, repeated = end, 0
    while next_start - 1 > start:
        size = sizes[next_start - 1]
        if repeated and repeated + size > overlap_chars:
            break
        next_start, repeated = next_start - 1, repeated + size
    return next_start


def coverage(windows_read: list[Window], turns: list[TurnView]) -> float:
    """The share of the call's sentences that were in a window the model read."""
    total = sum(len(turn.sentences) for turn in turns)
    if total == 0:
        return 1.0
    read: set[int] = set()
    for window in windows_read:
        read.update(range(window.first_turn, window.first_turn + len(window.turns)))
    sentences = sum(len(turns[index].sentences) for index in read)
    return round(sentences / total, 4)
