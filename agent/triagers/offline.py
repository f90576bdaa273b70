"""The deterministic triager: rules that find feedback, driving the same tools.

It runs when no model is configured, in tests and in the eval harness, and is
the baseline every model run is measured against.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from agent.calls import Affiliation, Call, Party, Sentence
from agent.pipeline import TriageRun
from agent.triagers import cues
from agent.workspace import Workspace
from tools.context import ToolContext
from tools.domains import domain_of, is_public_email_domain
from tools.routing import rank_teams, terms
from tools.triage import registry

logger = logging.getLogger(__name__)

RULES_VERSION = "offline-1"
MERGE_GAP_MS = 40_000
MERGE_OVERLAP = 0.4
MAX_EXCERPTS = 3


@dataclass
class Finding:
    kind: str
    speaker: Party
    sentences: list[Sentence]
    score: int
    context: list[Sentence] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def terms(self) -> set[str]:
        return terms(self.text)


class OfflineTriager:
    name = "offline"
    model = "offline"
    prompt_version = RULES_VERSION

    async def triage(self, ctx: ToolContext) -> TriageRun:
        customer_id = await resolve_customer(ctx)
        for finding in find_feedback(ctx.call, ctx.workspace):
            await _file(ctx, finding, customer_id)
        return TriageRun(self.name, model="offline", prompt_version=RULES_VERSION)


def customer_speakers(call: Call, workspace: Workspace) -> set[str]:
    """Speaker ids who may be the customer: anyone not known to be internal."""
    internal_names = {name.lower() for name in workspace.internal_speakers}
    internal_domains = {d.lower() for d in workspace.internal_domains}
    speakers = set()
    for speaker_id in {s.speaker_id for s in call.sentences}:
        party = call.party(speaker_id)
        if party.affiliation == Affiliation.INTERNAL:
            continue
        if (party.name or "").lower() in internal_names:
            continue
        if party.email_domain in internal_domains:
            continue
        speakers.add(speaker_id)
    return speakers


def find_feedback(call: Call, workspace: Workspace) -> list[Finding]:
    """Findings in the customer's words, merged where they are one point."""
    speakers = customer_speakers(call, workspace)
    found: list[Finding] = []
    for turn in call.turns():
        if turn[0].speaker_id not in speakers or _is_injection(turn):
            continue
        for index, sentence in enumerate(turn):
            kind, score = classify(sentence.text)
            if kind is None:
                continue
            finding = Finding(kind, call.party(sentence.speaker_id), [sentence], score)
            finding.context = turn[max(0, index - 1) : index + 3]
            found.append(finding)
    return _merge(found)


def classify(text: str) -> tuple[str | None, int]:
    """The kind of feedback a sentence states, and how strongly, or (None, 0)."""
    if len(text.split()) < 5 or _not_actionable(text):
        return None, 0
    bug = len(cues.BUG.findall(text))
    request = len(cues.REQUEST.findall(text))
    pain = len(cues.PAIN.findall(text))
    if cues.HEDGE.search(text):
        return None, 0
    best = max(bug, request, pain)
    if best == 0:
        return None, 0
    if bug == best:
        return "bug", bug + request + pain
    if request == best:
        return "feature_request", bug + request + pain
    return "pain_point", bug + request + pain


def _not_actionable(text: str) -> bool:
    if cues.SALES.search(text) or cues.BETA.search(text) or cues.INJECTION.search(text):
        return True
    return bool(cues.INQUIRY.search(text) and cues.QUESTION_TAIL.search(text))


def _is_injection(turn: list[Sentence]) -> bool:
    return any(cues.INJECTION.search(sentence.text) for sentence in turn)


def _merge(found: list[Finding]) -> list[Finding]:
    """Join what belongs to one finding: close together, or the same words again."""
    merged: list[Finding] = []
    for finding in found:
        target = next((m for m in merged if _same_point(m, finding)), None)
        if target is None:
            merged.append(finding)
            continue
        target.sentences.append(finding.sentences[0])
        target.score += finding.score
        if finding.kind == "bug":
            target.kind = "bug"
    return merged


def _same_point(a: Finding, b: Finding) -> bool:
    if a.speaker.speaker_id == b.speaker.speaker_id:
        gap = b.sentences[0].start_ms - a.sentences[-1].end_ms
        if 0 <= gap <= MERGE_GAP_MS:
            return True
    shared = a.terms & b.terms
    return len(shared) / max(1, min(len(a.terms), len(b.terms))) >= MERGE_OVERLAP


async def resolve_customer(ctx: ToolContext) -> str | None:
    """Match the company by CRM account, CRM name or email domain; else create it."""
    call = ctx.call
    for account in call.accounts:
        found = await _search(ctx, external_id=account.external_id)
        if not found and account.name:
            found = await _search(ctx, query=account.name)
        if found:
            return _link(ctx, found[0])
    domains = _customer_domains(call, ctx.workspace)
    for domain in domains:
        found = await _search(ctx, domain=domain)
        if found:
            return _link(ctx, found[0])
    return await _create(ctx, call, domains)


async def _search(ctx: ToolContext, **arguments: str) -> list[dict]:
    outcome = await registry.call("search_customers", arguments, ctx)
    return outcome.value if not outcome.is_error and outcome.value else []


def _link(ctx: ToolContext, customer) -> str:
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
        arguments = {"name": _name_from(call, domains[0]), "domain": domains[0]}
    else:
        return None
    outcome = await registry.call("create_customer", arguments, ctx)
    return None if outcome.is_error else outcome.value.id


def _customer_domains(call: Call, workspace: Workspace) -> list[str]:
    internal = {d.lower() for d in workspace.internal_domains}
    counts: dict[str, int] = {}
    for party in call.parties:
        domain = party.email_domain
        if party.affiliation == Affiliation.INTERNAL or not domain:
            continue
        if domain in internal or is_public_email_domain(domain):
            continue
        counts[domain] = counts.get(domain, 0) + 1
    return sorted(counts, key=lambda d: -counts[d])


def _name_from(call: Call, domain: str) -> str:
    """The company's name as the call title gives it, else the domain's first label."""
    label = domain.split(".")[0]
    for part in re.split(r"\s*(?:<>|\||/|-|x|&|:)\s*", call.title or ""):
        if part and label.replace("-", "") in re.sub(r"\W", "", part.lower()):
            return part.strip()
    return label.replace("-", " ").title()


async def _file(ctx: ToolContext, finding: Finding, customer_id: str | None) -> None:
    context_text = " ".join(s.text for s in finding.context + finding.sentences)
    ranked = rank_teams(context_text, ctx.workspace)
    team = ranked[0].team.key if ranked and ranked[0].score > 0 else None
    arguments = {
        "title": draft_title(finding),
        "summary": draft_summary(finding),
        "motivation": draft_motivation(finding),
        "kind": finding.kind,
        "team": team or ctx.workspace.default_team or "",
        "excerpts": [
            {
                "speaker": finding.speaker.display_name,
                "start_ms": s.start_ms,
                "text": s.text,
            }
            for s in finding.sentences[:MAX_EXCERPTS]
        ],
        "customer_id": customer_id,
    }
    outcome = await registry.call("create_triage_issue", arguments, ctx)
    if outcome.is_error:
        logger.warning(
            "offline triager could not file %r: %s", arguments["title"], outcome.content
        )


FILLER = re.compile(
    r"^(?:(?:so|and|but|yeah|yes|um+|uh+|well|like|okay|ok|honestly|i mean|"
    r"you know|the thing is|one thing is|also|oh)[,\s]+)+",
    re.IGNORECASE,
)
PREFIX = {"bug": "Bug", "feature_request": "Request", "pain_point": "Pain point"}


def draft_title(finding: Finding) -> str:
    best = max(finding.sentences, key=lambda s: classify(s.text)[1])
    clause = FILLER.sub("", best.text).strip().rstrip(".!?")
    if len(clause) > 90:
        clause = clause[:90].rsplit(" ", 1)[0] + "…"
    return f"{PREFIX[finding.kind]}: {clause[:1].upper()}{clause[1:]}"


def draft_summary(finding: Finding) -> str:
    verb = {"bug": "reports", "feature_request": "asks for", "pain_point": "describes"}
    return f"{finding.speaker.display_name} {verb[finding.kind]}: “{finding.text}”"


MOTIVE = re.compile(
    r"\b(because|so that|so we|otherwise|every (day|week|time|morning)|our customers|"
    r"which means|that means|costs? us|hours)\b",
    re.IGNORECASE,
)


def draft_motivation(finding: Finding) -> str:
    for sentence in finding.sentences + finding.context:
        if MOTIVE.search(sentence.text):
            return sentence.text
    return ""
