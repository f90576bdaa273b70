from __future__ import annotations

import pytest

from agent.readers import ReadError, read_call_file

SRT = """1
00:00:01,000 --> 00:00:04,000
Dana: Can everyone hear me?

2
00:00:04,500 --> 00:00:09,250
Raj: Yes, and the export
still fails every night.

3
00:00:10,000 --> 00:00:11,000
<i>(laughter)</i>
"""


def test_numbered_cues_with_name_prefixes_become_speakers(write_file):
    (call,) = read_call_file(write_file("call.srt", SRT))

    assert [(s.speaker_id, s.start_ms, s.end_ms, s.text) for s in call.sentences] == [
        ("Dana", 1000, 4000, "Can everyone hear me?"),
        ("Raj", 4500, 9250, "Yes, and the export still fails every night."),
        ("unknown", 10000, 11000, "(laughter)"),
    ]
    assert [party.name for party in call.parties] == ["Dana", "Raj", None]
    assert call.duration_s == 11.0


def test_srt_is_recognised_by_content_whatever_the_extension(write_file):
    (call,) = read_call_file(write_file("call.txt", SRT.replace("\n", "\r\n")))

    assert len(call.sentences) == 3


def test_an_srt_bad_timing_names_its_line(write_file):
    path = write_file("bad.srt", SRT.replace("00:00:04,500", "00:00:04;500"))

    with pytest.raises(ReadError, match="line 6 has a bad cue timing"):
        read_call_file(path)


def test_an_srt_cue_that_ends_before_it_starts_is_refused(write_file):
    path = write_file("back.srt", "1\n00:00:09,000 --> 00:00:04,000\nHi.\n")

    with pytest.raises(ReadError, match="line 2 has a cue that ends before it starts"):
        read_call_file(path)


def test_an_srt_file_without_cues_is_refused(write_file):
    path = write_file("blank.srt", "\n\n  \n\nx")

    with pytest.raises(ReadError, match="line 5 starts a cue with no timing line"):
        read_call_file(path)
