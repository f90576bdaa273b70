"""Which calls are triaged, and why the others are skipped."""

from __future__ import annotations

from enum import StrEnum

from agent.calls import MIN_DURATION_S, Affiliation, Call


class SkipReason(StrEnum):
    INTERNAL = "internal"
    PRIVATE = "private"
    TOO_SHORT = "too_short"
    NO_TRANSCRIPT = "no_transcript"


def skip_reason(call: Call) -> SkipReason | None:
    """Why `call` must not be triaged, or None when it is eligible.

    Checked in a fixed order so a call that is both internal and short
    always reports the same reason.

    A call is too short when its stated duration, or else the end of its last
    sentence, is under ten minutes. A call that states no duration and whose
    sentences carry no times at all (every start and end 0, as in a text file
    without stamps) is of unknown length, and an unknown length is not too short.
    """
    if not _is_customer_facing(call):
        return SkipReason.INTERNAL
    if call.is_private:
        return SkipReason.PRIVATE
    if not _length_unknown(call) and call.effective_duration_s < MIN_DURATION_S:
        return SkipReason.TOO_SHORT
    if not any(sentence.text.strip() for sentence in call.sentences):
        return SkipReason.NO_TRANSCRIPT
    return None


def _length_unknown(call: Call) -> bool:
    untimed = all(s.start_ms == 0 and s.end_ms == 0 for s in call.sentences)
    return call.duration_s is None and untimed


def _is_customer_facing(call: Call) -> bool:
    if (call.scope or "").lower() == "external":
        return True
    if any(party.affiliation == Affiliation.EXTERNAL for party in call.parties):
        return True
    # Files carry no scope or affiliations: a speaker nobody marked internal
    # may be the customer.
    if call.scope is None:
        return any(p.affiliation == Affiliation.UNKNOWN for p in _speaking(call))
    return False


def _speaking(call: Call) -> list:
    speaker_ids = {sentence.speaker_id for sentence in call.sentences}
    return [call.party(speaker_id) for speaker_id in sorted(speaker_ids)]
