"""A call seen as turns, each known to be the customer's or the vendor's."""

from __future__ import annotations

from dataclasses import dataclass

from agent.calls import Call, Sentence
from agent.triagers import moves
from agent.workspace import Workspace

SILENCE_MS = 90_000


@dataclass(frozen=True)
class Turn:
    """Consecutive sentences of one speaker."""

    index: int
    speaker_id: str
    customer: bool
    sentences: tuple[Sentence, ...]

    @property
    def start_ms(self) -> int:
        return self.sentences[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.sentences[-1].end_ms

    @property
    def text(self) -> str:
        return " ".join(sentence.text for sentence in self.sentences)


def customer_speakers(call: Call, workspace: Workspace) -> set[str]:
    """Speaker ids who may be the customer: anyone not known to be internal."""
    spoken = {sentence.speaker_id for sentence in call.sentences}
    return {s for s in spoken if not workspace.is_internal(call.party(s))}


def split_turns(call: Call, workspace: Workspace) -> list[Turn]:
    customers = customer_speakers(call, workspace)
    return [
        Turn(index, group[0].speaker_id, group[0].speaker_id in customers, tuple(group))
        for index, group in enumerate(call.turns())
    ]


def next_vendor_turn(turns: list[Turn], index: int) -> Turn | None:
    """The first turn after `index` spoken by the vendor's side."""
    return next((turn for turn in turns[index + 1 :] if not turn.customer), None)


def previous_vendor_turn(turns: list[Turn], index: int) -> Turn | None:
    """The last turn before `index` spoken by the vendor's side."""
    return next((turn for turn in reversed(turns[:index]) if not turn.customer), None)


def previous_customer_turn(turns: list[Turn], index: int) -> Turn | None:
    """The last turn before `index` spoken by the customer's side."""
    return next((turn for turn in reversed(turns[:index]) if turn.customer), None)


def segments(turns: list[Turn]) -> list[int]:
    """A topic number for each turn, moving on where someone changes the subject
    or the customer has been silent for a long while."""
    numbers, current, last_customer_ms = [], 0, None
    for turn in turns:
        silent = last_customer_ms is not None and (
            turn.customer and turn.start_ms - last_customer_ms > SILENCE_MS
        )
        if silent or _changes_subject(turn):
            current += 1
        if turn.customer:
            last_customer_ms = turn.end_ms
        numbers.append(current)
    return numbers


def _changes_subject(turn: Turn) -> bool:
    if turn.customer:
        shift, said = moves.CUSTOMER_SHIFT, turn.sentences[:2]
    else:
        shift, said = moves.VENDOR_SHIFT, turn.sentences
    return any(shift.search(s.text) or moves.HANDOFF.search(s.text) for s in said)
