"""A workspace, Gong bundles and a runtime for the MCP server's tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agent.runtime import Runtime, open_store, remember_workspace
from agent.settings import Settings
from agent.triagers.offline import OfflineTriager
from agent.workspace import Team, Workspace
from tools.trackers.local import LocalTracker

CALL_ID = "8800000000000000001"
SHORT_CALL_ID = "8800000000000000002"
REQUEST = (
    "I would really like to be able to export the schedule to a spreadsheet, "
    "because every Monday we retype it by hand."
)
CUSTOMER_LINES = [
    ("rep", "Thanks for joining today, Dana. How is the rollout going?"),
    ("customer", "Pretty well overall, the crews like the new job board a lot."),
    ("rep", "Great to hear. Is anything slowing your office down?"),
    ("customer", REQUEST),
    ("customer", "It takes our office manager most of the morning."),
    ("rep", "Understood, I will pass that on to the product team."),
    ("customer", "Thanks, that would make a real difference for us."),
]
SENTENCE_GAP_MS = 60_000

WORKSPACE = Workspace(
    teams=[
        Team(
            key="DISP",
            name="Dispatch",
            description="Schedule board, job assignment and route planning",
        ),
        Team(
            key="RPT",
            name="Reporting",
            description="Reports, dashboards, and exports to spreadsheets and CSV",
        ),
    ],
    default_team="DISP",
    guidance="Requests to export anything, even the schedule, go to RPT.",
    internal_domains=["tidewater.example"],
)


def gong_bundle(
    call_id: str = CALL_ID,
    lines: list[tuple[str, str]] = CUSTOMER_LINES,
    duration_s: int = 1500,
) -> dict[str, Any]:
    """A Gong bundle: a rep and Dana from Harbor Plumbing, a minute between lines."""
    speaker_ids = {"rep": "5001", "customer": "5002"}
    monologues = []
    for index, (role, text) in enumerate(lines):
        start = 5_000 + index * SENTENCE_GAP_MS
        sentence = {"start": start, "end": start + 8_000, "text": text}
        monologues.append({"speakerId": speaker_ids[role], "sentences": [sentence]})
    metadata = {
        "id": call_id,
        "url": f"https://app.gong.io/call?id={call_id}",
        "title": "Harbor Plumbing <> Tidewater | Check-in",
        "started": "2025-03-03T15:00:00Z",
        "duration": duration_s,
        "scope": "External",
        "isPrivate": False,
    }
    parties = [
        _party("1", "5001", "Jordan Avery", "jordan@tidewater.example", "Internal"),
        _party(
            "2", "5002", "Dana Whitfield", "dana@harborplumbing.example", "External"
        ),
    ]
    return {
        "call": {"metaData": metadata, "parties": parties},
        "transcript": monologues,
    }


def write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def make_runtime(database: Path, max_issues: int = 12) -> Runtime:
    """A runtime over a SQLite file, seeded with WORKSPACE, triaging offline."""
    settings = Settings(
        database_url=f"sqlite:///{database}", max_issues_per_call=max_issues
    )
    store = open_store(settings)
    remember_workspace(store, WORKSPACE)
    return Runtime(settings, store, WORKSPACE, LocalTracker(store), OfflineTriager())


def _party(
    party_id: str, speaker_id: str, name: str, email: str, affiliation: str
) -> dict[str, Any]:
    return {
        "id": party_id,
        "speakerId": speaker_id,
        "name": name,
        "emailAddress": email,
        "affiliation": affiliation,
    }
