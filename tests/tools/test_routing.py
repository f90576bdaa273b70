from __future__ import annotations

import pytest

from agent.workspace import Workspace
from tools.routing import rank_teams, symptom_kinds

VA_TEAMS = [
    {"key": "AVS", "name": "After-visit summary", "description": "The summary"},
    {"key": "APPT", "name": "Appointments", "description": "Scheduling, check-in"},
    {"key": "RX", "name": "Medications", "description": "Prescriptions, refills"},
    {
        "key": "WEB",
        "name": "Web platform",
        "description": "Login, navigation, accessibility, performance",
    },
]
VA_GUIDANCE = (
    "Accessibility problems go to WEB whatever page they are on. "
    "Anything about printing or downloading the summary belongs to AVS."
)


def _va(guidance: str = VA_GUIDANCE) -> Workspace:
    return Workspace(teams=VA_TEAMS, default_team="AVS", guidance=guidance)


def _first(text: str, workspace: Workspace) -> str:
    return rank_teams(text, workspace)[0].team.key


def test_guidance_sends_accessibility_to_web_whatever_page_it_is_on() -> None:
    text = "screen reader can't read the appointments page"

    assert _first(text, _va()) == "WEB"


def test_an_accessibility_problem_named_as_such_goes_to_web() -> None:
    assert _first("accessibility of the appointments page", _va()) == "WEB"


def test_guidance_sends_printing_the_summary_to_its_team() -> None:
    assert _first("cannot print the visit notes", _va()) == "AVS"


def test_without_guidance_the_page_named_decides() -> None:
    assert _first("the appointments page is confusing", _va("")) == "APPT"


@pytest.mark.parametrize(
    "guidance",
    [
        "Refill reminders go to APPT, not RX.",
        "Refill reminders do not go to RX; they belong to APPT.",
        "Refill reminders don't belong to RX. They are APPT work.",
        "Refill reminders are never RX work.",
    ],
)
def test_a_team_the_guidance_says_not_to_use_is_not_chosen(guidance: str) -> None:
    ranked = rank_teams("refill reminders arrive late", _va(guidance))
    rx = next(score for score in ranked if score.team.key == "RX")

    assert not any(reason.startswith("guidance") for reason in rx.reasons)


def test_guidance_that_excludes_a_team_still_sends_work_to_the_other() -> None:
    guidance = "Refill reminders go to APPT, not RX."

    assert _first("refill reminders arrive late", _va(guidance)) == "APPT"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("my screen reader skips the table", {"accessibility"}),
        ("I can't sign in since the update", {"login"}),
        ("the page is so slow", {"performance"}),
        ("the slowest part is reading it", set()),
        ("we met on Zoom to talk it through", set()),
    ],
)
def test_a_symptom_lends_its_kind_of_problem_to_the_text(
    text: str, kinds: set[str]
) -> None:
    assert symptom_kinds(text) == kinds
