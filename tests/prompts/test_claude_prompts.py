"""The Claude triager's prompts for a sample call, compared with stored snapshots.

Set CALLTRIAGE_UPDATE_SNAPSHOTS=1 to write the snapshots anew after a deliberate
change to a template, then review the difference before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from agent.triagers.prompt_views import (
    call_prompt,
    mentioned_teams,
    prompt_version,
    system_prompt,
)
from agent.triagers.transcript_view import plan_windows, turn_views
from agent.workspace import Team, Workspace
from tests.agent.triagers.sample import sample_call, sample_workspace

SNAPSHOTS = Path(__file__).parent / "snapshots"


def matches_snapshot(name: str, rendered: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CALLTRIAGE_UPDATE_SNAPSHOTS") == "1":
        path.write_text(rendered, encoding="utf-8")
    if not path.exists():
        pytest.fail(f"no snapshot {path}; run with CALLTRIAGE_UPDATE_SNAPSHOTS=1")
    assert rendered == path.read_text(encoding="utf-8")


def test_the_system_prompt_for_the_sample_workspace_matches_its_snapshot():
    matches_snapshot("system.md", system_prompt(sample_workspace(), max_issues=12))


def test_the_call_prompt_for_the_sample_call_matches_its_snapshot():
    call, workspace = sample_call(), sample_workspace()
    [window] = plan_windows(turn_views(call, workspace), 100_000, 10_000)

    matches_snapshot("call.md", call_prompt(call, workspace, window))


def test_a_later_window_names_the_customer_and_the_issues_already_filed(
    filed_issue, acme
):
    call, workspace = sample_call(), sample_workspace()
    windows = plan_windows(turn_views(call, workspace), 300, 100)

    rendered = call_prompt(call, workspace, windows[1], acme, [filed_issue])

    assert f"part 2 of {len(windows)}" in rendered
    assert "Already identified as Acme Corp (`customer_id` cus_acme)" in rendered
    assert "- CSV export times out (`DASH`; quotes at [01:05])" in rendered


def test_the_prompt_version_is_a_hash_of_the_templates():
    assert len(prompt_version()) == 12
    assert prompt_version() == prompt_version()


def test_teams_mentioned_in_the_guidance_by_key_name_or_mention_are_found():
    workspace = Workspace(
        teams=[
            Team(key="MOB", name="Mobile"),
            Team(key="API", name="Public API"),
            Team(key="WEB", name="Web app"),
            Team(key="DASH", name="Dashboards"),
        ],
        guidance="Phone crashes go to @MOB. Anything about the public api is yours, "
        "dashboards people; APIs of partners are not.",
    )

    assert [team.key for team in mentioned_teams(workspace)] == ["MOB", "API", "DASH"]
