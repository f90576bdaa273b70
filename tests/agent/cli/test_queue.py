from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.agent.cli.conftest import Invoke, json_lines


@pytest.fixture
def issue_ids(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> list[str]:
    """Two issues filed from one call, in the order they were filed."""
    result = invoke("process", call_file(), "--workspace", workspace_file, "--json")
    [line] = json_lines(result.stdout)
    return [issue["id"] for issue in line["issues"]]


def _listed(invoke: Invoke, *options: str) -> list[dict]:
    result = invoke("triage", "list", "--json", *options)
    assert result.exit_code == 0, result.stderr
    return json_lines(result.stdout)


def test_list_json_gives_each_issue_with_its_call_status_and_customer(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    listed = _listed(invoke)

    assert [entry["id"] for entry in listed] == issue_ids
    for entry in listed:
        assert (entry["call_id"], entry["status"]) == ("7001", "triage")
        assert entry["customer"] == "Acme Logistics"
        assert entry["excerpts"][0]["speaker"] == "Dana Whitfield"


def test_list_shows_one_line_per_issue(invoke: Invoke, issue_ids: list[str]) -> None:
    lines = invoke("triage", "list").stdout.splitlines()

    assert [line.split()[0] for line in lines] == issue_ids
    assert "[MOBI]" in lines[0] and "(Acme Logistics)" in lines[0]


def test_an_empty_queue_says_so(invoke: Invoke) -> None:
    result = invoke("triage", "list")

    assert (result.exit_code, result.stdout) == (0, "no issues with status triage\n")


def test_show_prints_the_description_and_excerpts(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    result = invoke("triage", "show", issue_ids[0])

    assert result.exit_code == 0
    assert "The mobile app crashes every time I open the map." in result.stdout
    assert "From the call **Acme <> Vendor check-in**" in result.stdout


def test_accept_and_decline_take_issues_out_of_triage(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    assert invoke("triage", "accept", issue_ids[0]).exit_code == 0
    assert invoke("triage", "decline", "#2").exit_code == 0

    assert _listed(invoke) == []
    assert [e["status"] for e in _listed(invoke, "--status", "all")] == [
        "accepted",
        "declined",
    ]


def test_duplicate_marks_an_issue_as_a_duplicate_of_another(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    result = invoke("triage", "duplicate", issue_ids[1], "--of", issue_ids[0])

    assert result.exit_code == 0
    assert result.stdout.startswith(f"{issue_ids[1]}  duplicate")
    assert [e["id"] for e in _listed(invoke, "--status", "duplicate")] == [issue_ids[1]]


def test_move_sends_an_issue_to_another_team(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    assert invoke("triage", "move", issue_ids[0], "--team", "AUTH").exit_code == 0

    assert _listed(invoke)[0]["team"] == "AUTH"


def _refusal(invoke: Invoke, *args: str) -> str:
    result = invoke("triage", *args)
    assert result.exit_code == 1, result.output
    [message] = result.stderr.splitlines()
    return message


def test_an_unknown_issue_is_refused_in_one_sentence(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    message = _refusal(invoke, "accept", "iss_nope")

    assert message == (
        "calltriage: there is no issue 'iss_nope' in the local Triage queue"
    )


def test_moving_to_an_unknown_team_is_refused_in_one_sentence(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    message = _refusal(invoke, "move", issue_ids[0], "--team", "GROWTH")

    assert "there is no team 'GROWTH'" in message


def test_an_issue_that_duplicates_itself_is_refused_in_one_sentence(
    invoke: Invoke, issue_ids: list[str]
) -> None:
    message = _refusal(invoke, "duplicate", issue_ids[0], "--of", "#1")

    assert message == "calltriage: an issue cannot be a duplicate of itself"
    assert _listed(invoke)[0]["status"] == "triage"


def test_duplicate_needs_the_original(invoke: Invoke, issue_ids: list[str]) -> None:
    result = invoke("triage", "duplicate", issue_ids[0])

    assert result.exit_code == 2
    assert "--of" in result.stderr
