"""Title, summary and motivation for a finding, drafted from the customer's words."""

from __future__ import annotations

import re

from agent.calls import Sentence
from agent.triagers import cues
from agent.triagers.findings import Finding
from tools.vocabulary import terms

TITLE_CHARS = 100
SUMMARY_CHARS = 220
MIN_TITLE_TERMS = 3

_LEAD = re.compile(
    r"^(?:(?:so|and|but|yeah|yes|no|um+|uh+|oh|well|like|okay|ok|honestly|"
    r"i mean|you know|the thing is|one thing is|also|actually|right now|"
    r"basically|again|i think|i guess|literally|and then|then|now|plus|because)"
    r"[,.\s]+)+",
    re.IGNORECASE,
)
_FILLER = re.compile(
    r",?\s*\b(?:um+|uh+|you know|i mean|kind of|sort of|basically|literally|"
    r"honestly)\b,?(?=\s)|,?\s*\blike,(?=\s)",
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
# Why it matters: a reason, a cost, or who is hurt.
_MOTIVE = re.compile(
    r"\b(?:because|so that(?! should| would)|otherwise|which means|that means|"
    r"costs?|costing|"
    r"lose|losing|lost|risk|the whole reason|the whole point|(?:our|the) "
    r"customers?|paged|legal|compliance|contract|hours?|days|a week|a month|"
    r"half (?:of|the)|every (?:day|week|month|morning|quarter)|the (?:cfo|board|"
    r"exec\w*|directors?|managers?))\b",
    re.IGNORECASE,
)
# Sentences that lean on another one: a continuation, or when it started.
_LEANING = re.compile(
    r"^(?:which|and|but|so|then|or|because|like)\b|"
    r"^(?:it|this|that) (?:\w+ )?(?:started|began|used to)\b",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"^(?P<sub>(?:when|whenever|if|once|after|while|every time)\b[^,]+),\s+"
    r"(?P<main>.+)$",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r",\s+(?:and|but)\s+|;\s+", re.IGNORECASE)
_TAG = re.compile(r",\s*(?:right|correct|you know)\s*[?.!]*$", re.IGNORECASE)
_VERB = {
    cues.REQUEST: "asks for this",
    cues.BUG: "reports this",
    cues.PAIN: "describes this",
}


def draft_title(finding: Finding) -> str:
    """A short title in the customer's own words, without filler."""
    sentence = _title_sentence(finding)
    clause = _ask_clause(sentence.text) or _main_first(_focus(_clean(sentence.text)))
    return _shorten(_capitalise(clause), TITLE_CHARS)


def draft_summary(finding: Finding, speaker: str) -> str:
    """One or two sentences: who raised it and what they need."""
    title = draft_title(finding)
    summary = f"{speaker} {_VERB[finding.kind]}: {_sentence_case(title)}."
    quote = _supporting(finding)
    if quote is not None:
        summary += f" In their words: “{_shorten(_clean(quote.text), SUMMARY_CHARS)}.”"
    return summary


def draft_motivation(finding: Finding) -> str:
    """Why it matters, in the customer's words, or empty when they did not say."""
    title_sentence = _title_sentence(finding)
    reasons = [
        s
        for s in finding.context + finding.sentences
        if s is not title_sentence and len(s.text.split()) >= 5 and _motive(s.text)
    ]
    if not reasons:
        return ""
    best = max(reasons, key=lambda s: (_motive(s.text), -s.start_ms))
    return _capitalise(_clean(best.text)) + "."


def _motive(text: str) -> int:
    if cues.SALES.search(text) or cues.SMALL_TALK.search(text):
        return 0
    if cues.SELF_ACTION.search(text) or cues.POSITIVE.search(text):
        return 0
    return len(_MOTIVE.findall(text))


def _title_sentence(finding: Finding) -> Sentence:
    """The strongest point that says enough to stand on its own; for a request
    or a pain point, one that states the ask if there is one."""
    wants_ask = finding.kind != cues.BUG
    ranked = sorted(
        finding.points,
        key=lambda p: (
            len(terms(p.sentence.text)) >= MIN_TITLE_TERMS,
            not _LEANING.search(_clean(p.sentence.text)),
            wants_ask and _ask_clause(p.sentence.text) is not None,
            p.kind == finding.kind,
            p.score,
            -p.start_ms,
        ),
        reverse=True,
    )
    return ranked[0].sentence


def _supporting(finding: Finding) -> Sentence | None:
    """The strongest other point, to quote beside the title."""
    title_sentence = _title_sentence(finding)
    others = [p for p in finding.points if p.sentence is not title_sentence]
    if not others:
        return None
    return max(others, key=lambda p: (p.score, -p.start_ms)).sentence


def _main_first(text: str) -> str:
    """ "When X, the app closes" reads as "The app closes when X" in a title."""
    found = _SUBORDINATE.match(text)
    if not found or len(found["main"].split()) < 3:
        return text
    sub = found["sub"]
    return f"{found['main']} {sub[:1].lower()}{sub[1:]}"


def _sentence_case(title: str) -> str:
    """Lower the title's first letter to run on after a colon, unless it names."""
    first = title.split(" ", 1)[0]
    if first == "I" or first.startswith("I'") or any(c.isupper() for c in first[1:]):
        return title
    return title[:1].lower() + title[1:]


def _ask_clause(text: str) -> str | None:
    """The ask in its own clause, when it says enough to stand as a title."""
    text = _straight(text)
    for pattern in _ASK:
        found = pattern.search(text)
        if found and len(terms(found.group("ask"))) >= MIN_TITLE_TERMS:
            return _rewrite(_clean(found.group("ask")))
    return None


def _rewrite(clause: str) -> str:
    for pattern, replacement in _REWRITES:
        rewritten = pattern.sub(replacement, clause, count=1)
        if rewritten != clause:
            return rewritten.strip()
    return clause


def _focus(text: str) -> str:
    """A long sentence from its first clause that states the feedback on, or
    only the clauses that state it when that is still too long."""
    if len(text) <= TITLE_CHARS:
        return text
    clauses = _CLAUSES.split(text)
    stating = [any(q.pattern.search(c) for q in cues.FEEDBACK) for c in clauses]
    if not any(stating):
        return text
    onward = text[text.index(clauses[stating.index(True)]) :]
    if len(onward) <= TITLE_CHARS:
        return onward
    return ", ".join(c for c, says in zip(clauses, stating, strict=True) if says)


def _straight(text: str) -> str:
    return text.replace("\u2019", "'")


def _clean(text: str) -> str:
    text = _FILLER.sub("", _straight(text))
    text = _LEAD.sub("", text.strip())
    text = _TAG.sub("", text)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-—")
    return text.rstrip(".!?…").strip()


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for mark in ("; ", " because ", ", and ", ", but "):
        at = cut.rfind(mark)
        if at >= limit // 2:
            return cut[:at].rstrip(" ,;")
    return cut.rsplit(" ", 1)[0].rstrip(" ,;") + "…"
