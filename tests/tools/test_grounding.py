from __future__ import annotations

import pytest

from agent.calls import Party
from tests import builders
from tools.grounding import TIME_TOLERANCE_MS, GroundingError, clock, locate, normalise

DANA = "Dana Whitfield"


def test_an_exact_quote_is_found_at_its_sentence() -> None:
    found = locate(
        builders.call(),
        "Also the mobile app crashes when I open the map.",
        DANA,
        20_000,
    )

    assert found.speaker_id == "cust"
    assert (found.start_ms, found.end_ms) == (20_000, 26_000)


def test_case_punctuation_and_spacing_do_not_matter() -> None:
    found = locate(
        builders.call(),
        "the MOBILE  app, crashes —  when i open",
        "dana whitfield",
        20_000,
    )

    assert found.start_ms == 20_000


def test_the_found_words_are_the_transcripts_own_whatever_the_quote_looked_like() -> (
    None
):
    found = locate(
        builders.call(), "the MOBILE  app, crashes —  when i open", DANA, 20_000
    )

    assert found.text == "the mobile app crashes when I open"


def test_a_quote_across_sentences_keeps_their_punctuation() -> None:
    found = locate(builders.call(), "for us we need a scheduled", DANA, 5_000)

    assert found.text == "for us. We need a scheduled"


def test_a_quote_may_span_two_sentences_of_one_turn() -> None:
    text = "painful for us. We need a scheduled CSV export"

    found = locate(builders.call(), text, DANA, 5_000)

    assert [s.start_ms for s in found.sentences] == [5_000, 9_000]
    assert (found.start_ms, found.end_ms) == (5_000, 14_000)


def test_a_quote_spanning_two_speakers_is_refused() -> None:
    text = "every Monday morning. That is useful"

    with pytest.raises(GroundingError, match="does not occur"):
        locate(builders.call(), text, DANA, 9_000)


def test_a_quote_within_the_second_sentence_of_a_turn_starts_there() -> None:
    found = locate(builders.call(), "a scheduled CSV export every", DANA, 9_000)

    assert [s.start_ms for s in found.sentences] == [9_000]


def test_a_quote_that_starts_in_the_middle_of_a_word_is_refused() -> None:
    with pytest.raises(GroundingError, match="does not occur"):
        locate(builders.call(), "obile app crashes when", DANA, 20_000)


def test_a_quote_that_ends_in_the_middle_of_a_word_is_refused() -> None:
    with pytest.raises(GroundingError, match="does not occur"):
        locate(builders.call(), "the mobile app crash", DANA, 20_000)


def test_a_quote_named_for_the_wrong_speaker_says_who_said_it() -> None:
    with pytest.raises(GroundingError, match="said by Dana Whitfield, not Sam Rep"):
        locate(builders.call(), "the mobile app crashes", "Sam Rep", 20_000)


def test_words_both_speakers_said_are_found_for_the_one_named() -> None:
    text = "We need a scheduled CSV export"

    assert locate(builders.call(), text, "Sam Rep", 27_000).speaker_id == "rep"
    assert locate(builders.call(), text, DANA, 9_000).speaker_id == "cust"


def test_a_quote_at_the_wrong_time_gives_the_right_start() -> None:
    with pytest.raises(GroundingError) as refused:
        locate(builders.call(), "the mobile app crashes", DANA, 60_000)

    assert "start_ms 20000 (00:20)" in str(refused.value)
    assert "not at 60000 (01:00)" in str(refused.value)


def test_invented_words_are_refused() -> None:
    with pytest.raises(GroundingError, match="does not occur in the transcript"):
        locate(builders.call(), "the dashboard is far too slow", DANA, 20_000)


def test_a_quote_of_fewer_than_three_words_is_refused() -> None:
    with pytest.raises(GroundingError, match="too short"):
        locate(builders.call(), "mobile app!", DANA, 20_000)


def test_a_three_word_quote_is_long_enough() -> None:
    assert locate(builders.call(), "mobile app crashes", DANA, 20_000)


def test_a_speaker_without_a_name_is_the_unknown_speaker() -> None:
    nameless = Party(speaker_id="cust")
    call = builders.call(parties=[builders.REP, nameless])

    found = locate(call, "the mobile app crashes", "Unknown speaker", 20_000)

    assert found.speaker_id == "cust"


def test_a_speaker_may_be_named_by_speaker_id() -> None:
    assert locate(builders.call(), "the mobile app crashes", "cust", 20_000)


@pytest.mark.parametrize(
    "at_ms", [20_000 - TIME_TOLERANCE_MS, 23_000, 26_000 + TIME_TOLERANCE_MS]
)
def test_a_time_within_a_second_and_a_half_of_the_sentence_is_accepted(
    at_ms: int,
) -> None:
    assert locate(builders.call(), "the mobile app crashes", DANA, at_ms)


@pytest.mark.parametrize(
    "at_ms", [20_000 - TIME_TOLERANCE_MS - 1, 26_000 + TIME_TOLERANCE_MS + 1]
)
def test_a_time_further_than_a_second_and_a_half_away_is_refused(at_ms: int) -> None:
    with pytest.raises(GroundingError, match="give the time"):
        locate(builders.call(), "the mobile app crashes", DANA, at_ms)


def test_normalise_drops_apostrophes_inside_words() -> None:
    assert normalise("We DON’T  can't, sign-on!") == "we dont cant sign on"


@pytest.mark.parametrize(
    ("ms", "shown"), [(0, "00:00"), (65_400, "01:05"), (3_725_000, "1:02:05")]
)
def test_clock_shows_minutes_and_seconds_and_hours_when_there_are_any(
    ms: int, shown: str
) -> None:
    assert clock(ms) == shown
