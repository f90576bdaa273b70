"""Which customer a call is with: matched by CRM account, CRM name or email
domain, and created from the CRM account or the domain when none matches."""

from __future__ import annotations

import re

from agent.calls import Call
from agent.workspace import Workspace
from tools.context import ToolContext
from tools.domains import domain_of, is_public_email_domain
from tools.trackers.base import CustomerRecord
from tools.triage import registry

_TITLE_PARTS = re.compile(r"\s*(?:<>|\||/|-|x|&|:)\s*")


async def resolve_customer(ctx: ToolContext) -> str | None:
    """Match the company by CRM account, CRM name or email domain; else create it."""
    call = ctx.call
    for account in call.accounts:
        found = await _search(ctx, external_id=account.external_id)
        if not found and account.name:
            found = await _search(ctx, query=account.name)
        if found:
            return _link(ctx, found[0])
    domains = customer_domains(call, ctx.workspace)
    for domain in domains:
        found = await _search(ctx, domain=domain)
        if found:
            return _link(ctx, found[0])
    return await _create(ctx, call, domains)


async def _search(ctx: ToolContext, **arguments: str) -> list[CustomerRecord]:
    outcome = await registry.call("search_customers", arguments, ctx)
    return outcome.value if not outcome.is_error and outcome.value else []


def _link(ctx: ToolContext, customer: CustomerRecord) -> str:
    ctx.customer = customer
    return customer.id


async def _create(ctx: ToolContext, call: Call, domains: list[str]) -> str | None:
    if call.accounts and call.accounts[0].name:
        account = call.accounts[0]
        arguments = {"name": account.name, "external_id": account.external_id}
        website = domain_of(account.website) if account.website else None
        if website or domains:
            arguments["domain"] = website or domains[0]
    elif domains:
        arguments = {"name": name_from(call, domains[0]), "domain": domains[0]}
    else:
        return None
    outcome = await registry.call("create_customer", arguments, ctx)
    return None if outcome.is_error else outcome.value.id


def customer_domains(call: Call, workspace: Workspace) -> list[str]:
    """The company domains of the call's outside participants, most common first."""
    counts: dict[str, int] = {}
    for party in call.parties:
        domain = party.email_domain
        if not domain or workspace.is_internal(party):
            continue
        if is_public_email_domain(domain):
            continue
        counts[domain] = counts.get(domain, 0) + 1
    return sorted(counts, key=lambda d: -counts[d])


def name_from(call: Call, domain: str) -> str:
    """The company's name as the call title gives it, else the domain's first label."""
    label = domain.split(".")[0]
    for part in _TITLE_PARTS.split(call.title or ""):
        if part and label.replace("-", "") in re.sub(r"\W", "", part.lower()):
            return part.strip()
    return label.replace("-", " ").title()
