"""Small builders of calls and workspaces that tests share."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agent.calls import Affiliation, Call, CrmAccount, Party, Sentence
from agent.workspace import Workspace

GONG_URL = "https://us-1234.app.gong.io/call?id=7001"

CUSTOMER = Party(
    speaker_id="cust",
    name="Dana Whitfield",
    email="dana@acme.example",
    affiliation=Affiliation.EXTERNAL,
)
REP = Party(
    speaker_id="rep",
    name="Sam Rep",
    email="sam@vendor.example",
    affiliation=Affiliation.INTERNAL,
)

# (speaker_id, start_ms, end_ms, text)
SCRIPT = [
    ("rep", 0, 4_000, "Thanks for joining, how is the rollout going?"),
    ("cust", 5_000, 9_000, "Mostly well, but exporting reports is painful for us."),
    ("cust", 9_000, 14_000, "We need a scheduled CSV export every Monday morning."),
    ("rep", 15_000, 19_000, "That is useful, I will pass it to our product team."),
    ("cust", 20_000, 26_000, "Also the mobile app crashes when I open the map."),
    ("rep", 27_000, 30_000, "We need a scheduled CSV export as well, internally."),
    ("cust", 31_000, 36_000, "Single sign-on with Okta is a must-have for security."),
]

# Findings far enough apart that the offline triager files each on its own.
FEEDBACK_SCRIPT = [
    ("rep", 0, 4_000, "Thanks for joining, how is the rollout going?"),
    ("cust", 60_000, 66_000, "The mobile app crashes every time I open the map."),
    ("rep", 70_000, 74_000, "Sorry to hear that, which phone is it?"),
    ("cust", 180_000, 186_000, "We really need a way to schedule the CSV export."),
]

TEAMS = [
    {"key": "DATA", "name": "Reporting", "description": "Reports, exports, CSV"},
    {"key": "MOBI", "name": "Mobile", "description": "The iOS and Android apps, map"},
    {"key": "AUTH", "name": "Identity", "description": "Login, SSO, Okta, SAML"},
]


def workspace(**changes: Any) -> Workspace:
    data: dict[str, Any] = {
        "teams": TEAMS,
        "default_team": "DATA",
        "internal_domains": ["vendor.example"],
    }
    return Workspace.model_validate(data | changes)


def sentences(script: list[tuple[str, int, int, str]]) -> list[Sentence]:
    return [
        Sentence(speaker_id=who, start_ms=start, end_ms=end, text=text)
        for who, start, end, text in script
    ]


def call(**changes: Any) -> Call:
    """An eligible external call with a Gong recording URL, unless changed."""
    fields: dict[str, Any] = {
        "call_id": "7001",
        "source": "gong:7001",
        "title": "Acme <> Vendor check-in",
        "url": GONG_URL,
        "started": datetime(2025, 3, 3, 15, 0, tzinfo=UTC),
        "duration_s": 1800,
        "scope": "External",
        "parties": [REP, CUSTOMER],
        "sentences": sentences(SCRIPT),
        "accounts": [
            CrmAccount(
                system="Salesforce",
                object_id="0015g00000ACME",
                name="Acme Logistics",
                website="https://www.acme.example",
            )
        ],
    }
    return Call(**(fields | changes))


def gong_bundle(call: Call) -> dict[str, Any]:
    """`call` as a Gong JSON bundle of the shape the readers take."""
    account = call.accounts[0] if call.accounts else None
    context = []
    if account is not None:
        fields = [
            {"name": "Name", "value": account.name},
            {"name": "Website", "value": account.website},
        ]
        objects = [
            {"objectType": "Account", "objectId": account.object_id, "fields": fields}
        ]
        context = [{"system": account.system, "objects": objects}]
    meta = {
        "id": call.call_id,
        "url": call.url,
        "title": call.title,
        "started": call.started.isoformat() if call.started else None,
        "duration": call.duration_s,
        "scope": call.scope,
        "isPrivate": call.is_private,
    }
    parties = [
        {
            "speakerId": party.speaker_id,
            "name": party.name,
            "emailAddress": party.email,
            "affiliation": party.affiliation.value,
        }
        for party in call.parties
    ]
    transcript = [
        {
            "speakerId": turn[0].speaker_id,
            "sentences": [
                {"start": s.start_ms, "end": s.end_ms, "text": s.text} for s in turn
            ],
        }
        for turn in call.turns()
    ]
    return {
        "call": {"metaData": meta, "parties": parties, "context": context},
        "transcript": transcript,
    }
