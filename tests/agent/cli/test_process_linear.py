"""`calltriage process --tracker linear` against a fake Linear on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.bundles import write_bundle, write_workspace
from tests.fakes.linear_server import API_KEY, FakeLinear


def _process(
    folder: Path, fake: FakeLinear, *extra: str
) -> subprocess.CompletedProcess:
    env = os.environ | {
        "LINEAR_API_KEY": API_KEY,
        "LINEAR_API_URL": fake.url,
        "CALLTRIAGE_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
    }
    command = [sys.executable, "-m", "agent.cli", "process", str(folder / "call.json")]
    command += ["--workspace", str(folder / "workspace.json"), "--tracker", "linear"]
    return subprocess.run(
        [*command, *extra], env=env, capture_output=True, text=True, check=False
    )


def test_a_call_is_filed_into_linear_triage_with_its_moment_and_customer_request(
    tmp_path: Path,
) -> None:
    write_bundle(tmp_path)
    write_workspace(tmp_path)
    with FakeLinear().running() as fake:
        team = fake.state.add_team("SCHED", "Scheduling")
        fake.state.add_team("BILL", "Billing")
        acme = fake.state.add_customer("Acme", ["acme.example"])

        first = _process(tmp_path, fake, "--json")
        second = _process(tmp_path, fake, "--json")

        assert first.returncode == 0, first.stderr
        result = json.loads(first.stdout)
        assert [issue["team"] for issue in result["issues"]] == ["SCHED"]
        issue = next(iter(fake.state.issues.values()))
        assert team.state(issue.state_id).type == "triage"
        [attachment] = fake.state.attachments_of(issue.id)
        assert "highlights=" in attachment.url and "id=7001" in attachment.url
        [need] = fake.state.needs
        assert (need.issue_id, need.customer_id) == (issue.id, acme.id)
        assert "export the schedule to a spreadsheet" in need.body

        assert second.returncode == 0, second.stderr
        again = json.loads(second.stdout)
        assert again["new_issues"] == 0
        assert [i["id"] for i in again["issues"]] == [issue.id]
        assert len(fake.state.issues) == 1
        assert len(fake.state.needs) == 1
        assert len(fake.state.customers) == 1


def test_a_rejected_linear_key_stops_with_one_sentence(tmp_path: Path) -> None:
    write_bundle(tmp_path)
    write_workspace(tmp_path)
    with FakeLinear(api_key="lin_api_other").running() as fake:
        fake.state.add_team("SCHED", "Scheduling")
        done = _process(tmp_path, fake)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "Linear rejected the API key" in done.stderr
