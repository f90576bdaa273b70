"""The admins' routing guidance, read as rules that send words to teams.

"Scheduled reports and alert rules belong to DASH." gives DASH the words
scheduled, report, alert and rule. A clause that names no team lends its words
to the next clause that does ("unless they are push notifications to
technicians, which belong to MOBI"). A clause that widens the rule before it
("even when the customer describes it from the technician app", "including
webhooks fired by sync events", "whatever page they are on") claims its words
for that rule's team whenever the rule applies. A team named after "not" is
excluded, not chosen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agent.workspace import Team, Workspace
from tools.vocabulary import stem, terms, tokens

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WIDENING = r"even when|even if|including|whatever|whoever|regardless|no matter"
_CLAUSE = re.compile(
    rf"[,;:()]|(?=\b(?:unless|except|but|which|{_WIDENING})\b)", re.IGNORECASE
)
_WIDENS = re.compile(rf"^\s*(?:{_WIDENING})\b", re.IGNORECASE)
_NEGATION = {"not", "never", "nor", "don't", "doesn't", "isn't", "aren't", "won't"}
# How far before a team's name a negation still applies: "do not go to RX".
_NEGATION_REACH = 3


@dataclass
class Rule:
    """Words the guidance sends to one team."""

    team: str
    trigger: set[str]
    text: str
    claimed: set[str]

    @property
    def widened(self) -> bool:
        return bool(self.claimed)


def guidance_rules(workspace: Workspace) -> list[Rule]:
    """Every rule in the workspace's guidance, in the order it states them."""
    names = team_names(workspace.teams)
    rules: list[Rule] = []
    for sentence in _SENTENCE.split(workspace.guidance or ""):
        rules.extend(_sentence_rules(sentence, names))
    return rules


def _sentence_rules(sentence: str, names: dict[str, str]) -> list[Rule]:
    rules: list[Rule] = []
    pending: list[str] = []
    for clause in (c for c in _CLAUSE.split(sentence) if c.strip()):
        targets = _targets(clause, names)
        if not targets and rules and _WIDENS.search(clause) and not pending:
            for rule in rules[-1:]:
                rule.claimed |= terms(clause) - _naming(clause, names)
                rule.text = f"{rule.text},{clause}"
            continue
        pending.append(clause)
        if targets:
            text = " ".join(pending).strip()
            words = terms(text) - _naming(text, names)
            rules.extend(Rule(key, set(words), text, set()) for key in targets)
            pending = []
    return rules


def _naming(text: str, names: dict[str, str]) -> set[str]:
    """Words used once, only to name a team; "API keys ... API" keeps "api"."""
    said = tokens(text)
    return {stem(word) for word in set(said) if word in names and said.count(word) == 1}


def _targets(clause: str, names: dict[str, str]) -> list[str]:
    words = tokens(clause)
    found = []
    for index, word in enumerate(words):
        key = names.get(word)
        before = words[max(0, index - _NEGATION_REACH) : index]
        negated = any(w in _NEGATION for w in before)
        if key and not negated and key not in found:
            found.append(key)
    return found


def team_names(teams: list[Team]) -> dict[str, str]:
    """Lower-cased team keys and one-word names, mapped to the team key."""
    names = {team.key.lower(): team.key for team in teams}
    for team in teams:
        if " " not in team.name.strip():
            names.setdefault(team.name.lower(), team.key)
    return names
