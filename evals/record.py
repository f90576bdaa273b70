"""The eval record: what each run produced, how it scored, and the totals.

A runner fills one `CaseRun` per labeled call and epoch; the scorer turns it into
a `CaseScore`; an `EvalReport` gathers both with the settings and metrics. Every
terminal table and HTML page is a rendering of an `EvalReport`.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from evals.dataset import Expected, SkipReason
from tools.trackers.base import ExcerptRecord, IssueKind, IssueRecord


class LinkedCustomer(BaseModel):
    """The customer a run linked its issues to, found or created."""

    id: str
    name: str
    created: bool = False
    domains: list[str] = Field(default_factory=list)


class FiledIssue(BaseModel):
    id: str
    team: str
    title: str
    summary: str = ""
    kind: IssueKind | None = None
    excerpts: list[ExcerptRecord] = Field(default_factory=list)

    @classmethod
    def from_record(cls, record: IssueRecord) -> FiledIssue:
        return cls(
            id=record.id,
            team=record.team_key,
            title=record.title,
            summary=record.summary,
            kind=record.kind,
            excerpts=record.excerpts,
        )


class CaseRun(BaseModel):
    """What one run of the triager produced for one labeled call."""

    case_id: str
    eligible: bool
    skip_reason: SkipReason | None = None
    customer: LinkedCustomer | None = None
    issues: list[FiledIssue] = Field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    model_calls: int = 0
    tool_calls: int = 0
    wall_s: float = 0.0
    error: str | None = Field(default=None, description="Why the run stopped early")


class ExcerptCheck(BaseModel):
    """Whether one excerpt is the named speaker's words at the given time."""

    grounded: bool
    reason: str | None = None


class IssueScore(BaseModel):
    """How one filed issue counted."""

    issue_id: str
    finding_id: str | None = Field(default=None, description="The finding it matched")
    duplicate_of: str | None = Field(
        default=None, description="A finding another issue already matched"
    )
    filter_failure: str | None = Field(
        default=None, description="The non-actionable kind it wrongly filed"
    )
    team_correct: bool | None = None
    excerpts: list[ExcerptCheck] = Field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.finding_id is not None

    @property
    def duplicate(self) -> bool:
        return self.duplicate_of is not None

    @property
    def grounded(self) -> bool:
        return all(check.grounded for check in self.excerpts)

    @property
    def grounding_reason(self) -> str | None:
        """Why the first ungrounded excerpt is not grounded."""
        return next((c.reason for c in self.excerpts if not c.grounded), None)


class CaseScore(BaseModel):
    case_id: str
    issues: list[IssueScore] = Field(default_factory=list)
    missed: list[str] = Field(default_factory=list, description="Unmatched finding ids")
    findings_by_kind: dict[str, int] = Field(default_factory=dict)
    found_by_kind: dict[str, int] = Field(default_factory=dict)
    eligibility_correct: bool
    customer_correct: bool | None = Field(
        default=None, description="None when the call should have been skipped"
    )
    tokens_in: int = 0
    tokens_out: int = 0
    model_calls: int = 0
    tool_calls: int = 0
    wall_s: float = 0.0
    error: str | None = None

    @property
    def true_positives(self) -> int:
        return sum(issue.matched for issue in self.issues)

    @property
    def false_positives(self) -> int:
        return sum(not issue.matched for issue in self.issues)

    @property
    def false_negatives(self) -> int:
        return len(self.missed)

    @property
    def passed(self) -> bool:
        """Nothing wrong filed, nothing missed, skip and customer right, no crash."""
        return (
            self.false_positives == 0
            and self.false_negatives == 0
            and self.eligibility_correct
            and self.customer_correct is not False
            and self.error is None
        )


class KindResult(BaseModel):
    findings: int = 0
    found: int = 0
    recall: float | None = None


class Metrics(BaseModel):
    """Totals over a set of case scores; a rate with nothing to measure is None."""

    runs: int = 0
    passed: int = 0
    errors: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    duplicates: int = 0
    filter_failures: int = 0
    filter_failures_by_kind: dict[str, int] = Field(default_factory=dict)
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    routed: int = 0
    routed_correct: int = 0
    routing_accuracy: float | None = None
    customers_checked: int = 0
    customers_correct: int = 0
    customer_accuracy: float | None = None
    eligibility_correct: int = 0
    eligibility_accuracy: float | None = None
    excerpts: int = 0
    grounded_excerpts: int = 0
    grounding_rate: float | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    model_calls: int = 0
    tool_calls: int = 0
    wall_s: float = 0.0
    by_kind: dict[str, KindResult] = Field(default_factory=dict)


class EpochSummary(BaseModel):
    """Repeated runs of the same cases: mean metrics and which cases always pass."""

    epochs: int
    mean: dict[str, float | None] = Field(default_factory=dict)
    passes: dict[str, int] = Field(default_factory=dict, description="Epochs passed")
    pass_k: dict[str, bool] = Field(default_factory=dict, description="Passed them all")
    pass_k_rate: float | None = None


class EvalSettings(BaseModel):
    triager: str = Field(description="offline, or the agent loop's model backend")
    model: str | None = None
    prompt_version: str | None = None
    epochs: int = 1
    date: datetime
    case_paths: list[str] = Field(default_factory=list)


class CaseResult(BaseModel):
    """One labeled call: what was expected, and each epoch's run and score."""

    case_id: str
    expected: Expected
    runs: list[CaseRun]
    scores: list[CaseScore]

    @property
    def passed(self) -> bool:
        """Passed in every epoch (pass^K)."""
        return all(score.passed for score in self.scores)


class EvalReport(BaseModel):
    settings: EvalSettings
    cases: list[CaseResult]
    metrics: Metrics = Field(description="Pooled over every case and epoch")
    epochs: EpochSummary
    by_case: dict[str, Metrics] = Field(default_factory=dict)

    @property
    def by_kind(self) -> dict[str, KindResult]:
        return self.metrics.by_kind
