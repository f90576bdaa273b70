"""Titles, summaries and motivations drafted from the customer's own words."""

from __future__ import annotations

import pytest

from agent.calls import Sentence
from agent.triagers.drafting import draft_motivation, draft_summary, draft_title
from agent.triagers.findings import Finding
from agent.triagers.scoring import Point, sentence_cues
from agent.triagers.transcript import Turn


def finding_of(*texts: str, context: tuple[str, ...] = ()) -> Finding:
    """A finding whose points are `texts`, said one after another by one speaker."""
    sentences = [
        Sentence(speaker_id="kim", start_ms=at * 4000, end_ms=at * 4000 + 3000, text=t)
        for at, t in enumerate(texts)
    ]
    turn = Turn(0, "kim", True, tuple(sentences))
    points = []
    for sentence in sentences:
        kind, score = sentence_cues(sentence.text)
        points.append(Point(turn, sentence, kind or "pain_point", score))
    around = [
        Sentence(speaker_id="kim", start_ms=90_000 + at, end_ms=91_000 + at, text=t)
        for at, t in enumerate(context)
    ]
    return Finding(points, context=sorted(around + sentences, key=lambda s: s.start_ms))


@pytest.mark.parametrize(
    ("said", "title"),
    [
        (
            "So, um, honestly, what we really want is one schedule per recipient.",
            "One schedule per recipient",
        ),
        (
            "I'd love for deprovisioning to hand ownership to someone.",
            "Deprovisioning should hand ownership to someone",
        ),
        (
            "Because there's no way to take a card in the technician app.",
            "Add a way to take a card in the technician app",
        ),
        (
            "When they turn the tablet sideways on the map dashboard, the app closes.",
            "The app closes when they turn the tablet sideways on the map dashboard",
        ),
        (
            "Yeah, so the sync just errors out and says the schema doesn't exist.",
            "The sync just errors out and says the schema doesn't exist",
        ),
    ],
)
def test_a_title_is_the_customers_point_without_filler(said: str, title: str) -> None:
    assert draft_title(finding_of(said)) == title


def test_a_title_has_no_kind_prefix_and_fits_the_tool() -> None:
    long = (
        "We would love a way to export every chart on every dashboard we own into "
        "one workbook with the filters each person set, every Monday, for the board."
    )

    title = draft_title(finding_of(long))

    assert not title.lower().startswith(("request", "bug", "pain"))
    assert 8 <= len(title) <= 100


def test_a_pain_point_with_an_ask_is_titled_by_the_ask() -> None:
    finding = finding_of(
        "I do it by hand every Monday and it takes me an hour.",
        "What I want is for the Okta group to decide the role.",
    )

    assert draft_title(finding) == "The Okta group should decide the role"


def test_the_summary_names_the_speaker_and_quotes_the_other_point() -> None:
    finding = finding_of(
        "The sync keeps failing on the large dashboards.",
        "It errors out every night around two in the morning.",
    )

    summary = draft_summary(finding, "Kim Ortega")

    assert summary.startswith("Kim Ortega reports this: the sync keeps failing")
    assert summary.count(".") <= 3


def test_the_motivation_is_the_customers_reason() -> None:
    finding = finding_of(
        "We would love a way to export every chart to CSV in one click.",
        context=(
            "The board meets on Monday.",
            "It matters because my CFO checks every number before the board sees it.",
        ),
    )

    assert draft_motivation(finding).startswith("It matters because my CFO")


def test_there_is_no_motivation_when_the_customer_gave_none() -> None:
    finding = finding_of("We would love a way to export every chart to CSV.")

    assert draft_motivation(finding) == ""
