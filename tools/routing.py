"""Ranking teams for feedback by their descriptions and the admins' guidance.

Each word the feedback shares with a team's name or description counts by how
rare it is among the teams and how often the feedback says it. A guidance rule
applies when the feedback says one of its words; the words it adds to what the
team's description already says then count heavily. A rule the guidance widens
("even when …", "including …") also claims its words, so they no longer count
for any other team.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from agent.workspace import Team, Workspace
from tools.guidance import Rule, guidance_rules
from tools.vocabulary import stem, symptom_kinds, terms, words

__all__ = ["TeamScore", "rank_teams", "stem", "terms"]

GUIDANCE_WEIGHT = 3.0
WIDENED_WEIGHT = 2.0


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
    rules = [r for r in guidance_rules(workspace) if r.trigger & counts.keys()]
    claims = {word: r.team for r in rules if r.widened for word in r.claimed}
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
        for rule in (r for r in rules if r.team == team.key):
            score += _rule_score(rule, counts, described[team.key])
            reasons.append(f"guidance: {rule.text}")
        ranked.append(TeamScore(team, score, tuple(reasons)))
    ranked.sort(key=lambda s: (-s.score, s.team.key != workspace.default_team))
    return ranked


def _described(team: Team) -> set[str]:
    return terms(f"{team.name} {team.description}")


def _rule_score(rule: Rule, counts: Counter[str], described: set[str]) -> float:
    """Guidance counts most for the words it adds to the team's description."""
    weight = GUIDANCE_WEIGHT * (WIDENED_WEIGHT if rule.widened else 1.0)
    shared = (rule.trigger | rule.claimed) & counts.keys()
    return sum(
        _often(counts[word]) * (1.0 if word in described else weight) for word in shared
    )


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
