from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.calls import Affiliation, Party
from agent.eligibility import SkipReason, skip_reason
from agent.readers import read_call_file
from tests import builders

STRANGER = Party(speaker_id="cust", name="Dana Whitfield")


def test_a_call_of_599_seconds_is_too_short() -> None:
    assert skip_reason(builders.call(duration_s=599)) == SkipReason.TOO_SHORT


def test_a_call_a_fraction_under_600_seconds_is_too_short() -> None:
    assert skip_reason(builders.call(duration_s=599.9)) == SkipReason.TOO_SHORT


@pytest.mark.parametrize("duration", [600, 600.0])
def test_a_call_of_exactly_600_seconds_is_eligible(duration: float) -> None:
    assert skip_reason(builders.call(duration_s=duration)) is None


def test_a_call_without_a_duration_is_measured_by_its_last_sentence() -> None:
    script = [("cust", 0, 600_000, "We need a scheduled export every Monday.")]
    call = builders.call(duration_s=None, sentences=builders.sentences(script))

    assert skip_reason(call) is None


def test_an_external_call_is_eligible() -> None:
    assert skip_reason(builders.call(scope="External")) is None


def test_an_unknown_scope_call_with_an_external_party_is_eligible() -> None:
    assert skip_reason(builders.call(scope="Unknown")) is None


@pytest.mark.parametrize("affiliation", [Affiliation.UNKNOWN, Affiliation.INTERNAL])
def test_an_unknown_scope_call_without_an_external_party_is_internal(
    affiliation: Affiliation,
) -> None:
    parties = [builders.REP, STRANGER.model_copy(update={"affiliation": affiliation})]
    call = builders.call(scope="Unknown", parties=parties)

    assert skip_reason(call) == SkipReason.INTERNAL


def test_an_internal_call_is_skipped_as_internal() -> None:
    call = builders.call(scope="Internal", parties=[builders.REP])

    assert skip_reason(call) == SkipReason.INTERNAL


def test_a_private_call_is_skipped_as_private() -> None:
    assert skip_reason(builders.call(is_private=True)) == SkipReason.PRIVATE


def test_a_gong_call_that_does_not_say_whether_it_is_private_is_not_private(
    tmp_path: Path,
) -> None:
    bundle = {
        "call": {
            "metaData": {"id": "9001", "duration": 900, "scope": "External"},
            "parties": [{"speakerId": "c", "name": "Dana", "affiliation": "External"}],
        },
        "transcript": [
            {
                "speakerId": "c",
                "sentences": [{"start": 0, "end": 3000, "text": "Exports are slow."}],
            }
        ],
    }
    path = tmp_path / "call.json"
    path.write_text(json.dumps(bundle))

    [call] = read_call_file(path)

    assert call.is_private is False
    assert skip_reason(call) is None


def test_a_call_without_sentences_has_no_transcript() -> None:
    assert skip_reason(builders.call(sentences=[])) == SkipReason.NO_TRANSCRIPT


def test_a_call_whose_sentences_are_all_blank_has_no_transcript() -> None:
    blank = [("cust", 0, 4_000, "   "), ("rep", 4_000, 8_000, "")]
    call = builders.call(sentences=builders.sentences(blank))

    assert skip_reason(call) == SkipReason.NO_TRANSCRIPT


def test_a_file_with_only_unknown_speakers_is_eligible() -> None:
    call = builders.call(scope=None, parties=[], accounts=[], url=None)

    assert skip_reason(call) is None


def test_a_file_whose_every_speaker_is_internal_is_internal() -> None:
    internal = STRANGER.model_copy(update={"affiliation": Affiliation.INTERNAL})
    call = builders.call(scope=None, parties=[builders.REP, internal])

    assert skip_reason(call) == SkipReason.INTERNAL


def test_a_call_both_internal_and_short_is_reported_as_internal() -> None:
    call = builders.call(scope="Internal", parties=[builders.REP], duration_s=60)

    assert skip_reason(call) == SkipReason.INTERNAL


def test_a_call_both_private_and_short_is_reported_as_private() -> None:
    call = builders.call(is_private=True, duration_s=60)

    assert skip_reason(call) == SkipReason.PRIVATE


def test_a_call_with_no_duration_and_no_times_at_all_is_not_too_short() -> None:
    script = [("cust", 0, 0, "We need a scheduled export every Monday.")]
    call = builders.call(duration_s=None, sentences=builders.sentences(script))

    assert skip_reason(call) is None


def test_a_call_stated_to_last_no_time_is_too_short() -> None:
    script = [("cust", 0, 0, "We need a scheduled export every Monday.")]
    call = builders.call(duration_s=0, sentences=builders.sentences(script))

    assert skip_reason(call) == SkipReason.TOO_SHORT


def test_a_text_file_without_stamps_is_eligible_whatever_its_length(
    tmp_path: Path,
) -> None:
    speakers = ["Dana", "Raj"]
    lines = [f"{speakers[n % 2]}: Point number {n} about exports." for n in range(600)]
    path = tmp_path / "call.txt"
    path.write_text("\n".join(lines))

    [call] = read_call_file(path)

    assert call.duration_s is None
    assert skip_reason(call) is None


def test_a_stamped_text_file_of_five_minutes_is_too_short(tmp_path: Path) -> None:
    lines = [f"[00:0{minute}:00] Dana: Minute {minute}." for minute in range(6)]
    path = tmp_path / "call.txt"
    path.write_text("\n".join(lines))

    [call] = read_call_file(path)

    assert call.effective_duration_s == 300
    assert skip_reason(call) == SkipReason.TOO_SHORT
