"""Ranking teams for feedback by their descriptions and the admins' guidance."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from agent.workspace import Team, Workspace

STOPWORDS = frozenset(
    """a an the and or but if of to in on at for from by with about into than then
    this that these those it its is are was were be been being do does did done
    we you they i he she our your their my me us them what which who whom when
    where why how all any each some no not can could would should will shall may
    might must has have had go goes went going get gets anything something thing
    things there here so as just also even very really like want need one ones
    team teams belong belongs unless except only other else whatever page
    pages""".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_CLAUSE = re.compile(r"[,;:()]|\bunless\b|\bexcept\b|\bbut\b|\bwhich\b", re.I)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# "t" is what is left of "don't" and "isn't" once words are split on apostrophes.
_NEGATION = {"not", "never", "nor", "t"}
# How far before a team's name a negation still applies: "do not go to RX".
_NEGATION_REACH = 3
GUIDANCE_WEIGHT = 3.0

# Customers name the symptom ("my screen reader skips it"); descriptions and
# guidance name the kind of problem. A symptom lends its kind to the text ranked.
SYMPTOMS = {
    "accessibility": (
        "screen reader",
        "screen readers",
        "screenreader",
        "voiceover",
        "talkback",
        "jaws",
        "nvda",
        "high contrast",
        "color contrast",
        "colour contrast",
        "color blind",
        "colour blind",
        "low vision",
        "visually impaired",
        "font size",
        "text size",
        "larger text",
        "bigger text",
        "captions",
        "wcag",
        "section 508",
    ),
    "login": (
        "sign in",
        "signing in",
        "log in",
        "logging in",
        "password",
        "two factor",
        "2fa",
        "locked out",
    ),
    "performance": (
        "slow",
        "sluggish",
        "laggy",
        "load time",
        "loading time",
        "takes forever",
        "times out",
        "timed out",
    ),
}


def stem(word: str) -> str:
    """A crude stem, enough to make "notifications" meet "notification"."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    return {stem(word) for word in words if word not in STOPWORDS and len(word) > 1}


@dataclass(frozen=True)
class TeamScore:
    team: Team
    score: float
    reasons: tuple[str, ...]


def symptom_kinds(text: str) -> set[str]:
    """The kinds of problem whose symptoms `text` describes."""
    padded = f" {' '.join(_WORD.findall(text.lower()))} "
    return {
        kind
        for kind, phrases in SYMPTOMS.items()
        if any(f" {phrase} " in padded for phrase in phrases)
    }


def rank_teams(text: str, workspace: Workspace) -> list[TeamScore]:
    """Teams ordered by how well `text` fits them; ties keep the default team first."""
    wanted = terms(text) | symptom_kinds(text)
    rules = guidance_rules(workspace)
    weights = _idf(workspace.teams)
    ranked = []
    for team in workspace.teams:
        own = terms(f"{team.name} {team.description}") & wanted
        score = sum(weights.get(term, 1.0) for term in own)
        reasons = [f"description: {', '.join(sorted(own))}"] if own else []
        for rule_terms, rule_text in rules.get(team.key, []):
            shared = rule_terms & wanted
            if shared:
                score += GUIDANCE_WEIGHT * len(shared)
                reasons.append(f"guidance: {rule_text.strip()}")
        ranked.append(TeamScore(team, score, tuple(reasons)))
    ranked.sort(key=lambda s: (-s.score, s.team.key != workspace.default_team))
    return ranked


def guidance_rules(workspace: Workspace) -> dict[str, list[tuple[set[str], str]]]:
    """Clauses of the guidance, each tied to the team it sends work to.

    A clause that names no team lends its words to the next clause that does,
    so "unless they are push notifications to technicians, which belong to
    MOBI" gives MOBI the words about push notifications. A team named after
    "not" is excluded, not chosen.
    """
    names = _team_names(workspace.teams)
    rules: dict[str, list[tuple[set[str], str]]] = {}
    for sentence in _SENTENCE.split(workspace.guidance or ""):
        pending: list[str] = []
        for clause in _CLAUSE.split(sentence):
            targets = _targets(clause, names)
            pending.append(clause)
            if targets:
                words = terms(" ".join(pending)) - _name_terms(names)
                for key in targets:
                    rules.setdefault(key, []).append((words, " ".join(pending)))
                pending = []
    return rules


def _targets(clause: str, names: dict[str, str]) -> list[str]:
    tokens = _WORD.findall(clause.lower())
    found = []
    for index, token in enumerate(tokens):
        key = names.get(token)
        before = tokens[max(0, index - _NEGATION_REACH) : index]
        negated = any(word in _NEGATION for word in before)
        if key and not negated and key not in found:
            found.append(key)
    return found


def _team_names(teams: list[Team]) -> dict[str, str]:
    """Lower-cased team keys and one-word names, mapped to the team key."""
    names = {team.key.lower(): team.key for team in teams}
    for team in teams:
        if " " not in team.name.strip():
            names.setdefault(team.name.lower(), team.key)
    return names


def _name_terms(names: dict[str, str]) -> set[str]:
    return {stem(name) for name in names}


def _idf(teams: list[Team]) -> dict[str, float]:
    """Words in many teams' descriptions tell teams apart less."""
    counts: dict[str, int] = {}
    for team in teams:
        for term in terms(f"{team.name} {team.description}"):
            counts[term] = counts.get(term, 0) + 1
    total = max(len(teams), 1)
    return {term: 1.0 + math.log(total / count) for term, count in counts.items()}
