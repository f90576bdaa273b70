"""The words that carry meaning in feedback, team descriptions and guidance."""

from __future__ import annotations

import re

STOPWORDS = frozenset(
    """a an the and or but if of to in on at for from by with about into than then
    this that these those it its is are was were be been being do does did done
    we you they i he she our your their my me us them what which who whom when
    where why how all any each some no not can could would should will shall may
    might must has have had go goes went going get gets anything something thing
    things there here so as just also even very really like want need one ones
    team teams belong belongs unless except only other else whatever whoever
    page pages um uh yeah yes okay ok oh right well got know think mean say said
    lot kind sort actually honestly still now today anyway maybe probably way
    back come comes came make makes made see saw look looks much more most let
    lets sure good great fine every exactly because up after before same next
    little two three four five six seven eight nine ten eleven twelve twenty
    thirty forty fifty hundred thousand first second third request requests
    problem problems issue issues feedback question questions everything
    themselves itself including regardless matter own time fix""".split()
)
# Everyday words for what descriptions name formally.
SYNONYMS = {
    "text": "sms",
    "texts": "sms",
    "texted": "sms",
    "texting": "sms",
    "iphone": "ios",
    "iphones": "ios",
    "ipad": "ios",
    "signin": "login",
    "logon": "login",
}
# Customers name the symptom ("my screen reader skips it"); descriptions and
# guidance name the kind of problem. A symptom lends its kind to the text.
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
TOKEN = re.compile(r"[a-z0-9]+(?:['\u2019][a-z]+)?")
_COMPOUND = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b")


def stem(word: str) -> str:
    """A crude stem, enough to make "notifications" meet "notification"."""
    for suffix in ("ations", "ation", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


def tokens(text: str) -> list[str]:
    """Lower-cased words, apostrophes kept, hyphenated words also joined."""
    lowered = text.lower().replace("\u2019", "'")
    joined = _COMPOUND.sub(
        lambda m: f"{m[0].replace('-', ' ')} {m[0].replace('-', '')}", lowered
    )
    return TOKEN.findall(joined)


def words(text: str, joined: bool = False) -> list[str]:
    """Content words of `text`, stemmed, in order and with repeats.

    With `joined`, two words said apart also count as one ("check in" meets
    "check-in", "log in" meets "login").
    """
    raw = tokens(text)
    found = []
    for at, word in enumerate(raw):
        candidates = [word]
        if joined and at + 1 < len(raw):
            candidates.append(word + raw[at + 1])
        found.extend(c for c in map(_content, candidates) if c)
    return found


def terms(text: str) -> set[str]:
    """The set of content words of `text`."""
    return set(words(text))


def symptom_kinds(text: str) -> set[str]:
    """The kinds of problem whose symptoms `text` describes."""
    padded = f" {' '.join(TOKEN.findall(text.lower()))} "
    return {
        kind
        for kind, phrases in SYMPTOMS.items()
        if any(f" {phrase} " in padded for phrase in phrases)
    }


def _content(word: str) -> str | None:
    if word.endswith("'s"):
        word = word[:-2]
    if not word or "'" in word or word in STOPWORDS or len(word) < 2:
        return None
    return stem(SYNONYMS.get(word, word))
