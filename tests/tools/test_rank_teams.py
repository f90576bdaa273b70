"""Ranking teams by their descriptions and the admins' routing guidance."""

from __future__ import annotations

from agent.workspace import Workspace
from tools.routing import rank_teams

TEAMS = [
    {
        "key": "DASH",
        "name": "Dashboards",
        "description": "Charts, filters, alert rules",
    },
    {"key": "MOB", "name": "Mobile", "description": "iOS and Android apps"},
    {"key": "API", "name": "API", "description": "REST API and outgoing webhooks"},
    {"key": "ACCT", "name": "Accounts", "description": "Login, roles, audit log"},
    {"key": "INT", "name": "Integrations", "description": "Connectors and sync"},
]


def first(text: str, guidance: str = "") -> str:
    space = Workspace.model_validate(
        {"teams": TEAMS, "default_team": "DASH", "guidance": guidance}
    )
    return rank_teams(text, space)[0].team.key


def test_the_description_that_shares_the_words_wins() -> None:
    assert first("the android app closes when I rotate the tablet") == "MOB"


def test_a_word_said_again_counts_more() -> None:
    text = "the webhook failed, the webhook retried, the chart was fine"

    assert first(text) == "API"


def test_nothing_in_common_keeps_the_default_team_first() -> None:
    assert first("we had a lovely offsite in the mountains") == "DASH"


def test_guidance_beats_the_surface_words() -> None:
    guidance = (
        "Webhooks and anything a developer builds against go to API, "
        "even when an alert is what triggers them."
    )
    text = "when the alert fires on the chart we want a webhook with the alert value"

    assert first(text) == "DASH"
    assert first(text, guidance) == "API"


def test_guidance_including_a_case_claims_it_from_another_team() -> None:
    guidance = "Webhooks are API, including webhooks fired by sync events."
    text = "the webhooks fired by sync events are lost during a sync"

    assert first(text, guidance) == "API"


def test_a_clause_naming_no_team_lends_its_words_to_the_next() -> None:
    guidance = (
        "Notification problems go to MOB unless they are about the audit log, "
        "which belongs to ACCT."
    )

    assert first("notifications about the audit log are missing", guidance) == "ACCT"


def test_a_team_the_guidance_rules_out_is_not_chosen_for_those_words() -> None:
    guidance = "Exports of reports are DASH, not API."
    space = Workspace.model_validate(
        {"teams": TEAMS, "default_team": "MOB", "guidance": guidance}
    )

    ranked = rank_teams("exports of reports time out", space)

    assert ranked[0].team.key == "DASH"
    api = next(score for score in ranked if score.team.key == "API")
    assert not any(reason.startswith("guidance") for reason in api.reasons)


def test_guidance_about_a_kind_of_problem_cuts_across_features() -> None:
    guidance = "Accessibility issues go to ACCT."
    text = "my screen reader only says button on every chart filter on the dashboard"

    assert first(text) == "DASH"
    assert first(text, guidance) == "ACCT"


def test_a_rule_needs_more_than_one_shared_everyday_word() -> None:
    guidance = "Push notifications to technicians on iOS go to MOB."
    text = "the android technicians want a new chart filter on the dashboard"

    assert first(text, guidance) == "DASH"


def test_the_reasons_say_which_words_and_rules_matched() -> None:
    space = Workspace.model_validate(
        {"teams": TEAMS, "guidance": "Webhook retries are API."}
    )

    top = rank_teams("webhook retries never happen", space)[0]

    assert top.team.key == "API"
    assert top.reasons == ("description: webhook", "guidance: Webhook retries are API.")
