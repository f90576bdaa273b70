from __future__ import annotations

import re

import pytest

from agent.readers import read_call_file

VTT = "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Dana>Exports keep timing out.</v>\n"
SRT = "1\n00:00:01,000 --> 00:00:04,000\nDana: Exports keep timing out.\n"
TEXT = "[00:00:01] Dana: Exports keep timing out.\n[00:00:04] Raj: Noted.\n"


def _call_ids(write_file, name: str, original: str, edited: str) -> tuple[str, str]:
    before = read_call_file(write_file(f"before/{name}", original))[0]
    after = read_call_file(write_file(f"after/{name}", edited))[0]
    return before.call_id, after.call_id


@pytest.mark.parametrize(
    ("name", "original", "edited"),
    [
        ("note.vtt", VTT, VTT.replace("\n\n", "\n\nNOTE checked by Raj\n\n", 1)),
        ("cue_id.vtt", VTT, VTT.replace("\n\n", "\n\nintro-1\n", 1)),
        ("crlf.vtt", VTT, VTT.replace("\n", "\r\n")),
        ("bom.vtt", VTT, "\ufeff" + VTT),
        ("tags.vtt", VTT, VTT.replace("timing out", "<b>timing</b> <c.loud>out</c>")),
        ("header.vtt", VTT, VTT.replace("WEBVTT", "WEBVTT - weekly\nKind: captions")),
        ("index.srt", SRT, SRT.replace("1\n", "17\n", 1)),
        ("tags.srt", SRT, SRT.replace("Exports", "<i>Exports</i>")),
        ("crlf.srt", SRT, SRT.replace("\n", "\r\n")),
        ("spaces.txt", TEXT, TEXT.replace(": ", ":   ").replace("\n", "\n\n")),
        ("crlf.txt", TEXT, "\ufeff" + TEXT.replace("\n", "\r\n")),
    ],
)
def test_a_cosmetic_edit_keeps_the_call_id(write_file, name, original, edited):
    before, after = _call_ids(write_file, name, original, edited)

    assert before == after
    assert re.fullmatch(r"file:[0-9a-f]{16}", after)


@pytest.mark.parametrize(
    ("name", "original", "edited"),
    [
        ("word.vtt", VTT, VTT.replace("timing out", "failing")),
        ("start.vtt", VTT, VTT.replace("00:01.000", "00:02.000")),
        ("end.vtt", VTT, VTT.replace("00:04.000", "00:05.000")),
        ("speaker.vtt", VTT, VTT.replace("Dana", "Raj")),
        ("word.srt", SRT, SRT.replace("Exports", "Imports")),
        ("word.txt", TEXT, TEXT.replace("Noted", "Not at all")),
        ("stamp.txt", TEXT, TEXT.replace("00:00:04", "00:00:09")),
    ],
)
def test_changed_words_times_or_speakers_change_the_call_id(
    write_file, name, original, edited
):
    before, after = _call_ids(write_file, name, original, edited)

    assert before != after
