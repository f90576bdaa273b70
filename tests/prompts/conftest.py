from __future__ import annotations

import pytest

from tools.trackers.base import CustomerRecord, ExcerptRecord, IssueRecord


@pytest.fixture
def acme() -> CustomerRecord:
    return CustomerRecord(id="cus_acme", name="Acme Corp", domains=["acme.com"])


@pytest.fixture
def filed_issue() -> IssueRecord:
    return IssueRecord(
        id="iss_1",
        call_id="call-acme-1",
        dedup_key="k",
        team_key="DASH",
        title="CSV export times out",
        summary="The CSV export times out.",
        description="",
        excerpts=[
            ExcerptRecord(
                speaker="Dana Ruiz",
                affiliation="External",
                start_ms=65_000,
                end_ms=69_000,
                text="The CSV export keeps timing out on large dashboards.",
            )
        ],
    )
