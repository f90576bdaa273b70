"""Linear as a tracker: teams, customers, triage issues and customer requests."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from tools.trackers import linear_documents as docs
from tools.trackers.base import (
    CustomerRecord,
    IssueDraft,
    IssueRecord,
    IssueStatus,
    TeamRecord,
    TrackerError,
)
from tools.trackers.linear_client import (
    RETRYABLE,
    LinearAuthError,
    LinearClient,
    LinearError,
    LinearNotFound,
)
from tools.trackers.linear_records import (
    Node,
    call_subtitle,
    company_domains,
    customer_filter,
    customer_record,
    filed_from,
    issue_record,
    recording_attachment,
    stable_id,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class _Team:
    id: str
    key: str
    triage_state_id: str | None


class LinearTracker:
    """Files into Linear through `LinearClient`; every write is safe to repeat."""

    name = "linear"

    def __init__(self, client: LinearClient) -> None:
        self._client = client
        self._teams: dict[str, _Team] = {}
        self._fallback_states: dict[str, str] = {}

    async def aclose(self) -> None:
        await self._client.aclose()

    async def list_teams(self) -> list[TeamRecord]:
        records = []
        for node in await self._team_nodes():
            triage = node.get("triageIssueState") if node.get("triageEnabled") else None
            self._teams[node["key"]] = _Team(
                node["id"], node["key"], triage["id"] if triage else None
            )
            records.append(
                TeamRecord(
                    key=node["key"],
                    name=node["name"],
                    description=node.get("description") or "",
                )
            )
        return records

    async def search_customers(
        self,
        query: str | None = None,
        domain: str | None = None,
        external_id: str | None = None,
    ) -> list[CustomerRecord]:
        where = customer_filter(query, domain, external_id)
        found = await self._client.execute(docs.CUSTOMERS, {"filter": where})
        return [customer_record(node) for node in found["customers"]["nodes"]]

    async def get_customer(self, customer_id: str) -> CustomerRecord | None:
        node = await self._customer_node(customer_id)
        return customer_record(node) if node else None

    async def create_customer(
        self, name: str, domains: list[str], external_ids: list[str]
    ) -> CustomerRecord:
        # customerUpsert takes one external id; customerCreate takes them all.
        domains = company_domains(domains)
        customer_id = stable_id(
            "customer",
            name.strip().casefold(),
            "|".join(sorted(domains)),
            "|".join(sorted(external_ids)),
        )
        node = await self._customer_node(customer_id)
        if node is None:
            node = await self._create_customer(customer_id, name, domains, external_ids)
        return customer_record(node)

    async def issues_for_call(self, call_id: str) -> list[IssueRecord]:
        """Issues filed from `call_id`, found through the recording attachment on each.

        Linear issues have no external id, and the deterministic ids cannot be listed
        without every finding's key. So each issue's recording attachment carries the
        call in its subtitle (filterable) and the draft in its metadata: one query
        finds them and rebuilds their records. An issue filed from a call without a
        recording URL has no attachment, so it is not found here.
        """
        where = {"subtitle": {"eq": call_subtitle(call_id)}}
        found = await self._client.execute(docs.CALL_ATTACHMENTS, {"filter": where})
        records: dict[str, IssueRecord] = {}
        for node in found["attachments"]["nodes"]:
            issue = node["issue"]
            if filed_from(node.get("metadata"), call_id) and issue["id"] not in records:
                status = await self._status(issue)
                records[issue["id"]] = issue_record(issue, node["metadata"], status)
        return list(records.values())

    async def create_issue(self, draft: IssueDraft) -> IssueRecord:
        team = await self._team(draft.team_key)
        issue_id = stable_id("issue", draft.call_id, draft.dedup_key)
        issue = await self._issue_node(issue_id)
        created = issue is None
        if issue is None:
            issue = await self._create_issue(issue_id, team, draft)

        attachment = recording_attachment(issue["id"], draft)
        if attachment is not None:
            result = await self._client.execute(
                docs.ATTACHMENT_CREATE, {"input": attachment}
            )
            _confirmed(result, "attachmentCreate", "attachment")

        status = "triage" if created else await self._status(issue)
        return IssueRecord(
            **draft.model_dump(),
            id=issue["id"],
            url=issue["url"],
            status=status,
            created=created,
        )

    async def add_customer_request(
        self, issue_id: str, customer_id: str, body: str, url: str | None
    ) -> None:
        if await self._has_need(issue_id, customer_id):
            return
        fields = {
            "id": stable_id("need", issue_id, customer_id),
            "issueId": issue_id,
            "customerId": customer_id,
            "body": body,
        }
        if url:
            fields["attachmentUrl"] = url
        try:
            result = await self._client.execute(
                docs.CUSTOMER_NEED_CREATE, {"input": fields}
            )
        except LinearError as exc:
            await _found_after(exc, lambda: self._has_need(issue_id, customer_id))
            return
        _confirmed(result, "customerNeedCreate", "need")
        logger.info("Linked customer %s to Linear issue %s", customer_id, issue_id)

    async def _team_nodes(self) -> list[Node]:
        nodes: list[Node] = []
        after = None
        while True:
            page = (await self._client.execute(docs.TEAMS, {"after": after}))["teams"]
            nodes.extend(page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                return nodes
            after = page["pageInfo"]["endCursor"]

    async def _team(self, key: str) -> _Team:
        if key not in self._teams:
            await self.list_teams()
        if key not in self._teams:
            raise TrackerError(f"Linear has no team with the key {key!r}.")
        return self._teams[key]

    async def _intake_state(self, team: _Team) -> str:
        """The state new issues land in: the team's triage state, or the nearest one."""
        if team.triage_state_id:
            return team.triage_state_id
        if team.id not in self._fallback_states:
            self._fallback_states[team.id] = await self._fallback_state(team)
        return self._fallback_states[team.id]

    async def _fallback_state(self, team: _Team) -> str:
        found = (await self._client.execute(docs.TEAM_STATES, {"id": team.id}))["team"]
        states = sorted(found["states"]["nodes"], key=lambda s: s["position"])
        state = (
            next((s for s in states if s["type"] == "triage"), None)
            or found.get("defaultIssueState")
            or next((s for s in states if s["type"] in ("backlog", "unstarted")), None)
        )
        if state is None:
            raise TrackerError(f"Linear team {team.key} has no state to file into.")
        logger.warning(
            "Linear team %s has triage turned off; new issues go to %r (%s).",
            team.key,
            state["name"],
            state["type"],
        )
        return state["id"]

    async def _status(self, issue: Node) -> IssueStatus:
        state = issue["state"]
        if state["type"] == "triage":
            return "triage"
        if state["type"] == "canceled":
            return "declined"
        team = await self._team(issue["team"]["key"])
        return "triage" if state["id"] == await self._intake_state(team) else "accepted"

    async def _issue_node(self, issue_id: str) -> Node | None:
        try:
            return (await self._client.execute(docs.ISSUE, {"id": issue_id}))["issue"]
        except LinearNotFound:
            return None

    async def _create_issue(
        self, issue_id: str, team: _Team, draft: IssueDraft
    ) -> Node:
        fields = {
            "id": issue_id,
            "teamId": team.id,
            "stateId": await self._intake_state(team),
            "title": draft.title,
            "description": draft.description,
        }
        try:
            result = await self._client.execute(docs.ISSUE_CREATE, {"input": fields})
        except LinearError as exc:
            # A create whose answer was lost is refused on retry: its id exists.
            return await _found_after(exc, lambda: self._issue_node(issue_id))
        issue = _confirmed(result, "issueCreate", "issue")
        logger.info(
            "Filed Linear issue %s for call %s", issue["identifier"], draft.call_id
        )
        return issue

    async def _customer_node(self, customer_id: str) -> Node | None:
        try:
            found = await self._client.execute(docs.CUSTOMER, {"id": customer_id})
        except LinearNotFound:
            return None
        return found["customer"]

    async def _create_customer(
        self, customer_id: str, name: str, domains: list[str], external_ids: list[str]
    ) -> Node:
        fields = {
            "id": customer_id,
            "name": name.strip(),
            "domains": domains,
            "externalIds": external_ids,
        }
        try:
            result = await self._client.execute(docs.CUSTOMER_CREATE, {"input": fields})
        except LinearError as exc:
            return await _found_after(exc, lambda: self._customer_node(customer_id))
        node = _confirmed(result, "customerCreate", "customer")
        logger.info("Created Linear customer %s (%s)", node["name"], node["id"])
        return node

    async def _has_need(self, issue_id: str, customer_id: str) -> bool:
        found = await self._client.execute(docs.ISSUE_NEEDS, {"id": issue_id})
        needs = found["issue"]["needs"]["nodes"]
        return any((n.get("customer") or {}).get("id") == customer_id for n in needs)


async def _found_after(exc: LinearError, lookup: Callable[[], Awaitable[T]]) -> T:
    """What a refused write would have made, when it already exists; else re-raise.

    A refusal about the key, the rate or the connection says nothing about the
    entity, so only other refusals are worth a look-up.
    """
    if isinstance(exc, (LinearAuthError, *RETRYABLE)):
        raise exc
    found = await lookup()
    if not found:
        raise exc
    return found


def _confirmed(result: dict[str, Any], mutation: str, field: str) -> Node:
    payload = result[mutation]
    if not payload.get("success") or not payload.get(field):
        raise TrackerError(f"Linear did not confirm {mutation}; nothing came back.")
    return payload[field]
