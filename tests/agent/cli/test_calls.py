from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.agent.cli.conftest import Invoke, json_lines

KEYS = {"call_id", "source", "title", "status", "skip_reason", "issues", "error"}


def test_calls_json_lists_every_call_seen_with_what_became_of_it(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    triaged, private = call_file("7001"), call_file("7002", is_private=True)
    invoke("process", triaged, private, "--workspace", workspace_file)

    result = invoke("calls", "--json")

    assert result.exit_code == 0
    lines = json_lines(result.stdout)
    assert [line.keys() >= KEYS for line in lines] == [True, True]
    by_id = {line["call_id"]: line for line in lines}
    assert {key: by_id["7001"][key] for key in KEYS} | {"source": None} == {
        "call_id": "7001",
        "source": None,
        "title": "Acme <> Vendor check-in",
        "status": "triaged",
        "skip_reason": None,
        "issues": 2,
        "error": None,
    }
    assert by_id["7001"]["source"] == str(triaged)
    assert (by_id["7002"]["status"], by_id["7002"]["skip_reason"]) == (
        "skipped",
        "private",
    )
    assert by_id["7002"]["issues"] == 0


def test_calls_shows_one_line_per_call(
    invoke: Invoke, workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    invoke("process", call_file(duration_s=120), "--workspace", workspace_file)

    [line] = invoke("calls").stdout.splitlines()

    assert line.startswith("7001  skipped (too_short)  0 issue(s)")


def test_calls_on_an_unusable_database_is_a_config_error(invoke: Invoke) -> None:
    result = invoke("--database-url", "nosuchdb://x/y", "calls")

    assert result.exit_code == 2
    assert result.stderr.startswith("calltriage: cannot open the database")
