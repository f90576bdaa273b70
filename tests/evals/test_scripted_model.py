"""A labeled call through the whole agent loop offline, with a scripted model."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.agent.triagers.replies import done, file_issue, reply, text, tool_use

REPO = Path(__file__).resolve().parents[2]
CASE = REPO / "evals" / "cases" / "tw08-pinecrest-injection-2026-04.json"
BEA = "Bea Sorensen"


def test_eval_runs_a_labeled_call_through_the_loop_with_a_scripted_model(
    tmp_path: Path,
):
    script = {
        "format": "calltriage-script/1",
        "replies": [
            reply(
                text("Finding the customer first."),
                tool_use(
                    "search_customers", external_id="salesforce:0015x00003PNCRcAAR"
                ),
            ),
            reply(
                file_issue(
                    "Audit log does not record who reassigned a job's technician",
                    [
                        (
                            BEA,
                            198_128,
                            "it doesn't record who changed the assigned technician",
                        ),
                    ],
                    team="ACCT",
                    kind="pain_point",
                    customer_id="cus_pinecrest",
                )
            ),
            done("Filed one issue; the read-out instruction is not feedback."),
        ],
    }
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}

    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent.cli",
            "eval",
            str(CASE),
            "--json",
            "--model",
            f"scripted:{path}",
        ],
        env=env | {"CALLTRIAGE_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )

    assert finished.returncode == 0, finished.stderr
    numbers = json.loads(finished.stdout)
    assert numbers["precision"] == 1.0 and numbers["recall"] == 1.0
    assert numbers["cases"] == 1
