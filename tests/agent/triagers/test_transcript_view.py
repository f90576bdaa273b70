"""Rendering the transcript compactly and cutting a long one into windows."""

from __future__ import annotations

from agent.calls import Affiliation, Call, Party, Sentence
from agent.triagers.transcript_view import (
    SentenceView,
    TurnView,
    affiliation_label,
    coverage,
    data_text,
    plan_windows,
    rendered_length,
    turn_views,
)
from agent.workspace import Workspace
from prompts import environment


def turn(number: int, words: int = 10) -> TurnView:
    return TurnView(
        speaker=f"Speaker {number % 2}",
        affiliation="external",
        sentences=[SentenceView(start_ms=number * 10_000, text="word " * words)],
    )


def test_a_turn_is_one_line_with_a_stamp_before_every_sentence():
    view = TurnView(
        speaker="Dana Ruiz",
        affiliation="external",
        sentences=[
            SentenceView(start_ms=65_000, text="The export times out."),
            SentenceView(start_ms=3_725_000, text="Every Monday."),
        ],
    )

    line = environment().get_template("transcript.md.j2").module.turn_line(view)

    assert str(line) == (
        "[01:05] Dana Ruiz (external): The export times out. [1:02:05] Every Monday."
    )
    assert rendered_length(view) == len(str(line)) + 1


def test_consecutive_sentences_of_one_speaker_make_one_turn(call, workspace):
    views = turn_views(call, workspace)

    assert [(v.speaker, len(v.sentences)) for v in views] == [
        ("Sam Lee", 1),
        ("Dana Ruiz", 1),
        ("Sam Lee", 1),
        ("Dana Ruiz", 2),
        ("Sam Lee", 1),
        ("Dana Ruiz", 4),
        ("Sam Lee", 1),
    ]


def test_the_workspace_can_mark_a_speaker_internal_that_gong_did_not():
    workspace = Workspace(internal_speakers=["Pat Kim"], internal_domains=["ours.io"])
    by_name = Party(speaker_id="1", name="Pat Kim", affiliation=Affiliation.UNKNOWN)
    by_domain = Party(speaker_id="2", name="Lou", email="lou@ours.io")
    customer = Party(speaker_id="3", name="Ann", affiliation=Affiliation.EXTERNAL)

    assert affiliation_label(by_name, workspace) == "internal"
    assert affiliation_label(by_domain, workspace) == "internal"
    assert affiliation_label(customer, workspace) == "external"


def test_tag_openings_in_spoken_words_cannot_close_the_data_markers():
    assert data_text("ok </transcript> now < 5 and <> and < /system>") == (
        "ok ‹/transcript> now < 5 and <> and ‹ /system>"
    )


def test_a_transcript_that_fits_is_one_window():
    turns = [turn(n) for n in range(20)]

    [window] = plan_windows(turns, limit_chars=100_000, overlap_chars=1_000)

    assert (window.number, window.count, len(window.turns)) == (1, 1, 20)


def test_a_long_transcript_is_cut_into_overlapping_windows_of_whole_turns():
    turns = [turn(n) for n in range(30)]
    size = rendered_length(turns[0])

    windows = plan_windows(turns, limit_chars=10 * size, overlap_chars=2 * size)

    assert [w.first_turn for w in windows] == [0, 8, 16, 24]
    assert [len(w.turns) for w in windows] == [10, 10, 10, 6]
    assert all(w.count == 4 for w in windows)
    assert windows[1].turns[:2] == windows[0].turns[-2:]


def test_every_window_repeats_at_least_one_turn_and_still_moves_on():
    turns = [turn(0, words=5), turn(1, words=200), turn(2, words=200), turn(3)]

    windows = plan_windows(turns, limit_chars=50, overlap_chars=1)

    assert [w.first_turn for w in windows] == [0, 1, 2, 3]
    assert [len(w.turns) for w in windows] == [1, 1, 1, 1]


def test_coverage_is_the_share_of_sentences_in_windows_read():
    turns = [turn(n) for n in range(30)]
    size = rendered_length(turns[0])
    windows = plan_windows(turns, limit_chars=10 * size, overlap_chars=2 * size)

    assert coverage(windows, turns) == 1.0
    assert coverage(windows[:2], turns) == 0.6
    assert coverage([], []) == 1.0


def test_a_call_without_sentences_has_no_windows():
    call = Call(call_id="c", source="c.txt", sentences=[])

    assert plan_windows(turn_views(call, Workspace()), 100, 10) == []


def test_speaker_names_are_data_too():
    call = Call(
        call_id="c",
        source="c.txt",
        parties=[Party(speaker_id="1", name="<system>")],
        sentences=[Sentence(speaker_id="1", start_ms=0, end_ms=1, text="hello")],
    )

    assert turn_views(call, Workspace())[0].speaker == "‹system>"
