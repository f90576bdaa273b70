"""What the fake Linear holds, and how its GraphQL fields resolve against it."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError

View = dict[str, Any]
Filter = dict[str, Any] | None

STRING_TESTS: dict[str, Callable[[str | None, Any], bool]] = {
    "eq": lambda v, a: v == a,
    "neq": lambda v, a: v != a,
    "in": lambda v, a: v in a,
    "nin": lambda v, a: v not in a,
    "null": lambda v, a: (v is None) == a,
    "eqIgnoreCase": lambda v, a: (v or "").lower() == a.lower(),
    "neqIgnoreCase": lambda v, a: (v or "").lower() != a.lower(),
    "startsWith": lambda v, a: (v or "").startswith(a),
    "startsWithIgnoreCase": lambda v, a: (v or "").lower().startswith(a.lower()),
    "notStartsWith": lambda v, a: not (v or "").startswith(a),
    "endsWith": lambda v, a: (v or "").endswith(a),
    "notEndsWith": lambda v, a: not (v or "").endswith(a),
    "contains": lambda v, a: a in (v or ""),
    "containsIgnoreCase": lambda v, a: a.lower() in (v or "").lower(),
    "notContains": lambda v, a: a not in (v or ""),
    "notContainsIgnoreCase": lambda v, a: a.lower() not in (v or "").lower(),
}


def input_error(message: str, presentable: str) -> GraphQLError:
    """An error shaped as Linear shapes a refused input."""
    extensions = {
        "type": "invalid input",
        "code": "INPUT_ERROR",
        "statusCode": 400,
        "userError": True,
        "userPresentableMessage": presentable,
    }
    return GraphQLError(message, extensions=extensions)


def not_found(entity: str) -> GraphQLError:
    return input_error(
        f"Entity not found: {entity}", f"Could not find referenced {entity}."
    )


def matches(values: View, where: Filter) -> bool:
    """Whether `values` (field name to value) pass a Linear filter object."""
    for key, condition in (where or {}).items():
        if key == "and":
            passed = all(matches(values, c) for c in condition)
        elif key == "or":
            passed = any(matches(values, c) for c in condition)
        else:
            passed = _compare(values[key], condition)
        if not passed:
            return False
    return True


def _compare(value: Any, condition: View) -> bool:
    if not isinstance(value, list):
        return all(STRING_TESTS[op](value, arg) for op, arg in condition.items())
    tests = {
        "some": lambda arg: any(_compare(item, arg) for item in value),
        "every": lambda arg: all(_compare(item, arg) for item in value),
        "length": lambda arg: all(v == len(value) for v in arg.values()),
    }
    return all(tests[op](arg) for op, arg in condition.items())


def page(items: list[Any], first: int | None, after: str | None) -> View:
    start = int(after) if after else 0
    nodes = items[start : start + (first or 50)]
    end = start + len(nodes)
    return {
        "nodes": nodes,
        "pageInfo": {
            "hasNextPage": end < len(items),
            "hasPreviousPage": start > 0,
            "startCursor": str(start) if nodes else None,
            "endCursor": str(end) if nodes else None,
        },
    }


@dataclass
class State:
    id: str
    name: str
    type: str
    position: float


@dataclass
class Team:
    id: str
    key: str
    name: str
    description: str
    triage_enabled: bool
    states: list[State]
    default_state_id: str | None

    def state(self, state_id: str) -> State | None:
        return next((s for s in self.states if s.id == state_id), None)


@dataclass
class Issue:
    id: str
    identifier: str
    number: int
    title: str
    description: str
    team_id: str
    state_id: str


@dataclass
class Attachment:
    id: str
    issue_id: str
    url: str
    title: str
    subtitle: str | None
    metadata: View


@dataclass
class Customer:
    id: str
    name: str
    domains: list[str]
    external_ids: list[str]


@dataclass
class Need:
    id: str
    issue_id: str
    customer_id: str
    body: str | None
    attachment_id: str | None


@dataclass
class LinearState:
    """Teams, issues, attachments, customers and needs, kept in memory."""

    teams: dict[str, Team] = field(default_factory=dict)
    issues: dict[str, Issue] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    customers: dict[str, Customer] = field(default_factory=dict)
    needs: list[Need] = field(default_factory=list)
    sync_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def add_team(
        self,
        key: str,
        name: str,
        description: str = "",
        *,
        triage: bool = True,
        triage_state: bool | None = None,
        default_state: str | None = "Backlog",
    ) -> Team:
        """A team with Linear's usual workflow; `triage_state` defaults to `triage`."""
        kinds = [
            ("Backlog", "backlog"),
            ("Todo", "unstarted"),
            ("In Progress", "started"),
        ]
        kinds += [("Done", "completed"), ("Canceled", "canceled")]
        if triage if triage_state is None else triage_state:
            kinds.insert(0, ("Triage", "triage"))
        states = [
            State(_id(), name, kind, float(n)) for n, (name, kind) in enumerate(kinds)
        ]
        default = next((s.id for s in states if s.name == default_state), None)
        team = Team(_id(), key, name, description, triage, states, default)
        self.teams[team.id] = team
        return team

    def add_customer(
        self, name: str, domains: list[str], external_ids: list[str] | None = None
    ) -> Customer:
        customer = Customer(_id(), name, domains, external_ids or [])
        self.customers[customer.id] = customer
        return customer

    def team_by_key(self, key: str) -> Team:
        return next(t for t in self.teams.values() if t.key == key)

    def attachments_of(self, issue_id: str) -> list[Attachment]:
        return [a for a in self.attachments if a.issue_id == issue_id]

    def next_sync_id(self) -> float:
        return float(next(self.sync_ids))


def _id() -> str:
    return str(uuid.uuid4())
