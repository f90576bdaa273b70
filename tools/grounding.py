"""Checking that a quoted excerpt is what a speaker said, when they said it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from agent.calls import Call, Sentence

# A model reads times rounded to the second, so a stamp may sit a little
# outside the sentence it points at.
TIME_TOLERANCE_MS = 1500

_NON_WORD = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces: the form excerpts are compared in."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("\u2019", "").replace("'", "")
    return _SPACE.sub(" ", _NON_WORD.sub(" ", text)).strip()


@dataclass(frozen=True)
class Located:
    """Where an excerpt was found: the sentences that hold it, and the words as
    transcribed (original case and punctuation)."""

    speaker_id: str
    sentences: tuple[Sentence, ...]
    text: str

    @property
    def start_ms(self) -> int:
        return self.sentences[0].start_ms

    @property
    def end_ms(self) -> int:
        return self.sentences[-1].end_ms


class GroundingError(ValueError):
    """An excerpt that is not the named speaker's words at the given time."""


def locate(call: Call, text: str, speaker: str, at_ms: int) -> Located:
    """Find `text` in `speaker`'s words around `at_ms`, or say what is wrong."""
    wanted = normalise(text)
    if len(wanted.split()) < 3:
        raise GroundingError(
            f"excerpt {text!r} is too short; quote at least three words"
        )
    hits = occurrences(call, wanted)
    if not hits:
        raise GroundingError(
            f"excerpt {text!r} does not occur in the transcript; "
            "quote the words exactly as transcribed"
        )
    by_speaker = [hit for hit in hits if _names_match(call, hit.speaker_id, speaker)]
    if not by_speaker:
        said_by = call.party(hits[0].speaker_id).display_name
        raise GroundingError(
            f"excerpt {text!r} is said by {said_by}, not {speaker}; "
            "name the speaker who says it"
        )
    for hit in by_speaker:
        if hit.start_ms - TIME_TOLERANCE_MS <= at_ms <= hit.end_ms + TIME_TOLERANCE_MS:
            return hit
    when = ", ".join(f"{hit.start_ms} ({clock(hit.start_ms)})" for hit in by_speaker)
    raise GroundingError(
        f"{speaker} says {text!r} at start_ms {when}, not at {at_ms} ({clock(at_ms)}); "
        "give the time of the sentence that holds it"
    )


def clock(ms: int) -> str:
    """`ms` as [h:]mm:ss."""
    hours, rest = divmod(max(ms, 0) // 1000, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes:02d}:{seconds:02d}"


def _names_match(call: Call, speaker_id: str, speaker: str) -> bool:
    party = call.party(speaker_id)
    return normalise(speaker) in {normalise(party.display_name), normalise(speaker_id)}


def occurrences(call: Call, text: str) -> list[Located]:
    """Every run of one speaker's consecutive sentences that holds `text`."""
    return list(_occurrences(call, normalise(text)))


@dataclass(frozen=True)
class _Token:
    """One normalised word, and where its original word sits in the turn."""

    word: str
    sentence: int
    position: int


def _occurrences(call: Call, wanted: str):
    needle = wanted.split()
    if not needle:
        return
    for turn in call.turns():
        words = [sentence.text.split() for sentence in turn]
        tokens = _tokens(words)
        spoken = [token.word for token in tokens]
        # Comparing whole tokens makes the search match whole words only.
        for at in range(len(spoken) - len(needle) + 1):
            if spoken[at : at + len(needle)] == needle:
                first, last = tokens[at], tokens[at + len(needle) - 1]
                yield Located(
                    turn[0].speaker_id,
                    tuple(turn[first.sentence : last.sentence + 1]),
                    _verbatim(words, first, last),
                )


def _tokens(words: list[list[str]]) -> list[_Token]:
    return [
        _Token(part, sentence, position)
        for sentence, sentence_words in enumerate(words)
        for position, word in enumerate(sentence_words)
        for part in normalise(word).split()
    ]


def _verbatim(words: list[list[str]], first: _Token, last: _Token) -> str:
    """The transcript's own words from `first` to `last`, across sentences."""
    picked = []
    for sentence in range(first.sentence, last.sentence + 1):
        begin = first.position if sentence == first.sentence else 0
        end = last.position + 1 if sentence == last.sentence else len(words[sentence])
        picked += words[sentence][begin:end]
    return " ".join(picked).strip(" ,;:-\u2014")
