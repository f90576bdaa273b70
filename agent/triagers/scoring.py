"""How strongly each customer sentence states a request, a defect or a cost.

A sentence is scored by its own words, then by its turn (sales, beta and
injection talk silence the turn; a how-to question the rep answers is an
inquiry) and by the vendor's replies around it (a rep who promises to pass
the point on confirms it; a customer reacting to a demo is not raising one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from agent.calls import Sentence
from agent.triagers import cues, moves
from agent.triagers.transcript import (
    Turn,
    next_vendor_turn,
    previous_customer_turn,
    previous_vendor_turn,
    segments,
)

MAX_SENTENCE_SCORE = 4.0
MIN_WORDS = 4
MIN_POINT_SCORE = 1.5
SALES_REACH = 3
SHORT_TURN = 8
ACKNOWLEDGED_BONUS = 1.5
PROMPTED_BONUS = 1.0
ANNOUNCED_PENALTY = 1.5
INQUIRY_MS = 45_000
INJECTION_REACH_MS = 45_000
INJECTION_TURNS = 6
UNMET_WEIGHT = 2.0


@dataclass
class Point:
    """One customer sentence that states feedback."""

    turn: Turn
    sentence: Sentence
    kind: str
    score: float
    bonus: float = 0.0

    @property
    def speaker_id(self) -> str:
        return self.sentence.speaker_id

    @property
    def start_ms(self) -> int:
        return self.sentence.start_ms


def sentence_cues(text: str, unmet: bool = False) -> tuple[str | None, float]:
    """The kind of feedback a sentence's own words state, and how strongly.

    A question only asks, unless `unmet`: the rep's answer was "not yet", so
    "could you add…?" turns out to be a request.
    """
    if len(text.split()) < MIN_WORDS or _never_feedback(text):
        return None, 0.0
    if _plain_question(text) and not (unmet and cues.ASKING_FOR.search(text)):
        return None, 0.0
    weights: dict[str, float] = defaultdict(float)
    if unmet and cues.ASKING_FOR.search(text):
        weights[cues.REQUEST] += UNMET_WEIGHT
    for cue in cues.FEEDBACK:
        if cue.pattern.search(text):
            weights[cue.kind] += cue.weight
    if sum(weights.values()) < MIN_POINT_SCORE:
        return None, 0.0
    kind = max(weights, key=lambda k: (weights[k], k == cues.BUG))
    return kind, min(sum(weights.values()), MAX_SENTENCE_SCORE)


def _plain_question(text: str) -> bool:
    """A question asks; only "why can't it…" complains."""
    if not cues.QUESTION.search(text) or cues.TAG_QUESTION.search(text):
        return False
    return not cues.WHY_NOT.search(text)


def _never_feedback(text: str) -> bool:
    silencers = (
        cues.SALES,
        cues.SERVICE,
        cues.BETA,
        cues.INJECTION,
        cues.SMALL_TALK,
        cues.DENIED_DEFECT,
    )
    if any(pattern.search(text) for pattern in silencers):
        return True
    return bool(cues.SELF_ACTION.search(text) or cues.POSITIVE.search(text))


def score_turns(turns: list[Turn]) -> list[Point]:
    """Every scored sentence of the customer's turns, in call order."""
    points = []
    topic = segments(turns)
    for turn in turns:
        if not turn.customer or _silenced(turns, turn, topic):
            continue
        muted = _sales_reach(turn) | _inquiry_reach(turns, turn)
        context = _context_bonus(turns, turn)
        acknowledged = _acknowledged(turns, turn)
        unmet = _not_yet(turns, turn)
        for at, sentence in enumerate(turn.sentences):
            kind, score = sentence_cues(sentence.text, unmet)
            if kind is None or at in muted:
                continue
            bonus = context + (ACKNOWLEDGED_BONUS if acknowledged else 0.0)
            points.append(Point(turn, sentence, kind, score, bonus))
    return points


def _silenced(turns: list[Turn], turn: Turn, topic: list[int]) -> bool:
    """Turns that are never feedback, whatever their words."""
    if _in_injection(turns, turn, topic):
        return True
    return _follows_sales_talk(turns, turn) or _after_answer(turns, turn)


def _in_injection(turns: list[Turn], turn: Turn, topic: list[int]) -> bool:
    """A line addressed to the notetaker, and the banter right after it."""
    return any(
        t.customer
        and topic[t.index] == topic[turn.index]
        and turn.start_ms - t.end_ms <= INJECTION_REACH_MS
        and any(cues.INJECTION.search(s.text) for s in t.sentences)
        for t in turns[max(0, turn.index - INJECTION_TURNS) : turn.index + 1]
    )


def _follows_sales_talk(turns: list[Turn], turn: Turn) -> bool:
    before = previous_vendor_turn(turns, turn.index)
    if before is None or before.index != turn.index - 1:
        return False
    return bool(cues.SALES.search(before.text) or cues.BETA.search(before.text))


def _sales_reach(turn: Turn) -> set[int]:
    """Positions in the turn that sales or beta talk silences."""
    flagged = [
        at
        for at, s in enumerate(turn.sentences)
        if cues.SALES.search(s.text) or cues.BETA.search(s.text)
    ]
    if not flagged:
        return set()
    if len(turn.sentences) <= SHORT_TURN:
        return set(range(len(turn.sentences)))
    return {
        at
        for at in range(len(turn.sentences))
        if any(abs(at - hit) <= SALES_REACH for hit in flagged)
    }


def _inquiry_reach(turns: list[Turn], turn: Turn) -> set[int]:
    """Positions in the turn around a question the rep answers: the lead-up and
    whatever the customer adds before the answer."""
    asked = _answered_question(turns, turn)
    if asked is None:
        return set()
    low, high = asked[0] - INQUIRY_MS, asked[1]
    return {at for at, s in enumerate(turn.sentences) if low <= s.start_ms <= high}


def _answered_question(turns: list[Turn], turn: Turn) -> tuple[int, int] | None:
    """When the customer asked, in this exchange, a question the rep answers
    with how it is done today, and when the answer came; colleagues may chime
    in before it."""
    reply = next_vendor_turn(turns, turn.index)
    if reply is None:
        return None
    asked = [
        s
        for t in turns[turn.index : reply.index]
        for s in t.sentences
        if cues.QUESTION.search(s.text)
    ]
    if not asked or not _answers(reply, asked):
        return None
    return asked[0].start_ms, reply.start_ms


def _answers(reply: Turn, asked: list[Sentence]) -> bool:
    opening = " ".join(s.text for s in reply.sentences[:2])
    if moves.NOT_YET.search(opening) or moves.ACKNOWLEDGED.search(reply.text):
        return False
    if moves.EXISTS.search(reply.text):
        return True
    how_to = any(moves.INQUIRY.search(s.text) for s in asked)
    return how_to and bool(moves.ANSWERED.search(opening))


def _after_answer(turns: list[Turn], turn: Turn) -> bool:
    """The customer's reaction to the answer of their own how-to question."""
    if not moves.REACTION.search(turn.sentences[0].text):
        return False
    reply = previous_vendor_turn(turns, turn.index)
    if reply is None or reply.index != turn.index - 1:
        return False
    asked = previous_customer_turn(turns, reply.index)
    return asked is not None and _answered_question(turns, asked) is not None


def _context_bonus(turns: list[Turn], turn: Turn) -> float:
    before = previous_vendor_turn(turns, turn.index)
    if before is None:
        return 0.0
    if moves.ANNOUNCED.search(before.text):
        return -ANNOUNCED_PENALTY
    return PROMPTED_BONUS if moves.PROMPTED.search(before.text) else 0.0


def _not_yet(turns: list[Turn], turn: Turn) -> bool:
    """The rep answers that the product does not do it (yet)."""
    reply = next_vendor_turn(turns, turn.index)
    if reply is None:
        return False
    opening = " ".join(s.text for s in reply.sentences[:2])
    return bool(moves.NOT_YET.search(opening))


def _acknowledged(turns: list[Turn], turn: Turn) -> bool:
    reply = next_vendor_turn(turns, turn.index)
    return reply is not None and bool(moves.ACKNOWLEDGED.search(reply.text))
