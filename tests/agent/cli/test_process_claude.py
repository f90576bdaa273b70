"""`calltriage process` with Claude: the real SDK against a fake Messages API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import select

from agent.settings import DEFAULT_MODEL
from agent.triagers.scripted import Script
from tests.agent.triagers.replies import done, file_issue, overloaded, reply, tool_use
from tests.bundles import write_bundle, write_workspace
from tests.fakes.anthropic_server import API_KEY, FakeAnthropic, presented_key
from tools.store.db import Store
from tools.store.tables import RunRow

CARL = "Carl Customer"
EXPORT = (CARL, 70_000, "I would really like to be able to export the schedule")
INVENTED = (CARL, 70_000, "The schedule export is completely broken")


def calltriage(
    folder: Path, fake: FakeAnthropic, *arguments: str, key: str = API_KEY
) -> subprocess.CompletedProcess:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CALLTRIAGE_", "ANTHROPIC_"))
    }
    env |= {
        "ANTHROPIC_API_KEY": key,
        "ANTHROPIC_BASE_URL": fake.url,
        "CALLTRIAGE_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
        "CALLTRIAGE_WORKSPACE": str(folder / "workspace.json"),
    }
    command = [sys.executable, "-m", "agent.cli", "process", *arguments]
    return subprocess.run(command, env=env, capture_output=True, text=True)


def runs(folder: Path) -> list[RunRow]:
    store = Store.open(f"sqlite:///{folder / 'store.db'}")
    with store.session() as session:
        return list(session.exec(select(RunRow)).all())


def test_process_runs_the_loop_end_to_end_through_the_sdk(tmp_path: Path):
    call_file = write_bundle(tmp_path)
    write_workspace(tmp_path)
    script = [
        reply(tool_use("search_customers", domain="acme.example")),
        reply(file_issue("Export the schedule board", [INVENTED], team="SCHED")),
        reply(file_issue("Export the schedule board", [EXPORT], team="SCHED")),
        done("Filed one issue."),
    ]

    with FakeAnthropic(script).running() as fake:
        done_process = calltriage(tmp_path, fake, str(call_file), "--json")

    assert done_process.returncode == 0, done_process.stderr
    assert "offline" not in done_process.stderr
    result = json.loads(done_process.stdout)
    assert (result["status"], result["outcome"]) == ("triaged", "filed")
    assert [issue["title"] for issue in result["issues"]] == [
        "Export the schedule board"
    ]
    assert result["customer"]["id"] == "cus_acme"

    assert all(presented_key(h) == API_KEY for h in fake.headers)
    assert fake.requests[0]["model"] == DEFAULT_MODEL
    found, refused, filed = fake.player.tool_results()
    assert (found["is_error"], refused["is_error"], filed["is_error"]) == (
        False,
        True,
        False,
    )
    assert "does not occur in the transcript" in refused["content"]

    [run] = runs(tmp_path)
    assert (run.triager, run.model, run.outcome) == ("claude", DEFAULT_MODEL, "filed")
    assert run.tokens_in > 0 and run.tokens_out > 0 and run.cost_usd > 0
    assert run.model_calls == 4 and len(run.tool_calls) == 3


def test_a_rejected_key_stops_the_command_with_one_sentence(tmp_path: Path):
    call_file = write_bundle(tmp_path)
    write_workspace(tmp_path)

    with FakeAnthropic([done()]).running() as fake:
        finished = calltriage(tmp_path, fake, str(call_file), key="sk-ant-wrong")
        url = fake.url

    assert finished.returncode == 2
    assert finished.stderr == (
        f"calltriage: the Claude API at {url} rejected the API key "
        "(401 authentication_error); check ANTHROPIC_API_KEY\n"
    )
    assert runs(tmp_path) == []


def test_a_call_that_keeps_failing_is_marked_failed_and_the_others_go_on(
    tmp_path: Path,
):
    write_bundle(tmp_path, name="a.json", call_id="7001")
    write_bundle(tmp_path, name="b.json", call_id="7002")
    write_workspace(tmp_path)
    script = {"calls": {"7001": [overloaded()] * 3, "7002": [done("Nothing here.")]}}

    with FakeAnthropic(Script.model_validate(script)).running() as fake:
        finished = calltriage(
            tmp_path,
            fake,
            str(tmp_path / "a.json"),
            str(tmp_path / "b.json"),
            "--json",
        )

    assert finished.returncode == 1
    first, second = (json.loads(line) for line in finished.stdout.splitlines())
    assert (first["call_id"], first["status"]) == ("7001", "failed")
    assert first["error"].startswith("the Claude API answered 529 overloaded_error")
    assert (second["call_id"], second["status"]) == ("7002", "triaged")
    assert len(fake.requests) == 4
