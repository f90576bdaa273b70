"""Small Gong bundles written in tests, so a test's call is readable at a glance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REP = {
    "speakerId": "100",
    "name": "Rita Rep",
    "emailAddress": "rita@vendor.example",
    "affiliation": "Internal",
}
CUSTOMER = {
    "speakerId": "200",
    "name": "Carl Customer",
    "emailAddress": "carl@acme.example",
    "affiliation": "External",
}
FEEDBACK = [
    ("100", "Thanks for joining, how is the schedule board working for you?"),
    (
        "200",
        "I would really like to be able to export the schedule to a spreadsheet.",
    ),
    (
        "200",
        "Every Monday we retype the whole week by hand, because there is no export.",
    ),
    ("100", "Understood, I will pass that on."),
]


def bundle(
    call_id: str = "7001",
    lines: list[tuple[str, str]] = FEEDBACK,
    duration: int = 900,
    parties: list[dict[str, Any]] | None = None,
    **meta: Any,
) -> dict[str, Any]:
    """A Gong call with `lines` spoken ten seconds apart from the first minute."""
    sentences = [
        {
            "speakerId": speaker,
            "topic": None,
            "sentences": [
                {"start": 60_000 + 10_000 * n, "end": 68_000 + 10_000 * n, "text": text}
            ],
        }
        for n, (speaker, text) in enumerate(lines)
    ]
    meta_data = {
        "id": call_id,
        "url": f"https://us-1.app.gong.io/call?id={call_id}",
        "title": "Acme <> Vendor weekly",
        "started": "2026-03-02T16:00:00Z",
        "duration": duration,
        "scope": "External",
        "isPrivate": False,
    } | meta
    return {
        "call": {"metaData": meta_data, "parties": parties or [REP, CUSTOMER]},
        "transcript": sentences,
    }


def write_bundle(folder: Path, name: str = "call.json", **kwargs: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(bundle(**kwargs)), encoding="utf-8")
    return path


WORKSPACE = {
    "teams": [
        {"key": "SCHED", "name": "Scheduling", "description": "Schedule board, export"},
        {"key": "BILL", "name": "Billing", "description": "Invoices and payments"},
    ],
    "default_team": "SCHED",
    "guidance": "Exports of any kind go to SCHED.",
    "customers": [
        {"id": "cus_acme", "name": "Acme", "domains": ["acme.example"]},
    ],
}


def write_workspace(folder: Path) -> Path:
    path = folder / "workspace.json"
    path.write_text(json.dumps(WORKSPACE), encoding="utf-8")
    return path
