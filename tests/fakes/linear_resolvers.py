"""The fake Linear's root fields: each method answers the GraphQL field of its name."""

from __future__ import annotations

import uuid
from typing import Any

from tests.fakes.linear_state import (
    Attachment,
    Customer,
    Issue,
    LinearState,
    Need,
    State,
    Team,
    View,
    input_error,
    matches,
    not_found,
    page,
)

WORKSPACE_URL = "https://linear.app/fake"


class LinearRoot:
    """The root value handed to graphql-core; nested fields resolve from views."""

    def __init__(self, state: LinearState) -> None:
        self.state = state

    # Queries

    def teams(self, _info, first=None, after=None) -> View:
        return page([self._team(t) for t in self.state.teams.values()], first, after)

    def team(self, _info, id: str) -> View:
        if id not in self.state.teams:
            raise not_found("Team")
        return self._team(self.state.teams[id])

    def issue(self, _info, id: str) -> View:
        if id not in self.state.issues:
            raise not_found("Issue")
        return self._issue(self.state.issues[id])

    def attachments(self, _info, filter=None, first=None, after=None) -> View:
        found = [
            self._attachment(a)
            for a in self.state.attachments
            if matches({"title": a.title, "subtitle": a.subtitle, "url": a.url}, filter)
        ]
        return page(found, first, after)

    def customers(self, _info, filter=None, first=None, after=None) -> View:
        found = [
            self._customer(c)
            for c in self.state.customers.values()
            if matches(
                {"name": c.name, "domains": c.domains, "externalIds": c.external_ids},
                filter,
            )
        ]
        return page(found, first, after)

    def customer(self, _info, id: str) -> View:
        if id not in self.state.customers:
            raise not_found("Customer")
        return self._customer(self.state.customers[id])

    # Mutations

    def issueCreate(self, _info, input: View) -> View:
        team = self.state.teams.get(input["teamId"])
        if team is None:
            raise not_found("Team")
        issue_id = self._new_id(input.get("id"), self.state.issues, "issue")
        state_id = input.get("stateId") or team.default_state_id or team.states[0].id
        if team.state(state_id) is None:
            raise not_found("WorkflowState")
        number = 1 + sum(i.team_id == team.id for i in self.state.issues.values())
        issue = Issue(
            issue_id,
            f"{team.key}-{number}",
            number,
            input.get("title") or "",
            input.get("description") or "",
            team.id,
            state_id,
        )
        self.state.issues[issue.id] = issue
        return self._payload(issue=self._issue(issue))

    def attachmentCreate(self, _info, input: View) -> View:
        if input["issueId"] not in self.state.issues:
            raise not_found("Issue")
        attachment = self._attachment_at(input["issueId"], input["url"])
        attachment.title = input["title"]
        attachment.subtitle = input.get("subtitle")
        attachment.metadata = input.get("metadata") or {}
        return self._payload(attachment=self._attachment(attachment))

    def customerCreate(self, _info, input: View) -> View:
        customer_id = self._new_id(input.get("id"), self.state.customers, "customer")
        customer = Customer(
            customer_id,
            input["name"],
            list(input.get("domains") or []),
            list(input.get("externalIds") or []),
        )
        self.state.customers[customer.id] = customer
        return self._payload(customer=self._customer(customer))

    def customerNeedCreate(self, _info, input: View) -> View:
        if input.get("customerId") not in self.state.customers:
            raise not_found("Customer")
        if input.get("issueId") not in self.state.issues:
            raise not_found("Issue")
        known = {n.id: n for n in self.state.needs}
        need_id = self._new_id(input.get("id"), known, "customer need")
        url = input.get("attachmentUrl")
        attachment = self._attachment_at(input["issueId"], url) if url else None
        need = Need(
            need_id,
            input["issueId"],
            input["customerId"],
            input.get("body"),
            attachment.id if attachment else None,
        )
        self.state.needs.append(need)
        return self._payload(need=self._need(need))

    # Views: what each type's fields resolve to

    def _team(self, team: Team) -> View:
        triage = next((s for s in team.states if s.type == "triage"), None)
        default = team.state(team.default_state_id or "")
        return {
            "id": team.id,
            "key": team.key,
            "name": team.name,
            "description": team.description,
            "triageEnabled": team.triage_enabled,
            "triageIssueState": _state(triage) if team.triage_enabled else None,
            "defaultIssueState": _state(default),
            "states": lambda _info, first=None, after=None: page(
                [_state(s) for s in team.states], first, after
            ),
        }

    def _issue(self, issue: Issue) -> View:
        team = self.state.teams[issue.team_id]
        return {
            "id": issue.id,
            "identifier": issue.identifier,
            "number": issue.number,
            "title": issue.title,
            "description": issue.description,
            "url": f"{WORKSPACE_URL}/issue/{issue.identifier}",
            "team": lambda _info: self._team(team),
            "state": _state(team.state(issue.state_id)),
            "attachments": lambda _info, first=None, after=None: page(
                [self._attachment(a) for a in self.state.attachments_of(issue.id)],
                first,
                after,
            ),
            "needs": lambda _info, first=None, after=None: page(
                [self._need(n) for n in self.state.needs if n.issue_id == issue.id],
                first,
                after,
            ),
        }

    def _attachment(self, attachment: Attachment) -> View:
        return {
            "id": attachment.id,
            "url": attachment.url,
            "title": attachment.title,
            "subtitle": attachment.subtitle,
            "metadata": attachment.metadata,
            "issue": lambda _info: self._issue(self.state.issues[attachment.issue_id]),
        }

    def _customer(self, customer: Customer) -> View:
        return {
            "id": customer.id,
            "name": customer.name,
            "domains": customer.domains,
            "externalIds": customer.external_ids,
        }

    def _need(self, need: Need) -> View:
        attachment = next(
            (a for a in self.state.attachments if a.id == need.attachment_id), None
        )
        return {
            "id": need.id,
            "body": need.body,
            "customer": self._customer(self.state.customers[need.customer_id]),
            "issue": lambda _info: self._issue(self.state.issues[need.issue_id]),
            "attachment": self._attachment(attachment) if attachment else None,
        }

    def _attachment_at(self, issue_id: str, url: str) -> Attachment:
        """The issue's attachment for `url`: Linear keeps one per issue and URL."""
        for attachment in self.state.attachments_of(issue_id):
            if attachment.url == url:
                return attachment
        attachment = Attachment(str(uuid.uuid4()), issue_id, url, url, None, {})
        self.state.attachments.append(attachment)
        return attachment

    def _new_id(self, given: str | None, existing: Any, entity: str) -> str:
        if given is None:
            return str(uuid.uuid4())
        if not _is_uuid_v4(given):
            raise input_error("Argument Validation Error", "id must be a UUID v4.")
        if given in existing:
            raise input_error(
                "Argument Validation Error", f"A {entity} with this id already exists."
            )
        return given

    def _payload(self, **entity: View) -> View:
        return {"success": True, "lastSyncId": self.state.next_sync_id(), **entity}


def _state(state: State | None) -> View | None:
    if state is None:
        return None
    return {
        "id": state.id,
        "name": state.name,
        "type": state.type,
        "position": state.position,
    }


def _is_uuid_v4(value: str) -> bool:
    try:
        return uuid.UUID(value).version == 4
    except ValueError:
        return False
