"""The tools that find or create the customer a call is with."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from tools.catalog import registry
from tools.context import ToolContext
from tools.domains import domain_of, is_public_email_domain
from tools.registry import ToolRefusal
from tools.trackers.base import CustomerRecord


@registry.tool
async def search_customers(
    ctx: ToolContext,
    query: Annotated[
        str | None, Field(description="Part of the company name, case-insensitive")
    ] = None,
    domain: Annotated[
        str | None, Field(description="Company web or email domain, e.g. acme.com")
    ] = None,
    external_id: Annotated[
        str | None,
        Field(description="CRM id as system:id, e.g. salesforce:0015g00000X"),
    ] = None,
) -> list[CustomerRecord]:
    """Find existing customers by name, domain or CRM id. Search before creating one."""
    if not (query or domain or external_id):
        raise ToolRefusal("give at least one of query, domain or external_id")
    clean = domain_of(domain) if domain else None
    return await ctx.tracker.search_customers(query, clean, external_id)


@registry.tool
async def create_customer(
    ctx: ToolContext,
    name: Annotated[str, Field(min_length=2, description="The company's name")],
    domain: Annotated[
        str | None,
        Field(description="The company's own domain, never a mailbox provider"),
    ] = None,
    external_id: Annotated[
        str | None, Field(description="CRM id as system:id, when the call has one")
    ] = None,
) -> CustomerRecord:
    """Create the customer this call is with, when search_customers found none.

    Returns the existing record instead when one already has this CRM id, domain
    or name.
    """
    clean = domain_of(domain) if domain else None
    if clean and is_public_email_domain(clean):
        raise ToolRefusal(f"{clean} is a public mailbox provider, not a company domain")
    for existing in await _existing(ctx, name.strip(), external_id, clean):
        ctx.customer = existing
        return existing
    customer = await ctx.tracker.create_customer(
        name.strip(), [clean] if clean else [], [external_id] if external_id else []
    )
    ctx.customer, ctx.customer_created = customer, True
    return customer


async def _existing(
    ctx: ToolContext, name: str, external_id: str | None, domain: str | None
) -> list[CustomerRecord]:
    if external_id:
        found = await ctx.tracker.search_customers(external_id=external_id)
        if found:
            return found
    if domain:
        found = await ctx.tracker.search_customers(domain=domain)
        if found:
            return found
    # A tracker may key customers by name, and would hand back the one it has.
    named = await ctx.tracker.search_customers(query=name)
    return [c for c in named if c.name.casefold() == name.casefold()]


async def linked_customer(
    ctx: ToolContext, customer_id: str | None
) -> CustomerRecord | None:
    if customer_id is None:
        return ctx.customer
    if ctx.customer and ctx.customer.id == customer_id:
        return ctx.customer
    found = await ctx.tracker.get_customer(customer_id)
    if found is not None:
        ctx.customer = found
        return found
    raise ToolRefusal(
        f"there is no customer {customer_id!r}; search or create one first"
    )
