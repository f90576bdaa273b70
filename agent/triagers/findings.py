"""Findings: the points customers raise, each merged from the sentences that make it.

Scored sentences join one finding while the call stays on one subject (nobody
changes it, hands over to someone else, or falls silent for long), and a later
finding joins an earlier one when it comes back to the same rare words, more
readily nearby or when the customer says they are going back to it. A finding
is filed when its strongest sentence, half of the next three, and the best
context bonus reach the threshold.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from agent.calls import Call, Sentence
from agent.triagers import moves
from agent.triagers.scoring import Point, score_turns
from agent.triagers.transcript import Turn, next_vendor_turn, segments, split_turns
from agent.workspace import Workspace
from tools.vocabulary import terms

THRESHOLD = 2.5
SEGMENT_GAP_MS = 180_000
NEAR_MS = 120_000
NEAR_SIMILARITY = 0.22
REPEAT_SIMILARITY = 0.35
RECALLED_SIMILARITY = 0.2
REPEAT_MIN_SHARED = 2
SUPPORT_WEIGHT = 0.5
SUPPORT_POINTS = 3
CONTEXT_BEFORE_MS = 15_000
CONTEXT_AFTER_MS = 30_000


@dataclass
class Finding:
    """One point a customer raised, with every sentence that makes it."""

    points: list[Point]
    recalls: bool = False
    context: list[Sentence] = field(default_factory=list)
    replies: list[Sentence] = field(default_factory=list)

    @property
    def kind(self) -> str:
        weights: Counter[str] = Counter()
        for point in self.points:
            weights[point.kind] += point.score
        return max(weights, key=lambda kind: weights[kind])

    @property
    def score(self) -> float:
        ranked = sorted((p.score for p in self.points), reverse=True)
        support = sum(ranked[1 : 1 + SUPPORT_POINTS]) * SUPPORT_WEIGHT
        return ranked[0] + support + max(p.bonus for p in self.points)

    @property
    def best(self) -> Point:
        return max(self.points, key=lambda p: (p.score, -p.start_ms))

    @property
    def sentences(self) -> list[Sentence]:
        return [p.sentence for p in sorted(self.points, key=lambda p: p.start_ms)]

    @property
    def start_ms(self) -> int:
        return min(p.start_ms for p in self.points)


def find_feedback(
    call: Call, workspace: Workspace, threshold: float | None = None
) -> list[Finding]:
    """The findings in a call's customer talk, strongest enough to file."""
    threshold = THRESHOLD if threshold is None else threshold
    turns = split_turns(call, workspace)
    points = score_turns(turns)
    weights = _idf(call)
    groups = _group(points, turns)
    for group in groups:
        group.context = _context(group, turns)
    findings = _merge_repeats(groups, weights)
    kept = [finding for finding in findings if finding.score >= threshold]
    for finding in kept:
        finding.context = _context(finding, turns)
        finding.replies = _replies(finding, turns)
    return sorted(kept, key=lambda finding: finding.start_ms)


def _group(points: list[Point], turns: list[Turn]) -> list[Finding]:
    """Consecutive points on one subject make one finding."""
    topic = segments(turns)
    groups: list[Finding] = []
    for point in sorted(points, key=lambda p: p.start_ms):
        last = groups[-1].points[-1] if groups else None
        if last is not None and _continues(last, point, topic):
            groups[-1].points.append(point)
        else:
            groups.append(Finding([point], recalls=_recalls(turns, topic, point)))
    return groups


def _recalls(turns: list[Turn], topic: list[int], point: Point) -> bool:
    """Whether the customer opened this subject by going back to an earlier one."""
    opened = [
        t
        for t in turns[: point.turn.index + 1]
        if topic[t.index] == topic[point.turn.index]
    ]
    return any(
        t.customer and any(moves.BACK_REFERENCE.search(s.text) for s in t.sentences)
        for t in opened
    )


def _continues(last: Point, point: Point, topic: list[int]) -> bool:
    if topic[last.turn.index] != topic[point.turn.index]:
        return False
    return point.start_ms - last.sentence.end_ms <= SEGMENT_GAP_MS


def _merge_repeats(groups: list[Finding], weights: dict[str, float]) -> list[Finding]:
    """A point raised again later in the call joins the finding it repeats."""
    merged: list[Finding] = []
    for group in groups:
        scored = [(_similarity(m, group, weights), m) for m in merged]
        likely = [(sim, m) for sim, m in scored if sim >= _bar(m, group)]
        target = max(likely, key=lambda pair: pair[0])[1] if likely else None
        if target is None:
            merged.append(group)
        else:
            target.points.extend(group.points)
            target.context = _unique_in_order(target.context + group.context)
    return merged


def _similarity(a: Finding, b: Finding, weights: dict[str, float]) -> float:
    """How much of the smaller finding's rare words the other one shares."""
    a_terms, b_terms = _topic(a), _topic(b)
    shared = a_terms & b_terms
    if len(shared) < REPEAT_MIN_SHARED:
        return 0.0
    mass = min(_mass(a_terms, weights), _mass(b_terms, weights))
    return _mass(shared, weights) / max(mass, 1e-9)


def _bar(earlier: Finding, later: Finding) -> float:
    """Similar enough to be one point: less is needed nearby or when recalled."""
    if later.recalls:
        return RECALLED_SIMILARITY
    gap = later.start_ms - max(p.sentence.end_ms for p in earlier.points)
    return NEAR_SIMILARITY if gap <= NEAR_MS else REPEAT_SIMILARITY


def _topic(finding: Finding) -> set[str]:
    return set().union(*(terms(s.text) for s in finding.context))


def _mass(words: set[str], weights: dict[str, float]) -> float:
    return sum(weights.get(word, 1.0) for word in words)


def _idf(call: Call) -> dict[str, float]:
    """Words said all through the call tell points apart less."""
    counts: Counter[str] = Counter()
    for sentence in call.sentences:
        counts.update(terms(sentence.text))
    total = max(len(call.sentences), 1)
    return {word: math.log(total / count) for word, count in counts.items()}


def _context(finding: Finding, turns: list[Turn]) -> list[Sentence]:
    """The customer's sentences around the finding's points."""
    touched = {p.turn.index for p in finding.points}
    nearby = []
    for point in finding.points:
        low = point.start_ms - CONTEXT_BEFORE_MS
        high = point.sentence.end_ms + CONTEXT_AFTER_MS
        nearby.extend(
            s
            for index in touched
            for s in turns[index].sentences
            if low <= s.start_ms <= high
        )
    return _unique_in_order(nearby)


def _replies(finding: Finding, turns: list[Turn]) -> list[Sentence]:
    """What the vendor's side said right after each stretch of the finding."""
    replies = []
    for index in sorted({p.turn.index for p in finding.points}):
        after = next_vendor_turn(turns, index)
        if after is not None:
            replies.extend(after.sentences)
    return _unique_in_order(replies)


def _unique_in_order(sentences: list[Sentence]) -> list[Sentence]:
    seen: dict[tuple[str, int, str], Sentence] = {}
    for sentence in sentences:
        key = (sentence.speaker_id, sentence.start_ms, sentence.text)
        seen.setdefault(key, sentence)
    return sorted(seen.values(), key=lambda s: s.start_ms)
