"""Ranking teams for feedback by their descriptions and the admins' guidance.

Each word the feedback shares with a team's name or description counts by how
rare it is among the teams and how often the feedback says it. A guidance rule
applies when the feedback says two of its words, or one word it alone adds (no
team's description and no other team's rule uses it), or a kind of problem
("accessibility issues go to ACCT"), which outweighs any feature named. The
words a rule adds to its team's description count well above description
words. A rule the guidance widens ("even when …", "including …") also claims
its words, so they count for no other team.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from agent.workspace import Team, Workspace
from tools.guidance import Rule, guidance_rules
from tools.vocabulary import SYMPTOMS, stem, symptom_kinds, terms, words

__all__ = ["TeamScore", "rank_teams", "stem", "symptom_kinds", "terms"]

GUIDANCE_WEIGHT = 3.0
WIDENED_WEIGHT = 2.0
# A rule about a kind of problem (accessibility, login) cuts across features.
KIND_WEIGHT = 20.0


@dataclass(frozen=True)
class TeamScore:
    team: Team
    score: float
    reasons: tuple[str, ...]


def rank_teams(text: str, workspace: Workspace) -> list[TeamScore]:
    """Teams ordered by how well `text` fits them; ties keep the default team first."""
    counts = Counter(words(text, joined=True))
    counts.update(symptom_kinds(text))
    described = {team.key: _described(team) for team in workspace.teams}
    rules = guidance_rules(workspace)
    scored = {id(rule): _rule_score(rule, counts, described, rules) for rule in rules}
    applied = [rule for rule in rules if scored[id(rule)] > 0]
    claims = {word: r.team for r in applied if r.widened for word in r.claimed}
    rarity = _rarity(described)
    ranked = []
    for team in workspace.teams:
        own = {
            word
            for word in described[team.key] & counts.keys()
            if claims.get(word, team.key) == team.key
        }
        score = sum(rarity[word] * _often(counts[word]) for word in own)
        reasons = [f"description: {', '.join(sorted(own))}"] if own else []
        for rule in (r for r in applied if r.team == team.key):
            score += scored[id(rule)]
            reasons.append(f"guidance: {rule.text}")
        ranked.append(TeamScore(team, score, tuple(reasons)))
    ranked.sort(key=lambda s: (-s.score, s.team.key != workspace.default_team))
    return ranked


def _described(team: Team) -> set[str]:
    return terms(f"{team.name} {team.description}")


def _rule_score(
    rule: Rule,
    counts: Counter[str],
    described: dict[str, set[str]],
    rules: list[Rule],
) -> float:
    """What a rule adds to its team's score; zero when it does not apply."""
    said = (rule.trigger | rule.claimed) & counts.keys()
    if not rule.trigger & counts.keys():
        return 0.0
    elsewhere = set().union(
        *(words for key, words in described.items() if key != rule.team),
        *(r.trigger | r.claimed for r in rules if r.team != rule.team),
    )
    deciding = (said - elsewhere - described[rule.team]) | (said & SYMPTOMS.keys())
    if len(said) < 2 and not deciding:
        return 0.0
    weight = GUIDANCE_WEIGHT * (WIDENED_WEIGHT if rule.widened else 1.0)
    own = described[rule.team]
    return sum(_often(counts[w]) * _word_weight(w, own, weight) for w in said)


def _word_weight(word: str, described: set[str], weight: float) -> float:
    if word in SYMPTOMS:
        return KIND_WEIGHT
    return 1.0 if word in described else weight


def _often(count: int) -> float:
    """Saying a word again counts, each time a little less."""
    return 1.0 + math.log(count) if count else 0.0


def _rarity(described: dict[str, set[str]]) -> dict[str, float]:
    """Words in many teams' descriptions tell teams apart less."""
    counts: Counter[str] = Counter()
    for team_words in described.values():
        counts.update(team_words)
    total = max(len(described), 1)
    return {word: 1.0 + math.log(total / n) for word, n in counts.items()}
