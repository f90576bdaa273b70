from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.calls import Affiliation, Party
from agent.readers import ReadError, read_call_file
from agent.workspace import Workspace, load_workspace

VA_CALLS = ["p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p11"]


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def va_dir(shared_dir: Path) -> Path:
    return shared_dir / "calls" / "va-health-avs"


@pytest.mark.parametrize("name", ["p2", "p8"])
def test_the_vtt_and_gong_versions_give_the_same_words_at_the_same_times(va_dir, name):
    (vtt,) = read_call_file(va_dir / f"{name}.vtt")
    (gong,) = read_call_file(va_dir / f"{name}.json")

    for cue in vtt.sentences:
        inside = [
            sentence
            for sentence in gong.sentences
            if gong.party(sentence.speaker_id).name == cue.speaker_id
            and cue.start_ms <= sentence.start_ms <= sentence.end_ms <= cue.end_ms
        ]
        assert _words(" ".join(s.text for s in inside)) == _words(cue.text), cue
    assert _words("".join(s.text for s in vtt.sentences)) == _words(
        "".join(s.text for s in gong.sentences)
    )


@pytest.mark.parametrize("name", VA_CALLS)
def test_every_va_session_reads_with_its_speakers_affiliated(va_dir, name):
    workspace = load_workspace(va_dir / "workspace.json")

    (call,) = read_call_file(va_dir / f"{name}.vtt", workspace)

    affiliations = {party.name: party.affiliation for party in call.parties}
    assert affiliations["Moderator"] is Affiliation.INTERNAL
    assert affiliations[f"Participant {name.upper()}"] is Affiliation.UNKNOWN
    assert call.duration_s == max(s.end_ms for s in call.sentences) / 1000 > 600
    assert all("<" not in s.text for s in call.sentences)


def test_a_file_call_is_identified_by_its_content_and_named_by_its_file(write_file):
    text = "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Dana>Hello.</v>\n"
    first, second = write_file("a/standup.vtt", text), write_file("b/other.vtt", text)

    (call,) = read_call_file(first)

    assert call.call_id == read_call_file(first)[0].call_id
    assert call.call_id == read_call_file(second)[0].call_id
    assert re.fullmatch(r"file:[0-9a-f]{16}", call.call_id)
    assert call.title == "standup"
    assert call.url == first.resolve().as_uri()
    assert call.source == str(first)
    assert call.scope is None
    assert call.duration_s == 4.0


def test_crlf_line_ends_and_a_byte_order_mark_are_read(write_file):
    text = (
        "WEBVTT\r\n\r\n1\r\n00:00:01.000 --> 00:00:02.500\r\n<v Dana>Hi there.</v>\r\n"
    )
    path = write_file("crlf.vtt", b"\xef\xbb\xbf" + text.encode())

    (call,) = read_call_file(path)

    assert [(s.speaker_id, s.start_ms, s.end_ms, s.text) for s in call.sentences] == [
        ("Dana", 1000, 2500, "Hi there.")
    ]


def test_a_cue_without_a_speaker_belongs_to_the_unknown_speaker(write_file):
    path = write_file("anon.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nJust words.\n")

    (call,) = read_call_file(path)

    assert call.sentences[0].speaker_id == "unknown"
    assert call.parties == [Party(speaker_id="unknown")]


def test_a_voice_tag_with_a_class_names_the_speaker(write_file):
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v.loud   Ana  Lima>Stop!</v>\n"
    path = write_file("loud.vtt", text)

    (call,) = read_call_file(path)

    assert call.sentences[0].speaker_id == "Ana Lima"
    assert call.parties[0].name == "Ana Lima"


def test_a_multi_line_cue_is_one_sentence(write_file):
    text = (
        "WEBVTT\n\nintro\n00:00:01.000 --> 00:00:05.000 align:start position:10%\n"
        "<v Dana>The export\nfails every night.</v>\n"
    )
    path = write_file("multi.vtt", text)

    (call,) = read_call_file(path)

    assert [s.text for s in call.sentences] == ["The export fails every night."]


def test_two_voices_in_one_cue_give_two_sentences_at_the_cue_time(write_file):
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\n<v Dana>Ready?</v>\n<v Raj>Yes.</v>\n"
    path = write_file("two.vtt", text)

    (call,) = read_call_file(path)

    assert [(s.speaker_id, s.start_ms, s.text) for s in call.sentences] == [
        ("Dana", 1000, "Ready?"),
        ("Raj", 1000, "Yes."),
    ]


def test_markup_is_stripped_and_entities_decoded(write_file):
    text = (
        "WEBVTT\n\n00:01.000 --> 00:03.000\n"
        "<v Dana><i>Tom</i> &amp; <b>Jerry</b> <00:00:02.000><c.red>say</c> "
        "1 &lt; 2&nbsp;&gt; 0</v>\n"
    )
    path = write_file("tags.vtt", text)

    (call,) = read_call_file(path)

    assert call.sentences[0].text == "Tom & Jerry say 1 < 2 > 0"


def test_a_name_prefix_names_the_speaker_when_there_is_no_voice_tag(write_file):
    text = "WEBVTT\n\n00:01.000 --> 00:03.000\nDana Whitfield: We shipped it.\n"
    workspace = Workspace(internal_speakers=["dana whitfield"])

    (call,) = read_call_file(write_file("zoom.vtt", text), workspace)

    assert call.sentences[0].text == "We shipped it."
    assert call.party("Dana Whitfield").affiliation is Affiliation.INTERNAL


def test_note_style_and_header_metadata_are_not_speech(write_file):
    text = (
        "WEBVTT - recorded call\nKind: captions\n\nNOTE a comment\nspanning lines\n\n"
        "STYLE\n::cue { color: red }\n\n00:01.000 --> 00:02.000\n<v Dana>Hi.\n"
    )

    (call,) = read_call_file(write_file("notes.vtt", text))

    assert [s.text for s in call.sentences] == ["Hi."]


def test_a_vtt_file_without_its_header_is_refused(write_file):
    path = write_file("bare.vtt", "00:01.000 --> 00:02.000\nHi.\n")

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == f"{path} has no WEBVTT header on its first line."


def test_a_vtt_file_without_cues_is_refused(write_file):
    path = write_file("none.vtt", "WEBVTT\n\nNOTE nothing was said\n")

    with pytest.raises(ReadError, match="has no cues"):
        read_call_file(path)


def test_a_bad_timing_names_its_line(write_file):
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n\n2\n00:03.000 --> 00:0x.000\nNo.\n"
    path = write_file("bad.vtt", text)

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == (
        f"{path} line 7 has a bad cue timing '00:03.000 --> 00:0x.000'."
    )


def test_a_cue_that_ends_before_it_starts_is_refused(write_file):
    path = write_file("back.vtt", "WEBVTT\n\n00:05.000 --> 00:02.000\nHi.\n")

    with pytest.raises(ReadError, match="line 3 has a cue that ends before it starts"):
        read_call_file(path)


def test_a_block_without_a_timing_line_names_its_line(write_file):
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n\nstray words\nmore\n"
    path = write_file("stray.vtt", text)

    with pytest.raises(ReadError, match="line 6 starts a cue with no timing line"):
        read_call_file(path)
