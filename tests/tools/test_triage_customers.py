from __future__ import annotations

import pytest

from agent.workspace import Workspace
from tests import builders
from tools.context import ToolContext
from tools.store.db import Store
from tools.trackers.local import LocalTracker
from tools.triage import registry

pytestmark = pytest.mark.anyio

KNOWN = [
    {
        "id": "cus_acme",
        "name": "Acme Logistics",
        "domains": ["Acme.example"],
        "external_ids": ["salesforce:0015g00000ACME"],
    },
    {"id": "cus_globex", "name": "Globex Health", "domains": ["globex.example"]},
]


@pytest.fixture
def workspace() -> Workspace:
    return builders.workspace(customers=KNOWN)


async def _ids(ctx: ToolContext, **arguments: str) -> list[str]:
    outcome = await registry.call("search_customers", arguments, ctx)
    assert not outcome.is_error, outcome.content
    return [customer.id for customer in outcome.value]


async def test_customers_are_found_by_part_of_their_name(ctx: ToolContext) -> None:
    assert await _ids(ctx, query="acme") == ["cus_acme"]
    assert await _ids(ctx, query="HEALTH") == ["cus_globex"]


async def test_customers_are_found_by_domain_whatever_its_case(
    ctx: ToolContext,
) -> None:
    assert await _ids(ctx, domain="ACME.example") == ["cus_acme"]


async def test_a_website_or_email_given_as_domain_finds_the_customer(
    ctx: ToolContext,
) -> None:
    assert await _ids(ctx, domain="https://www.acme.example/about") == ["cus_acme"]
    assert await _ids(ctx, domain="dana@globex.example") == ["cus_globex"]


async def test_customers_are_found_by_crm_id(ctx: ToolContext) -> None:
    assert await _ids(ctx, external_id="salesforce:0015g00000ACME") == ["cus_acme"]


async def test_a_search_that_matches_nobody_finds_nothing(ctx: ToolContext) -> None:
    assert await _ids(ctx, query="Initech", domain="initech.example") == []


async def test_a_search_without_terms_is_refused(ctx: ToolContext) -> None:
    outcome = await registry.call("search_customers", {}, ctx)

    assert outcome.is_error
    assert "query, domain or external_id" in outcome.content


async def test_a_mailbox_provider_is_refused_as_a_company_domain(
    ctx: ToolContext,
) -> None:
    arguments = {"name": "Dana Consulting", "domain": "gmail.com"}

    outcome = await registry.call("create_customer", arguments, ctx)

    assert outcome.is_error
    assert "gmail.com is a public mailbox provider" in outcome.content
    assert ctx.customer is None


async def test_a_new_customer_is_created_and_becomes_the_calls_customer(
    ctx: ToolContext,
) -> None:
    arguments = {"name": "Initech", "domain": "https://initech.example/"}

    outcome = await registry.call("create_customer", arguments, ctx)

    assert not outcome.is_error, outcome.content
    assert outcome.value.domains == ["initech.example"]
    assert ctx.customer == outcome.value and ctx.customer_created
    assert await _ids(ctx, domain="initech.example") == [outcome.value.id]


async def test_creating_a_customer_with_a_known_crm_id_returns_the_existing_one(
    ctx: ToolContext, store: Store
) -> None:
    arguments = {
        "name": "ACME Logistics Inc",
        "external_id": "salesforce:0015g00000ACME",
    }

    outcome = await registry.call("create_customer", arguments, ctx)

    assert outcome.value.id == "cus_acme"
    assert ctx.customer.id == "cus_acme" and not ctx.customer_created
    assert len(await LocalTracker(store).search_customers(query="acme")) == 1


async def test_creating_a_customer_with_a_known_domain_returns_the_existing_one(
    ctx: ToolContext, store: Store
) -> None:
    arguments = {"name": "Globex", "domain": "www.globex.example"}

    outcome = await registry.call("create_customer", arguments, ctx)

    assert outcome.value.id == "cus_globex"
    assert not ctx.customer_created
    assert len(await LocalTracker(store).search_customers(query="globex")) == 1


async def test_creating_the_same_new_customer_twice_makes_one(
    ctx: ToolContext, store: Store
) -> None:
    arguments = {"name": "Initech", "domain": "initech.example"}

    first = await registry.call("create_customer", arguments, ctx)
    second = await registry.call("create_customer", arguments, ctx)

    assert first.value.id == second.value.id
    assert len(await LocalTracker(store).search_customers(query="initech")) == 1


async def test_creating_a_customer_under_a_known_name_returns_the_existing_one(
    ctx: ToolContext, store: Store
) -> None:
    arguments = {"name": "acme logistics", "domain": "acme-logistics.example"}

    outcome = await registry.call("create_customer", arguments, ctx)

    assert outcome.value.id == "cus_acme"
    assert not ctx.customer_created
    assert len(await LocalTracker(store).search_customers(query="acme")) == 1
