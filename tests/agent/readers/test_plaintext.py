from __future__ import annotations

import pytest

from agent.readers import ReadError, read_call_file
from agent.workspace import Workspace


def _timed(call) -> list[tuple[str, int, int, str]]:
    return [(s.speaker_id, s.start_ms, s.end_ms, s.text) for s in call.sentences]


def test_stamps_before_or_after_the_name_time_each_line(write_file):
    text = (
        "[00:00:05] Dana: Hi all.\n"
        "Raj [00:01:02]: The export\n"
        "keeps failing.\n"
        "[01:10] Dana: Noted.\n"
    )

    (call,) = read_call_file(write_file("call.txt", text))

    assert _timed(call) == [
        ("Dana", 5000, 62000, "Hi all."),
        ("Raj", 62000, 70000, "The export keeps failing."),
        ("Dana", 70000, 70000, "Noted."),
    ]
    assert call.duration_s == 70.0


def test_unstamped_lines_take_the_last_stamp_and_end_at_the_next(write_file):
    text = "[00:10] Dana: One.\nRaj: Two.\n[00:30] Dana: Three.\nRaj: Four.\n"

    (call,) = read_call_file(write_file("call.txt", text))

    assert _timed(call) == [
        ("Dana", 10000, 30000, "One."),
        ("Raj", 10000, 30000, "Two."),
        ("Dana", 30000, 30000, "Three."),
        ("Raj", 30000, 30000, "Four."),
    ]


def test_without_any_stamp_times_stay_zero_and_the_duration_unknown(write_file):
    text = "Dana: Hi.\r\nRaj: Hello.\r\n  and welcome.\r\n"
    workspace = Workspace(internal_speakers=["DANA"])

    (call,) = read_call_file(write_file("call.txt", text), workspace)

    assert _timed(call) == [("Dana", 0, 0, "Hi."), ("Raj", 0, 0, "Hello. and welcome.")]
    assert call.duration_s is None
    assert call.party("Dana").affiliation == "Internal"


def test_a_stamped_line_without_a_name_continues_the_speaker(write_file):
    text = "[00:01] Dana: First point.\n[00:09] Second point.\n"

    (call,) = read_call_file(write_file("call.txt", text))

    assert _timed(call) == [
        ("Dana", 1000, 9000, "First point."),
        ("Dana", 9000, 9000, "Second point."),
    ]


def test_text_before_any_name_belongs_to_the_unknown_speaker(write_file):
    text = "Recorded at the Berlin office\n\nDana: Hi.\n"

    (call,) = read_call_file(write_file("call.txt", text))

    assert [(s.speaker_id, s.text) for s in call.sentences] == [
        ("unknown", "Recorded at the Berlin office"),
        ("Dana", "Hi."),
    ]


def test_a_url_or_a_clock_time_is_not_a_speaker(write_file):
    text = "Dana: See https://example.com at\n10:30 tomorrow.\n"

    (call,) = read_call_file(write_file("call.txt", text))

    assert _timed(call) == [
        ("Dana", 0, 0, "See https://example.com at 10:30 tomorrow.")
    ]


def test_an_arrow_in_the_words_does_not_make_text_a_subtitle_file(write_file):
    path = write_file("call.txt", "Dana: Settings --> Export is hidden.\n")

    (call,) = read_call_file(path)

    assert call.sentences[0].text == "Settings --> Export is hidden."


def test_stamps_that_go_backwards_are_refused_naming_the_line(write_file):
    path = write_file("call.txt", "[00:50] Dana: Late.\n[00:20] Raj: Early.\n")

    with pytest.raises(ReadError, match="line 1 ends before it starts"):
        read_call_file(path)


def test_prose_without_speakers_or_stamps_is_not_a_transcript(write_file):
    path = write_file("notes.txt", "Just some notes\nabout nothing in particular.\n")

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == (
        f"{path} has no 'Name: text' lines and no [hh:mm:ss] stamps."
    )
