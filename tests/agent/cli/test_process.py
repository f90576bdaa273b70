from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agent.claims import Claims
from agent.readers import read_call_file
from tests import builders
from tests.agent.cli.conftest import Invoke, json_lines
from tools.store.db import Store

CALL_KEYS = {"call_id", "source", "eligible", "skip_reason", "customer", "issues"}
ISSUE_KEYS = {"id", "team", "title", "summary", "motivation", "description"}
EXCERPT_KEYS = {"speaker", "affiliation", "start_ms", "end_ms", "text", "link"}


def _process(invoke: Invoke, workspace: Path, *paths: Path | str):
    return invoke("process", *paths, "--workspace", workspace, "--json")


def test_processing_good_files_exits_0_with_one_json_line_per_call(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    result = _process(invoke, workspace_file, call_file("7001"), call_file("7002"))

    assert result.exit_code == 0, result.stderr
    lines = json_lines(result.stdout)
    assert [line["call_id"] for line in lines] == ["7001", "7002"]
    for line in lines:
        assert line.keys() >= CALL_KEYS
        assert line["eligible"] is True and line["skip_reason"] is None
        assert line["customer"].keys() == {"id", "name", "created"}


def test_json_issues_carry_their_excerpts(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    [line] = json_lines(_process(invoke, workspace_file, call_file()).stdout)

    assert [issue["team"] for issue in line["issues"]] == ["MOBI", "DATA"]
    for issue in line["issues"]:
        assert issue.keys() >= ISSUE_KEYS
        [excerpt] = issue["excerpts"]
        assert excerpt.keys() == EXCERPT_KEYS
        assert (excerpt["speaker"], excerpt["affiliation"]) == (
            "Dana Whitfield",
            "External",
        )
    assert line["issues"][0]["excerpts"][0]["start_ms"] == 60_000


def test_the_customer_is_created_once_and_found_the_next_time(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    first = json_lines(_process(invoke, workspace_file, call_file("7001")).stdout)
    second = json_lines(_process(invoke, workspace_file, call_file("7002")).stdout)

    assert first[0]["customer"]["created"] is True
    assert second[0]["customer"] == first[0]["customer"] | {"created": False}


def test_the_offline_notice_goes_to_stderr(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    result = _process(invoke, workspace_file, call_file())

    assert "offline rules triager" in result.stderr
    assert "offline rules triager" not in result.stdout
    assert len(json_lines(result.stdout)) == 1


def test_a_skipped_call_is_not_eligible_and_says_why(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    result = _process(invoke, workspace_file, call_file(duration_s=300))

    [line] = json_lines(result.stdout)
    assert (line["eligible"], line["skip_reason"], line["issues"]) == (
        False,
        "too_short",
        [],
    )


def test_processing_a_file_again_files_nothing_new(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    path = call_file()
    [first] = json_lines(_process(invoke, workspace_file, path).stdout)

    [second] = json_lines(_process(invoke, workspace_file, path).stdout)

    assert [i["id"] for i in second["issues"]] == [i["id"] for i in first["issues"]]
    assert second["status"] == "already_done" and second["new_issues"] == 0


def test_a_missing_file_among_good_ones_exits_1_and_is_named(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path], tmp_path
) -> None:
    missing = tmp_path / "nowhere.json"

    result = _process(invoke, workspace_file, call_file("7001"), missing)

    assert result.exit_code == 1
    assert [line["call_id"] for line in json_lines(result.stdout)] == ["7001"]
    [message] = result.stderr.splitlines()[1:]
    assert str(missing) in message and "Traceback" not in result.stderr


def test_a_malformed_file_among_good_ones_exits_1_and_is_named(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path], tmp_path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"call": {"metaData": ')

    result = _process(invoke, workspace_file, broken, call_file("7001"))

    assert result.exit_code == 1
    assert [line["call_id"] for line in json_lines(result.stdout)] == ["7001"]
    [message] = result.stderr.splitlines()[1:]
    assert str(broken) in message and "Traceback" not in result.stderr


def test_process_without_paths_is_a_usage_error(invoke: Invoke) -> None:
    result = invoke("process")

    assert result.exit_code == 2
    assert "Missing argument" in result.stderr


def test_an_unknown_option_is_a_usage_error(invoke: Invoke, call_file) -> None:
    result = invoke("process", call_file(), "--colour")

    assert result.exit_code == 2
    assert "No such option '--colour'" in result.stderr


def _config_error(invoke: Invoke, *args: str | Path) -> str:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [message] = result.stderr.splitlines()
    assert message.startswith("calltriage: ")
    return message


def test_a_workspace_that_is_neither_json_nor_toml_is_a_config_error(
    invoke: Invoke, call_file: Callable[..., Path], tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace.yaml"
    workspace.write_text("teams:\n  - key: DATA\n")

    message = _config_error(invoke, "process", call_file(), "--workspace", workspace)

    assert str(workspace) in message and "not valid JSON or TOML" in message


def test_a_default_team_that_is_no_team_is_a_config_error(
    invoke: Invoke, call_file: Callable[..., Path], tmp_path: Path
) -> None:
    workspace = tmp_path / "workspace.toml"
    workspace.write_text(
        'default_team = "GROWTH"\n[[teams]]\nkey = "DATA"\nname = "D"\n'
    )

    message = _config_error(invoke, "process", call_file(), "--workspace", workspace)

    assert str(workspace) in message and "'GROWTH' is not one of the teams" in message


def test_an_unusable_database_url_is_a_config_error(
    invoke: Invoke, call_file: Callable[..., Path]
) -> None:
    message = _config_error(
        invoke, "--database-url", "nosuchdb://host/x", "process", call_file()
    )

    assert "nosuchdb://host/x" in message


def test_a_database_url_from_the_environment_is_used(
    invoke: Invoke, call_file: Callable[..., Path], monkeypatch
) -> None:
    monkeypatch.setenv("CALLTRIAGE_DATABASE_URL", "not a url")

    message = _config_error(invoke, "process", call_file())

    assert "'not a url' is not a database URL" in message


def test_processing_without_any_teams_is_a_config_error_that_consumes_no_call(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    path = call_file()

    message = _config_error(invoke, "process", path)
    later = invoke("process", path, "--workspace", workspace_file, "--json")

    assert "no teams" in message and "--workspace" in message
    [line] = json_lines(later.stdout)
    assert line["status"] == "triaged" and line["new_issues"] == 2


def test_a_setting_that_cannot_be_read_is_named_in_the_error(
    invoke: Invoke, monkeypatch
) -> None:
    monkeypatch.setenv("CALLTRIAGE_MAX_ISSUES_PER_CALL", "many")

    message = _config_error(invoke, "calls")

    assert "CALLTRIAGE_MAX_ISSUES_PER_CALL" in message


def test_a_call_a_worker_holds_is_reported_in_progress_elsewhere(
    invoke: Invoke,
    workspace_file: Path,
    call_file: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    monkeypatch.setenv("CALLTRIAGE_DATABASE_URL", url)
    path = call_file()
    claims = Claims(Store.open(url), "worker-a")
    claims.enqueue(read_call_file(path, builders.workspace())[0])
    claims.claim(1)

    [as_json] = json_lines(_process(invoke, workspace_file, path).stdout)
    shown = invoke("process", path, "--workspace", workspace_file)

    assert (as_json["status"], as_json["new_issues"]) == ("in_progress", 0)
    assert shown.exit_code == 0
    assert "in progress elsewhere" in shown.stdout
