"""A call's transcript as text, whole or in pages that fit a client's result limit."""

from __future__ import annotations

from dataclasses import dataclass

from agent.calls import Call, Sentence
from tools.grounding import clock

TURN_BREAK = "\n\n"


@dataclass(frozen=True)
class TranscriptPage:
    """Rendered turns holding sentences [start, end) of `total`."""

    text: str
    start: int
    end: int
    total: int

    @property
    def next_cursor(self) -> str | None:
        return str(self.end) if self.end < self.total else None


def render_transcript(call: Call) -> str:
    """Every turn of `call`: a speaker line, then each sentence with its [mm:ss]."""
    return TURN_BREAK.join(_render_turn(call, turn) for turn in call.turns())


def transcript_page(call: Call, start: int, budget: int) -> TranscriptPage:
    """The turns from sentence `start` on that fit in `budget` characters.

    A page always holds at least one sentence, so paging ends however long a
    single sentence is. A turn cut by a page break repeats its speaker line.
    """
    total = len(call.sentences)
    start = min(max(start, 0), total)
    end, used, speaker_id = start, 0, None
    while end < total:
        sentence = call.sentences[end]
        cost = len(_sentence_line(sentence)) + 1
        if sentence.speaker_id != speaker_id:
            cost += len(_speaker_line(call, sentence.speaker_id)) + len(TURN_BREAK)
        if end > start and used + cost > budget:
            break
        used, speaker_id, end = used + cost, sentence.speaker_id, end + 1
    page = call.model_copy(update={"sentences": call.sentences[start:end]})
    return TranscriptPage(render_transcript(page), start, end, total)


def _render_turn(call: Call, sentences: list[Sentence]) -> str:
    lines = [_speaker_line(call, sentences[0].speaker_id)]
    lines += [_sentence_line(sentence) for sentence in sentences]
    return "\n".join(lines)


def _speaker_line(call: Call, speaker_id: str) -> str:
    party = call.party(speaker_id)
    return f"{party.display_name} ({party.affiliation.value})"


def _sentence_line(sentence: Sentence) -> str:
    return f"[{clock(sentence.start_ms)}] {sentence.text}"
