"""The installed `calltriage` command, run as a person would run it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from agent.readers import read_call_file
from agent.workspace import load_workspace
from tools.grounding import locate

SCRIPT = shutil.which("calltriage", path=Path(sys.executable).parent) or shutil.which(
    "calltriage"
)


def calltriage(*args: str | Path) -> subprocess.CompletedProcess[str]:
    if SCRIPT is None:
        pytest.skip("the calltriage console script is not installed")
    return subprocess.run(
        [SCRIPT, *map(str, args)],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
        check=False,
    )


def _lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_the_console_script_processes_a_call_file(
    workspace_file: Path, call_file: Callable[..., Path]
) -> None:
    done = calltriage("process", call_file(), "--workspace", workspace_file, "--json")

    assert done.returncode == 0, done.stderr
    [line] = _lines(done.stdout)
    assert line["call_id"] == "7001" and len(line["issues"]) == 2
    assert "offline rules triager" in done.stderr


def test_the_console_script_exits_2_without_a_traceback_on_bad_config(
    call_file: Callable[..., Path],
) -> None:
    done = calltriage("--database-url", "nosuchdb://x/y", "process", call_file())

    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    [message] = done.stderr.splitlines()
    assert message.startswith("calltriage: cannot open the database nosuchdb://x/y")


@pytest.mark.parametrize("name", ["p2.json", "p2.vtt"])
def test_a_usability_session_files_grounded_participant_quotes_once(
    shared_dir: Path, name: str
) -> None:
    folder = shared_dir / "calls" / "va-health-avs"
    path, workspace = folder / name, folder / "workspace.json"
    [call] = read_call_file(path, load_workspace(workspace))

    first = calltriage("process", path, "--workspace", workspace, "--json")

    assert first.returncode == 0, first.stderr
    [filed] = _lines(first.stdout)
    assert filed["issues"], "the session holds feedback worth filing"
    for issue in filed["issues"]:
        for excerpt in issue["excerpts"]:
            found = locate(
                call, excerpt["text"], excerpt["speaker"], excerpt["start_ms"]
            )
            assert call.party(found.speaker_id).name.startswith("Participant")
            assert excerpt["affiliation"] != "Internal"

    listed = calltriage("triage", "list", "--json").stdout.splitlines()
    second = calltriage("process", path, "--workspace", workspace, "--json")

    [again] = _lines(second.stdout)
    assert [i["id"] for i in again["issues"]] == [i["id"] for i in filed["issues"]]
    assert again["new_issues"] == 0
    assert calltriage("triage", "list", "--json").stdout.splitlines() == listed
