"""Small labeled calls and runs, built in code so each test states its numbers.

The call: Dana Rep (Internal), Helen Buyer (External), and a speaker no party
owns ("Unknown speaker"). Times are milliseconds.

    0-5000        Dana     Thanks for joining today.
    60000-64000   Helen    Exports to CSV keep timing out.          finding f1 (API)
    64000-68000   Helen    It happens every Monday morning.         finding f1
    70000-72000   Dana     Sorry to hear that.
    170000-172000 Helen    Lots of people use it.
    188000-190000 Helen    Our analysts work late at night.
    200000-205000 Helen    We would love a dark mode for the dashboard.  finding f2
    300000-304000 Helen    Can we get a discount on more seats?     non-actionable
    400000-403000 unknown  I think the webhook retries are broken.
"""

from __future__ import annotations

import copy
from typing import Any

from evals.dataset import Case
from evals.record import CaseRun, FiledIssue
from tools.trackers.base import ExcerptRecord

DANA, HELEN, NOBODY = "Dana Rep", "Helen Buyer", "Unknown speaker"

SENTENCES = [
    ("s1", 0, 5000, "Thanks for joining today."),
    ("s2", 60000, 64000, "Exports to CSV keep timing out."),
    ("s2", 64000, 68000, "It happens every Monday morning."),
    ("s1", 70000, 72000, "Sorry to hear that."),
    ("s2", 170000, 172000, "Lots of people use it."),
    ("s2", 188000, 190000, "Our analysts work late at night."),
    ("s2", 200000, 205000, "We would love a dark mode for the dashboard."),
    ("s2", 300000, 304000, "Can we get a discount on more seats?"),
    ("s9", 400000, 403000, "I think the webhook retries are broken."),
]

F1 = {
    "id": "f1",
    "kind": "bug",
    "team": "API",
    "evidence": [{"start_ms": 60000, "end_ms": 68000}],
    "summary": "CSV exports time out",
}
F2 = {
    "id": "f2",
    "kind": "feature_request",
    "team": "DASH",
    "evidence": [{"start_ms": 200000, "end_ms": 205000}],
    "summary": "Dark mode for the dashboard",
}
DISCOUNT = {
    "kind": "sales_question",
    "evidence": [{"start_ms": 300000, "end_ms": 304000}],
    "note": "asks for a seat discount",
}


def case_data(case_id: str = "tiny", **expected: Any) -> dict[str, Any]:
    """A fresh labeled call as JSON data; `expected` overrides the expected block."""
    turns = [
        {
            "speakerId": speaker,
            "topic": None,
            "sentences": [{"start": a, "end": b, "text": t}],
        }
        for speaker, a, b, t in SENTENCES
    ]
    return copy.deepcopy(
        {
            "format": "calltriage-eval/1",
            "id": case_id,
            "source": "written for these tests",
            "call": {
                "metaData": {
                    "id": "1",
                    "url": "https://x.app.gong.io/call?id=1",
                    "duration": 900,
                },
                "parties": [
                    {"speakerId": "s1", "name": DANA, "affiliation": "Internal"},
                    {"speakerId": "s2", "name": HELEN, "affiliation": "External"},
                ],
            },
            "transcript": turns,
            "workspace": {
                "teams": [
                    {"key": "DASH", "name": "Dashboards"},
                    {"key": "API", "name": "API"},
                ],
                "default_team": "DASH",
                "customers": [
                    {"id": "cus_acme", "name": "Acme", "domains": ["acme.example"]}
                ],
            },
            "expected": {
                "eligible": True,
                "skip_reason": None,
                "customer": {"match": "cus_acme"},
                "findings": [F1, F2],
                "non_actionable": [DISCOUNT],
            }
            | expected,
        }
    )


def make_case(case_id: str = "tiny", **expected: Any) -> Case:
    return Case.model_validate(case_data(case_id, **expected))


def quote(text: str, start_ms: int, end_ms: int, speaker: str = HELEN) -> ExcerptRecord:
    return ExcerptRecord(
        speaker=speaker,
        affiliation="External",
        start_ms=start_ms,
        end_ms=end_ms,
        text=text,
    )


def issue(issue_id: str, *excerpts: ExcerptRecord, team: str = "API") -> FiledIssue:
    return FiledIssue(id=issue_id, team=team, title=issue_id, excerpts=list(excerpts))


def run(*issues: FiledIssue, case_id: str = "tiny", **fields: Any) -> CaseRun:
    """An eligible run that linked cus_acme and filed `issues`."""
    defaults: dict[str, Any] = {
        "eligible": True,
        "customer": {"id": "cus_acme", "name": "Acme"},
    }
    return CaseRun.model_validate(
        {"case_id": case_id, "issues": list(issues)} | defaults | fields
    )


CSV = quote("Exports to CSV keep timing out.", 60000, 64000)
MONDAY = quote("It happens every Monday morning.", 64000, 68000)
DARK_MODE = quote("We would love a dark mode for the dashboard.", 200000, 205000)
DISCOUNT_ASK = quote("Can we get a discount on more seats?", 300000, 304000)
