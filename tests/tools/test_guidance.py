"""Reading the admins' routing guidance into rules."""

from __future__ import annotations

from agent.workspace import Workspace
from tools.guidance import guidance_rules
from tools.vocabulary import terms

TEAMS = [
    {"key": "API", "name": "Public API"},
    {"key": "INT", "name": "Integrations"},
    {"key": "RPT", "name": "Reporting"},
    {"key": "PORT", "name": "Portal"},
    {"key": "MOBI", "name": "Technician App"},
]


def rules(guidance: str) -> list[tuple[str, set[str], set[str]]]:
    space = Workspace.model_validate({"teams": TEAMS, "guidance": guidance})
    return [(r.team, r.trigger, r.claimed) for r in guidance_rules(space)]


def test_each_sentence_sends_its_words_to_the_team_it_names() -> None:
    assert rules("Connectors go to INT. Webhook retries are API.") == [
        ("INT", terms("connectors"), set()),
        ("API", terms("webhook retries"), set()),
    ]


def test_a_widening_clause_claims_its_words_for_the_rule_before_it() -> None:
    found = rules("Webhooks and API keys are API, including webhooks fired by sync.")

    assert found == [
        ("API", terms("webhooks api keys"), terms("webhooks fired sync")),
    ]


def test_a_team_name_that_is_also_a_topic_stays_a_word_of_the_rule() -> None:
    (rule,) = rules("Requests about exporting or emailing reports are RPT.")

    assert rule[1] == terms("exporting emailing reports")


def test_a_clause_without_a_team_waits_for_the_next_that_names_one() -> None:
    found = rules(
        "Notification problems go to PORT unless they are push notifications "
        "to technicians, which belong to MOBI."
    )

    assert [team for team, _, _ in found] == ["PORT", "MOBI"]
    assert found[1][1] == terms("push notifications technicians")


def test_no_guidance_means_no_rules() -> None:
    assert rules("") == []
