import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from tests.fakes.linear_server import API_KEY, FakeLinear
from tools.trackers.base import ExcerptRecord, IssueDraft, TrackerError
from tools.trackers.linear import LinearTracker
from tools.trackers.linear_client import (
    LinearAuthError,
    LinearClient,
    LinearConnectionError,
    LinearError,
)
from tools.trackers.linear_records import stable_id

pytestmark = pytest.mark.anyio

NOW = 1_760_000_000.0


class Naps:
    """An injected sleep that only notes how long it was asked to wait."""

    def __init__(self) -> None:
        self.taken: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)


@asynccontextmanager
async def linear(
    fake: FakeLinear,
    *,
    api_key: str = API_KEY,
    timeout: httpx.Timeout | float = 5.0,
    naps: Naps | None = None,
    max_attempts: int = 4,
) -> AsyncIterator[LinearTracker]:
    async with httpx.AsyncClient(timeout=timeout) as http:
        client = LinearClient(
            http,
            api_key=api_key,
            api_url=fake.url,
            max_attempts=max_attempts,
            sleep=naps or Naps(),
            clock=lambda: NOW,
        )
        yield LinearTracker(client)


def draft(team_key: str = "ENG", call_id: str = "7782342", dedup_key: str = "f1"):
    start_ms = 125_000
    recording = f"https://us-1.app.gong.io/call?id={call_id}"
    excerpt = ExcerptRecord(
        speaker="Dana Reyes",
        affiliation="External",
        start_ms=start_ms,
        end_ms=start_ms + 6_000,
        text="We export every dashboard to PDF by hand each Monday.",
        link=f"{recording}&highlights=%5B%7B%22from%22%3A{start_ms // 1000}%7D%5D",
    )
    return IssueDraft(
        call_id=call_id,
        dedup_key=dedup_key,
        team_key=team_key,
        title="Scheduled PDF export of dashboards",
        summary="Customers want dashboards sent as PDF on a schedule.",
        motivation="A weekly board report is assembled by hand.",
        description="Customers want dashboards sent as PDF on a schedule.",
        excerpts=[excerpt],
        recording_url=recording,
    )


async def test_an_issue_filed_into_a_team_with_triage_lands_in_its_triage_state(
    fake_linear,
):
    team = fake_linear.state.add_team("ENG", "Engineering")
    async with linear(fake_linear) as tracker:
        record = await tracker.create_issue(draft())

    stored = fake_linear.state.issues[record.id]
    assert team.state(stored.state_id).type == "triage"
    assert (record.status, record.created) == ("triage", True)
    assert record.url.endswith(f"/issue/{stored.identifier}")
    [attachment] = fake_linear.state.attachments_of(record.id)
    assert attachment.url == draft().excerpts[0].link
    assert attachment.title == "Call recording at 2:05"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"triage_state": True}, "Triage"),
        ({"default_state": "Todo"}, "Todo"),
        ({"default_state": None}, "Backlog"),
    ],
)
async def test_a_team_without_triage_falls_back_to_its_nearest_state_and_warns_once(
    fake_linear, caplog, options, expected
):
    team = fake_linear.state.add_team("OPS", "Operations", triage=False, **options)
    with caplog.at_level(logging.WARNING, logger="tools.trackers.linear"):
        async with linear(fake_linear) as tracker:
            first = await tracker.create_issue(draft("OPS", dedup_key="f1"))
            second = await tracker.create_issue(draft("OPS", dedup_key="f2"))

    for record in (first, second):
        assert team.state(fake_linear.state.issues[record.id].state_id).name == expected
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "OPS" in warnings[0].getMessage()


async def test_the_same_finding_filed_twice_is_one_issue(fake_linear):
    fake_linear.state.add_team("ENG", "Engineering")
    async with linear(fake_linear) as tracker:
        first = await tracker.create_issue(draft())
        again = await tracker.create_issue(draft())

    assert again.id == first.id
    assert (first.created, again.created) == (True, False)
    assert len(fake_linear.state.issues) == 1
    assert len(fake_linear.state.attachments) == 1


async def test_an_issue_whose_answer_timed_out_is_found_on_retry_not_filed_again(
    fake_linear,
):
    fake_linear.state.add_team("ENG", "Engineering")
    fake_linear.hold_answer_after("issueCreate")
    naps = Naps()
    timeout = httpx.Timeout(5.0, read=0.5)
    async with linear(fake_linear, timeout=timeout, naps=naps) as tracker:
        record = await tracker.create_issue(draft())

    assert list(fake_linear.state.issues) == [record.id]
    assert record.id == stable_id("issue", "7782342", "f1")
    assert fake_linear.calls("issueCreate") == 2
    assert len(naps.taken) == 1


async def test_filing_again_after_the_client_gave_up_reuses_the_issue(fake_linear):
    fake_linear.state.add_team("ENG", "Engineering")
    fake_linear.hold_answer_after("issueCreate")
    timeout = httpx.Timeout(5.0, read=0.5)
    async with linear(fake_linear, timeout=timeout, max_attempts=1) as tracker:
        with pytest.raises(LinearConnectionError):
            await tracker.create_issue(draft())
        record = await tracker.create_issue(draft())

    assert record.created is False
    assert list(fake_linear.state.issues) == [record.id]
    assert len(fake_linear.state.attachments) == 1


async def test_an_existing_customer_is_found_by_domain_name_or_crm_id(fake_linear):
    acme = fake_linear.state.add_customer("Acme Corp", ["acme.com"], ["salesforce:1"])
    fake_linear.state.add_customer("Initech", ["initech.com"])
    async with linear(fake_linear) as tracker:
        by_domain = await tracker.search_customers(domain="ACME.com")
        by_name = await tracker.search_customers(query="acme")
        by_crm = await tracker.search_customers(external_id="salesforce:1")
        by_nothing_known = await tracker.search_customers(domain="globex.com")

    assert [c.id for c in by_domain] == [acme.id]
    assert [c.id for c in by_name] == [acme.id]
    assert [c.id for c in by_crm] == [acme.id]
    assert by_domain[0].external_ids == ["salesforce:1"]
    assert by_nothing_known == []


async def test_a_new_customer_keeps_its_company_domain_and_drops_a_public_one(
    fake_linear,
):
    async with linear(fake_linear) as tracker:
        created = await tracker.create_customer(
            "Globex", ["globex.com", "gmail.com"], ["salesforce:2"]
        )
        again = await tracker.create_customer(
            "Globex", ["globex.com", "gmail.com"], ["salesforce:2"]
        )
        fetched = await tracker.get_customer(created.id)

    assert created.domains == ["globex.com"]
    assert created.external_ids == ["salesforce:2"]
    assert again.id == created.id == fetched.id
    [stored] = fake_linear.state.customers.values()
    assert stored.domains == ["globex.com"]


async def test_an_unknown_customer_id_is_none(fake_linear):
    async with linear(fake_linear) as tracker:
        assert await tracker.get_customer(stable_id("nobody")) is None


async def test_a_customer_request_links_the_customer_at_the_moment_they_said_it(
    fake_linear,
):
    fake_linear.state.add_team("ENG", "Engineering")
    acme = fake_linear.state.add_customer("Acme Corp", ["acme.com"])
    finding = draft()
    moment = finding.excerpts[0].link
    async with linear(fake_linear) as tracker:
        issue = await tracker.create_issue(finding)
        for _ in range(2):
            await tracker.add_customer_request(issue.id, acme.id, "> PDF", moment)

    [need] = fake_linear.state.needs
    assert (need.issue_id, need.customer_id, need.body) == (issue.id, acme.id, "> PDF")
    [attachment] = fake_linear.state.attachments_of(issue.id)
    assert (need.attachment_id, attachment.url) == (attachment.id, moment)


async def test_issues_for_a_call_are_the_ones_filed_from_it(fake_linear):
    fake_linear.state.add_team("ENG", "Engineering")
    async with linear(fake_linear) as tracker:
        first = await tracker.create_issue(draft(dedup_key="f1"))
        second = await tracker.create_issue(draft(dedup_key="f2"))
        await tracker.create_issue(draft(call_id="9990001"))
        found = await tracker.issues_for_call("7782342")

    assert sorted(r.id for r in found) == sorted([first.id, second.id])
    for record in found:
        original = first if record.id == first.id else second
        assert record.model_dump(exclude={"created"}) == original.model_dump(
            exclude={"created"}
        )
        assert record.created is False


@pytest.mark.parametrize("status", [400, 429])
async def test_a_rate_limited_reply_waits_for_the_reset_then_succeeds(
    fake_linear, status
):
    fake_linear.state.add_team("ENG", "Engineering")
    fake_linear.rate_limit_once(reset_at_ms=int(NOW * 1000) + 1_500, status=status)
    naps = Naps()
    async with linear(fake_linear, naps=naps) as tracker:
        teams = await tracker.list_teams()

    assert [t.key for t in teams] == ["ENG"]
    assert naps.taken == [1.5]
    assert fake_linear.calls("teams") == 2


async def test_an_error_inside_a_200_reply_raises_even_with_partial_data(fake_linear):
    fake_linear.state.add_team("ENG", "Engineering")
    fake_linear.fail_field_once("triageIssueState", "Internal error loading state")
    async with linear(fake_linear) as tracker:
        with pytest.raises(LinearError) as caught:
            await tracker.list_teams()

    assert caught.value.status == 200
    assert "Internal error loading state" in str(caught.value)
    [team] = caught.value.data["teams"]["nodes"]
    assert team["key"] == "ENG" and team["triageIssueState"] is None


async def test_a_refused_key_stops_with_one_clear_sentence(fake_linear):
    naps = Naps()
    wrong_key = "lin_api_wrongwrongwrong"
    async with linear(fake_linear, api_key=wrong_key, naps=naps) as tracker:
        with pytest.raises(LinearAuthError) as caught:
            await tracker.list_teams()

    assert str(caught.value) == (
        "Linear rejected the API key "
        "(You need to authenticate to access this operation)."
    )
    assert caught.value.status == 401
    assert naps.taken == []


async def test_filing_into_a_team_linear_does_not_have_says_which(fake_linear):
    fake_linear.state.add_team("ENG", "Engineering")
    async with linear(fake_linear) as tracker:
        with pytest.raises(TrackerError, match="no team with the key 'NOPE'"):
            await tracker.create_issue(draft("NOPE"))
