"""Title, summary and motivation for a finding, drafted from the customer's words."""

from __future__ import annotations

import re

from agent.calls import Sentence
from agent.triagers import cues
from agent.triagers.findings import Finding
from tools.vocabulary import terms

TITLE_CHARS = 80
SUMMARY_CHARS = 220
MIN_TITLE_TERMS = 3

_LEAD = re.compile(
    r"^(?:(?:so|and|but|yeah|yes|no|um+|uh+|oh|well|like|okay|ok|honestly|"
    r"i mean|you know|the thing is|one thing is|also|actually|right now|"
    r"basically|again|i think|i guess|literally|and then|plus|because)[,.\s]+)+",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r",?\s*\b(?:um+|uh+|you know|i mean|kind of|sort of|basically|literally|"
    r"honestly)\b,?(?=\s)|,\s*like,(?=\s)",
    re.IGNORECASE,
)
# Constructions that put the customer's ask in a clause of its own.
_ASK = (
    re.compile(
        r"\bwhat (?:i|we)(?:'d| would)? (?:\w+ )?(?:want|need|like|love|prefer|"
        r"expect)(?: to see)? is (?:for )?(?P<ask>.+)",
        re.I,
    ),
    re.compile(
        r"\b(?:i|we)(?:'d| would) (?:\w+ )?(?:love|like|want|prefer|expect) "
        r"(?:for |it if |if )?(?P<ask>.+)",
        re.I,
    ),
    re.compile(r"\b(?:i|we) (?:\w+ )?wish (?:that )?(?P<ask>.+)", re.I),
    re.compile(r"\b(?:i|we) (?:\w+ )?(?:need|want) (?P<ask>.+)", re.I),
    re.compile(
        r"\bit(?:'d| would) (?:\w+ )?be (?:\w+ )?(?:great|nice|helpful|useful|"
        r"better|easier|ideal|good|awesome) (?:if|to|for) (?P<ask>.+)",
        re.I,
    ),
    re.compile(r"\bthere'?s no (?P<ask>(?:way|option|setting) to .+)", re.I),
)
_REWRITES = (
    (re.compile(r"^to be able to\b", re.I), "Allow users to"),
    (re.compile(r"^to see\b", re.I), "Show"),
    (re.compile(r"^to have\b", re.I), "Provide"),
    (re.compile(r"^to know\b", re.I), "Tell users"),
    (re.compile(r"^(?:a|some|an easy) way to\b", re.I), "Add a way to"),
    (re.compile(r"^(?:way|option|setting) to\b", re.I), "Add a way to"),
    (re.compile(r"^the ability to\b", re.I), "Allow users to"),
    (re.compile(r"^to\s+", re.I), ""),
    (re.compile(r"^(?P<who>[\w' -]{2,40}?) to (?=\w)", re.I), r"\g<who> should "),
)
_MOTIVE = re.compile(
    r"\b(?:because|so that|otherwise|which means|that means|every (?:day|week|"
    r"month|morning|night|time|monday|quarter)|hours?|costs?|a real problem|"
    r"not a small thing|all the time|the whole reason|nobody|our customers|"
    r"the (?:cfo|board|exec\w*)|paged|risk|can'?t|in peak|a lot of)\b",
    re.IGNORECASE,
)
_VERB = {
    cues.REQUEST: "asks for this",
    cues.BUG: "reports this",
    cues.PAIN: "describes this",
}


def draft_title(finding: Finding) -> str:
    """A short title in the customer's own words, without filler."""
    sentence = _title_sentence(finding)
    clause = _ask_clause(sentence.text) or _clean(sentence.text)
    return _shorten(_capitalise(clause), TITLE_CHARS)


def draft_summary(finding: Finding, speaker: str) -> str:
    """One or two sentences: who raised it and what they need."""
    title = draft_title(finding)
    quote = _shorten(_clean(finding.best.sentence.text), SUMMARY_CHARS)
    summary = f"{speaker} {_VERB[finding.kind]}: {title[:1].lower()}{title[1:]}."
    if _clean(finding.best.sentence.text).rstrip(".!?") != title.rstrip("…"):
        summary += f" In their words: “{quote}.”"
    return summary


def draft_motivation(finding: Finding) -> str:
    """Why it matters, in the customer's words, or empty when they did not say."""
    title_sentence = _title_sentence(finding)
    for sentence in finding.context + finding.sentences:
        if sentence is title_sentence or len(sentence.text.split()) < 5:
            continue
        if _MOTIVE.search(sentence.text) and not _silent(sentence.text):
            return _capitalise(_clean(sentence.text)) + "."
    return ""


def _silent(text: str) -> bool:
    return bool(cues.SALES.search(text) or cues.SMALL_TALK.search(text))


def _title_sentence(finding: Finding) -> Sentence:
    """The strongest point that says enough to stand on its own."""
    ranked = sorted(
        finding.points,
        key=lambda p: (
            len(terms(p.sentence.text)) >= MIN_TITLE_TERMS,
            p.kind == finding.kind,
            p.score,
            -p.start_ms,
        ),
        reverse=True,
    )
    return ranked[0].sentence


def _ask_clause(text: str) -> str | None:
    for pattern in _ASK:
        found = pattern.search(text)
        if found and len(found.group("ask").split()) >= 3:
            return _rewrite(_clean(found.group("ask")))
    return None


def _rewrite(clause: str) -> str:
    for pattern, replacement in _REWRITES:
        rewritten = pattern.sub(replacement, clause, count=1)
        if rewritten != clause:
            return rewritten.strip()
    return clause


def _clean(text: str) -> str:
    text = _FILLER.sub("", text)
    text = _LEAD.sub("", text.strip())
    text = re.sub(r"\s+", " ", text).strip(" ,;:-—")
    return text.rstrip(".!?…").strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for mark in (", ", "; ", " because ", " and ", " but "):
        at = cut.rfind(mark)
        if at >= limit // 2:
            return cut[:at].rstrip(" ,;")
    return cut.rsplit(" ", 1)[0].rstrip(" ,;") + "…"
