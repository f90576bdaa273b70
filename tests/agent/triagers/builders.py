"""Small hand-made calls, and running the offline triager over them.

A call is written as lines of (speaker, second, text): "rep" is Dana Reyes of
the vendor (internal), "kim" is Kim Ortega of the customer (external, at
harbor.example) unless a test gives other parties. Each sentence lasts three
seconds.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from agent.calls import Affiliation, Call, CrmAccount, Party, Sentence
from agent.triagers.offline import OfflineTriager
from agent.workspace import Workspace
from tools.context import ToolContext
from tools.store.db import Store
from tools.trackers.base import IssueRecord
from tools.trackers.local import LocalTracker

REP = Party(
    speaker_id="rep",
    name="Dana Reyes",
    email="dana@vendor.example",
    affiliation=Affiliation.INTERNAL,
)
KIM = Party(
    speaker_id="kim",
    name="Kim Ortega",
    email="kim@harbor.example",
    affiliation=Affiliation.EXTERNAL,
)
TEAMS = [
    {"key": "DASH", "name": "Dashboards", "description": "Charts, filters, exports"},
    {"key": "MOB", "name": "Mobile", "description": "iOS and Android apps"},
    {"key": "API", "name": "API", "description": "REST API and webhooks"},
]

Line = tuple[str, int, str]


def workspace(**changes: object) -> Workspace:
    return Workspace.model_validate({"teams": TEAMS, "default_team": "DASH"} | changes)


def call_of(
    lines: list[Line],
    parties: list[Party] | None = None,
    accounts: list[CrmAccount] | None = None,
) -> Call:
    sentences = [
        Sentence(speaker_id=who, start_ms=at * 1000, end_ms=at * 1000 + 3000, text=text)
        for who, at, text in lines
    ]
    return Call(
        call_id="call-1",
        source="test",
        title="Harbor check-in",
        url="https://example.gong.io/call?id=1",
        duration_s=1800,
        parties=parties if parties is not None else [REP, KIM],
        sentences=sentences,
        accounts=accounts or [],
    )


def triage(
    call: Call, tmp_path: Path, space: Workspace | None = None, max_issues: int = 12
) -> ToolContext:
    """Run the offline triager over `call` against a fresh local store."""
    space = space or workspace()
    store = Store.open(f"sqlite:///{tmp_path / 'triage.db'}")
    try:
        tracker = LocalTracker(store)
        tracker.seed(space)
        ctx = ToolContext(
            call=call, tracker=tracker, workspace=space, max_issues=max_issues
        )
        asyncio.run(OfflineTriager().triage(ctx))
        return ctx
    finally:
        store.close()


def filed(
    call: Call, tmp_path: Path, space: Workspace | None = None
) -> list[IssueRecord]:
    return triage(call, tmp_path, space).new_issues


def around(lines: list[Line], start: int = 0) -> list[Line]:
    """A plain opening and close around the lines that matter."""
    opening: list[Line] = [
        ("rep", start, "Thanks for making the time today."),
        ("kim", start + 4, "Happy to be here."),
    ]
    end = max(at for _, at, _ in lines) + 30
    closing: list[Line] = [("rep", end, "Thanks, talk soon."), ("kim", end + 4, "Bye.")]
    return opening + lines + closing
