"""A small factory of Gong calls, rendered in the shapes the Gong API returns."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

VENDOR_DOMAIN = "vendor.example"
WORKSPACE_ID = "3000000000000000001"
FIRST_STARTED = datetime(2025, 3, 3, 15, 0, tzinfo=UTC)

CUSTOMERS = [
    ("Acme Logistics", "acme.example", "Dana Whitfield", "Head of Operations"),
    ("Globex Health", "globex.example", "Priya Raman", "IT Director"),
    ("Initech", "initech.example", "Marcus Bell", "VP Finance"),
    ("Umbrella Retail", "umbrella.example", "Sofia Lindqvist", "Analytics Lead"),
]

EXTERNAL_SCRIPT = [
    ("rep", "Thanks for making the time today, {first}."),
    ("customer", "Of course. We have been on the dashboards for about three months."),
    ("rep", "How has the rollout gone for your team so far?"),
    ("customer", "Mostly well, but exporting reports is painful for us."),
    ("customer", "We need a scheduled CSV export that lands every Monday morning."),
    (
        "customer",
        "Right now someone copies the numbers by hand, it takes half a day.",
    ),
    ("rep", "That is really useful. Is anything else blocking a wider rollout?"),
    ("customer", "Single sign-on. Security will not approve more seats without Okta."),
    ("rep", "Understood. I will pass both of those to our product team."),
    ("customer", "Thanks. If the export ships this quarter we would add forty seats."),
    ("rep", "Great, I will follow up by email with next steps."),
]

INTERNAL_SCRIPT = [
    ("rep", "Let's go through the pipeline for next week."),
    ("colleague", "Sure. {company} is waiting on a revised quote."),
    ("rep", "I will send it tomorrow after the pricing review."),
    ("colleague", "Sounds good. Anything you need from me before then?"),
    ("rep", "No, that covers it. Thanks."),
]


@dataclass
class FakeCall:
    """One call as Gong knows it: metadata, parties, CRM account and transcript."""

    call_id: str
    title: str
    started: datetime
    duration: int
    scope: str = "External"
    is_private: bool = False
    has_transcript: bool = True
    parties: list[dict[str, Any]] = field(default_factory=list)
    lines: list[tuple[str, str]] = field(default_factory=list)
    account: tuple[str, str, str] | None = None

    def extensive(self) -> dict[str, Any]:
        """The record /v2/calls/extensive returns with context and parties."""
        record: dict[str, Any] = {"metaData": self._metadata()}
        if self.account:
            record["context"] = [_salesforce_account(*self.account)]
        record["parties"] = self.parties
        return record

    def transcript(self) -> list[dict[str, Any]]:
        """Monologues: consecutive sentences of one speaker, times in ms."""
        monologues: list[dict[str, Any]] = []
        for speaker_id, sentences in itertools.groupby(
            _timed(self.lines), key=lambda timed: timed[0]
        ):
            spoken = [sentence for _, sentence in sentences]
            monologues.append(
                {"speakerId": speaker_id, "topic": None, "sentences": spoken}
            )
        return monologues

    def _metadata(self) -> dict[str, Any]:
        return {
            "id": self.call_id,
            "url": f"https://app.gong.io/call?id={self.call_id}",
            "title": self.title,
            "scheduled": self.started.isoformat(),
            "started": self.started.isoformat(),
            "duration": self.duration,
            "primaryUserId": self.parties[0].get("userId"),
            "direction": "Conference",
            "system": "Zoom",
            "scope": self.scope,
            "media": "Video",
            "language": "eng",
            "workspaceId": WORKSPACE_ID,
            "sdrDisposition": None,
            "clientUniqueId": None,
            "customData": None,
            "purpose": None,
            "meetingUrl": f"https://vendor.zoom.us/j/{self.call_id[-11:]}",
            "isPrivate": self.is_private,
            "calendarEventId": None,
        }


def make_call(
    n: int,
    *,
    started: datetime | None = None,
    duration: int = 1800,
    scope: str = "External",
    is_private: bool = False,
    has_transcript: bool = True,
) -> FakeCall:
    """The `n`th call: a customer call, or colleagues talking when scope is Internal."""
    company, domain, contact, contact_title = CUSTOMERS[n % len(CUSTOMERS)]
    rep = _party(n, 1, "Jordan Avery", f"jordan@{VENDOR_DOMAIN}", "Account Executive")
    if scope == "Internal":
        colleague = _party(n, 2, "Sam Okafor", f"sam@{VENDOR_DOMAIN}", "Sales Engineer")
        parties, script, account = [rep, colleague], INTERNAL_SCRIPT, None
        title = f"Pipeline review: {company}"
    else:
        email = f"{contact.split()[0].lower()}@{domain}"
        customer = _party(n, 2, contact, email, contact_title, internal=False)
        account = (f"001FAKE{n % len(CUSTOMERS):011d}", company, domain)
        parties, script = [rep, customer], EXTERNAL_SCRIPT
        title = f"{company} <> Vendor | Check-in"

    roles = {"rep": rep, "colleague": parties[1], "customer": parties[1]}
    names = {"first": contact.split()[0], "company": company}
    lines = [(roles[role]["speakerId"], text.format(**names)) for role, text in script]
    return FakeCall(
        call_id=str(7_100_000_000_000_000_000 + n),
        title=title,
        started=started or FIRST_STARTED + timedelta(hours=n),
        duration=duration,
        scope=scope,
        is_private=is_private,
        has_transcript=has_transcript,
        parties=parties,
        lines=lines if has_transcript else [],
        account=account,
    )


def mixed_calls(count: int) -> list[FakeCall]:
    """`count` calls an hour apart, cycling through the cases intake must tell apart:
    two eligible customer calls, then an internal, a private, a five-minute call and
    one without a transcript."""
    variants: list[dict[str, Any]] = [
        {},
        {},
        {"scope": "Internal"},
        {"is_private": True},
        {"duration": 300},
        {"has_transcript": False},
    ]
    return [make_call(n, **variants[n % len(variants)]) for n in range(count)]


def _party(
    n: int, seat: int, name: str, email: str, title: str, *, internal: bool = True
) -> dict[str, Any]:
    party: dict[str, Any] = {
        "id": str(4_000_000_000_000_000_000 + n * 10 + seat),
        "emailAddress": email,
        "name": name,
        "title": title,
    }
    if internal:
        party["userId"] = str(2_000_000_000_000_000_000 + seat)
    party["speakerId"] = str(5_000_000_000_000_000_000 + n * 10 + seat)
    party["affiliation"] = "Internal" if internal else "External"
    party["methods"] = ["Invitee", "Attendee"]
    return party


def _timed(lines: list[tuple[str, str]]) -> list[tuple[str, dict[str, Any]]]:
    """Sentences spoken one after another, about a third of a second per word."""
    timed = []
    start_ms = 4_000
    for speaker_id, text in lines:
        end_ms = start_ms + max(1_500, 330 * len(text.split()))
        timed.append((speaker_id, {"start": start_ms, "end": end_ms, "text": text}))
        start_ms = end_ms + 600
    return timed


def _salesforce_account(object_id: str, name: str, domain: str) -> dict[str, Any]:
    return {
        "system": "Salesforce",
        "objects": [
            {
                "objectType": "Account",
                "objectId": object_id,
                "fields": [
                    {"name": "Name", "value": name},
                    {"name": "Website", "value": domain},
                ],
                "timing": "Now",
            }
        ],
    }
