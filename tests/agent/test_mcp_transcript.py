from __future__ import annotations

from agent.calls import Affiliation, Call, Party, Sentence
from agent.mcp.transcript import render_transcript, transcript_page


def make_call(texts: list[str], speakers: list[str] | None = None) -> Call:
    speakers = speakers or ["a" if n % 2 else "b" for n in range(len(texts))]
    sentences = [
        Sentence(
            speaker_id=speaker, start_ms=n * 10_000, end_ms=n * 10_000 + 9_000, text=t
        )
        for n, (speaker, t) in enumerate(zip(speakers, texts, strict=True))
    ]
    parties = [
        Party(speaker_id="a", name="Dana Whitfield", affiliation=Affiliation.EXTERNAL),
        Party(speaker_id="b", name="Jordan Avery", affiliation=Affiliation.INTERNAL),
    ]
    return Call(call_id="c1", source="test", parties=parties, sentences=sentences)


def all_pages(call: Call, budget: int) -> list[str]:
    pages, start = [], 0
    while True:
        page = transcript_page(call, start, budget)
        pages.append(page.text)
        if page.next_cursor is None:
            return pages
        start = int(page.next_cursor)


def test_each_turn_shows_the_speaker_affiliation_and_every_sentence_time() -> None:
    call = make_call(
        ["Hello there.", "We need exports.", "Every Monday."], ["b", "a", "a"]
    )
    assert render_transcript(call) == (
        "Jordan Avery (Internal)\n[00:00] Hello there.\n\n"
        "Dana Whitfield (External)\n[00:10] We need exports.\n[00:20] Every Monday."
    )


def test_a_speaker_without_a_name_reads_as_unknown() -> None:
    call = make_call(["Who is this speaking?"], ["z"])
    assert render_transcript(call).startswith("Unknown speaker (Unknown)\n[00:00]")


def test_pages_stay_within_the_budget_and_hold_every_sentence_once() -> None:
    texts = [
        f"Sentence {n} says something about the schedule board." for n in range(60)
    ]
    pages = all_pages(make_call(texts), budget=500)
    lines = [line for page in pages for line in page.splitlines() if line[:1] == "["]
    assert len(pages) > 5
    assert all(len(page) <= 500 for page in pages)
    assert [line.split("] ", 1)[1] for line in lines] == texts


def test_a_sentence_longer_than_the_budget_gets_a_page_of_its_own() -> None:
    texts = ["Short one.", "word " * 300, "Short two."]
    pages = all_pages(make_call(texts), budget=200)
    assert len(pages) == 3
    assert "word word" in pages[1]


def test_a_turn_cut_by_a_page_break_repeats_its_speaker() -> None:
    texts = [f"Dana keeps talking, point {n} of twenty." for n in range(20)]
    pages = all_pages(make_call(texts, ["a"] * 20), budget=300)
    assert len(pages) > 1
    assert all(page.startswith("Dana Whitfield (External)\n") for page in pages)


def test_an_empty_transcript_is_one_empty_page() -> None:
    page = transcript_page(make_call([]), 0, 1000)
    assert (page.text, page.next_cursor) == ("", None)
