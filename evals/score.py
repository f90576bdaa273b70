"""Scoring one run against its labeled call, and totalling many (FORMAT.md's rules).

Matching: an issue matches a finding when one of its excerpts overlaps one of
the finding's evidence windows widened by `COLLAR_MS` on each side. Pairs are
one-to-one: as many as possible, then the most un-collared overlap. An issue
left over that still overlaps a (collared) finding is a duplicate of it.

Filter failure: an unmatched issue that overlaps no finding window, even with
the collar, but does overlap a non-actionable window as labeled (no collar:
the labels bound the off-topic talk exactly, and widening them would blame
issues that sit beside it). Duplicates are therefore never filter failures.

Customer: scored for calls that should be triaged. `match` needs the same id;
`create` needs a customer the run created with the same name or domain (case
and `www.` ignored); an expected null needs the run to link no customer at all,
since inventing one would put a wrong name on every issue.

Grounding: an excerpt is grounded when its words, normalised, occur within one
turn of the speaker it names, and its whole [start_ms, end_ms] span lies inside
the sentences holding those words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from statistics import fmean

from agent.calls import Call
from evals.dataset import Case, Expected, Window
from evals.matching import best_pairs
from evals.record import (
    CaseRun,
    CaseScore,
    EpochSummary,
    ExcerptCheck,
    FiledIssue,
    IssueScore,
    KindResult,
    LinkedCustomer,
    Metrics,
)
from tools.domains import domain_of
from tools.grounding import Located, clock, normalise, occurrences
from tools.trackers.base import ExcerptRecord

COLLAR_MS = 15_000

_COST_FIELDS = {"tokens_in", "tokens_out", "model_calls", "tool_calls", "wall_s"}

# The metrics averaged over epochs.
MEAN_FIELDS = (
    "precision",
    "recall",
    "f1",
    "routing_accuracy",
    "customer_accuracy",
    "eligibility_accuracy",
    "grounding_rate",
    "true_positives",
    "false_positives",
    "false_negatives",
    "filter_failures",
    "tokens_in",
    "tokens_out",
    "model_calls",
    "tool_calls",
    "wall_s",
)


def score_case(case: Case, run: CaseRun) -> CaseScore:
    """How `run` did on `case`: each issue's fate, misses, skip and customer."""
    if run.case_id != case.id:
        raise ValueError(
            f"run for case {run.case_id!r} scored against case {case.id!r}"
        )
    findings = case.expected.findings
    pairs = best_pairs(_match_weights(run.issues, case))

    issues = [
        _score_issue(case, issue, pairs.get(at)) for at, issue in enumerate(run.issues)
    ]
    matched = set(pairs.values())
    return CaseScore(
        case_id=case.id,
        issues=issues,
        missed=[f.id for at, f in enumerate(findings) if at not in matched],
        findings_by_kind=dict(Counter(f.kind for f in findings)),
        found_by_kind=dict(Counter(findings[at].kind for at in matched)),
        eligibility_correct=_eligibility_correct(case.expected, run),
        customer_correct=_customer_correct(case.expected, run.customer),
        **run.model_dump(include=_COST_FIELDS),
        error=run.error,
    )


def _overlap(issue: FiledIssue, windows: list[Window], collar_ms: int = 0) -> int:
    return sum(
        window.overlap_ms(excerpt.start_ms, excerpt.end_ms, collar_ms)
        for excerpt in issue.excerpts
        for window in windows
    )


def _match_weights(issues: list[FiledIssue], case: Case) -> dict[tuple[int, int], int]:
    """Allowed (issue, finding) pairs, weighted by their un-collared overlap."""
    return {
        (at, finding_at): _overlap(issue, finding.evidence)
        for at, issue in enumerate(issues)
        for finding_at, finding in enumerate(case.expected.findings)
        if _overlap(issue, finding.evidence, COLLAR_MS)
    }


def _score_issue(case: Case, issue: FiledIssue, finding_at: int | None) -> IssueScore:
    score = IssueScore(
        issue_id=issue.id,
        excerpts=[_check_excerpt(case, excerpt) for excerpt in issue.excerpts],
    )
    if finding_at is not None:
        finding = case.expected.findings[finding_at]
        score.finding_id = finding.id
        score.team_correct = issue.team == finding.team
        return score

    near = [f for f in case.expected.findings if _overlap(issue, f.evidence, COLLAR_MS)]
    if near:
        score.duplicate_of = max(near, key=lambda f: _overlap(issue, f.evidence)).id
        return score

    off_topic = [n for n in case.expected.non_actionable if _overlap(issue, n.evidence)]
    if off_topic:
        score.filter_failure = max(
            off_topic, key=lambda n: _overlap(issue, n.evidence)
        ).kind
    return score


def _eligibility_correct(expected: Expected, run: CaseRun) -> bool:
    return run.eligible == expected.eligible and run.skip_reason == expected.skip_reason


def _customer_correct(expected: Expected, linked: LinkedCustomer | None) -> bool | None:
    if not expected.eligible:
        return None
    wanted = expected.customer
    if wanted is None or linked is None:
        return wanted is None and linked is None
    new = wanted.create
    if new is None:
        return linked.id == wanted.match
    same_name = linked.name.strip().casefold() == new.name.strip().casefold()
    domains = {domain_of(domain) for domain in linked.domains}
    same_domain = new.domain is not None and domain_of(new.domain) in domains
    return linked.created and (same_name or same_domain)


# Grounding.


def _check_excerpt(case: Case, excerpt: ExcerptRecord) -> ExcerptCheck:
    """The product's own grounding rules, without its tolerance for rounded times."""
    if not normalise(excerpt.text):
        return ExcerptCheck(grounded=False, reason="the excerpt has no words")
    call = case.as_call
    found = occurrences(call, excerpt.text)
    if not found:
        return ExcerptCheck(
            grounded=False, reason="the words do not occur in the transcript"
        )

    speaker = normalise(excerpt.speaker)
    theirs = [hit for hit in found if normalise(_name(call, hit)) == speaker]
    if not theirs:
        said_by = _name(call, found[0])
        reason = f"the words are said by {said_by}, not {excerpt.speaker}"
        return ExcerptCheck(grounded=False, reason=reason)

    for hit in theirs:
        if hit.start_ms <= excerpt.start_ms <= excerpt.end_ms <= hit.end_ms:
            return ExcerptCheck(grounded=True)
    said_at = _span_text(theirs[0].start_ms, theirs[0].end_ms)
    given_at = _span_text(excerpt.start_ms, excerpt.end_ms)
    reason = f"{excerpt.speaker} says the words at {said_at}, not at {given_at}"
    return ExcerptCheck(grounded=False, reason=reason)


def _name(call: Call, hit: Located) -> str:
    return call.party(hit.speaker_id).display_name


def _span_text(start_ms: int, end_ms: int) -> str:
    return f"{clock(start_ms)}-{clock(end_ms)}"


# Totals.


def summarise(scores: Sequence[CaseScore]) -> Metrics:
    """Micro-averaged totals over `scores`; a rate with nothing to measure is None."""
    issues = [issue for score in scores for issue in score.issues]
    routed = [issue for issue in issues if issue.matched]
    customers = [s.customer_correct for s in scores if s.customer_correct is not None]
    checks = [check for issue in issues for check in issue.excerpts]
    tp = sum(score.true_positives for score in scores)
    fp = sum(score.false_positives for score in scores)
    fn = sum(score.false_negatives for score in scores)

    metrics = Metrics(
        runs=len(scores),
        passed=sum(score.passed for score in scores),
        errors=sum(score.error is not None for score in scores),
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        duplicates=sum(issue.duplicate for issue in issues),
        filter_failures=sum(issue.filter_failure is not None for issue in issues),
        filter_failures_by_kind=dict(
            Counter(i.filter_failure for i in issues if i.filter_failure is not None)
        ),
        precision=_rate(tp, tp + fp),
        recall=_rate(tp, tp + fn),
        f1=_rate(2 * tp, 2 * tp + fp + fn),
        routed=len(routed),
        routed_correct=sum(bool(issue.team_correct) for issue in routed),
        customers_checked=len(customers),
        customers_correct=sum(customers),
        eligibility_correct=sum(score.eligibility_correct for score in scores),
        excerpts=len(checks),
        grounded_excerpts=sum(check.grounded for check in checks),
        by_kind=_by_kind(scores),
        **{field: sum(getattr(s, field) for s in scores) for field in _COST_FIELDS},
    )
    metrics.routing_accuracy = _rate(metrics.routed_correct, metrics.routed)
    metrics.customer_accuracy = _rate(
        metrics.customers_correct, metrics.customers_checked
    )
    metrics.eligibility_accuracy = _rate(metrics.eligibility_correct, metrics.runs)
    metrics.grounding_rate = _rate(metrics.grounded_excerpts, metrics.excerpts)
    return metrics


def _by_kind(scores: Sequence[CaseScore]) -> dict[str, KindResult]:
    findings: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for score in scores:
        findings.update(score.findings_by_kind)
        found.update(score.found_by_kind)
    return {
        kind: KindResult(findings=n, found=found[kind], recall=_rate(found[kind], n))
        for kind, n in sorted(findings.items())
    }


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def summarise_epochs(epochs: Sequence[Sequence[CaseScore]]) -> EpochSummary:
    """Mean metrics over repeated runs, and pass^K: the cases passing every epoch."""
    case_ids = [score.case_id for score in epochs[0]] if epochs else []
    for scores in epochs:
        if sorted(score.case_id for score in scores) != sorted(case_ids):
            raise ValueError("every epoch must score the same cases")

    per_epoch = [summarise(scores) for scores in epochs]
    passes = Counter(
        score.case_id for scores in epochs for score in scores if score.passed
    )
    pass_k = {case_id: passes[case_id] == len(epochs) for case_id in case_ids}
    return EpochSummary(
        epochs=len(epochs),
        mean={
            field: _mean(getattr(m, field) for m in per_epoch) for field in MEAN_FIELDS
        },
        passes={case_id: passes[case_id] for case_id in case_ids},
        pass_k=pass_k,
        pass_k_rate=_rate(sum(pass_k.values()), len(pass_k)),
    )


def _mean(values: Iterable[float | None]) -> float | None:
    measured = [value for value in values if value is not None]
    return fmean(measured) if measured else None
