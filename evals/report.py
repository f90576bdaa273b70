"""The eval report: built from runs, written as JSON, rendered as text and HTML."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined
from pydantic import ValidationError

from evals.dataset import Case, Finding
from evals.record import (
    CaseResult,
    CaseRun,
    CaseScore,
    EvalReport,
    EvalSettings,
    ExcerptCheck,
    FiledIssue,
    IssueScore,
    Metrics,
)
from evals.score import clock, score_case, summarise, summarise_epochs
from tools.trackers.base import ExcerptRecord

HEADLINE_KEYS = (
    "cases",
    "precision",
    "recall",
    "f1",
    "filter_failures",
    "routing_accuracy",
    "customer_accuracy",
    "eligibility_accuracy",
    "grounding_rate",
    "tokens_in",
    "tokens_out",
    "wall_s",
)
TABLE_RATES = HEADLINE_KEYS[1:4] + HEADLINE_KEYS[5:9]


def build_report(
    settings: EvalSettings, cases: Sequence[Case], epochs: Sequence[Sequence[CaseRun]]
) -> EvalReport:
    """Score every epoch's run of every case and total them."""
    if settings.epochs != len(epochs):
        raise ValueError(f"settings say {settings.epochs} epochs but {len(epochs)} ran")
    known = {case.id for case in cases}
    for epoch in epochs:
        strays = sorted({run.case_id for run in epoch} - known)
        if strays:
            raise ValueError(f"runs for unknown cases: {', '.join(strays)}")

    results = []
    for case in cases:
        runs = [_run_for(case.id, epoch, at) for at, epoch in enumerate(epochs, 1)]
        scores = [score_case(case, run) for run in runs]
        results.append(
            CaseResult(
                case_id=case.id, expected=case.expected, runs=runs, scores=scores
            )
        )
    return EvalReport(
        settings=settings,
        cases=results,
        metrics=summarise([score for result in results for score in result.scores]),
        epochs=summarise_epochs(
            [[r.scores[at] for r in results] for at in range(len(epochs))]
        ),
        by_case={result.case_id: summarise(result.scores) for result in results},
    )


def _run_for(case_id: str, epoch: Sequence[CaseRun], number: int) -> CaseRun:
    runs = [run for run in epoch if run.case_id == case_id]
    if len(runs) != 1:
        raise ValueError(
            f"epoch {number} has {len(runs)} runs for case {case_id}, not 1"
        )
    return runs[0]


def headline(report: EvalReport) -> dict[str, int | float | None]:
    """The numbers a dashboard shows; rates are fractions, None when unmeasured."""
    numbers = {name: getattr(report.metrics, name, None) for name in HEADLINE_KEYS}
    numbers["cases"] = len(report.cases)
    return numbers


def write_record(report: EvalReport, out_dir: Path) -> Path:
    """Write `report` as JSON into `out_dir`, named by its date and triager."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{_stem(report)}.json"
    path.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    return path


def read_record(path: Path) -> EvalReport:
    """An eval record written by `write_record`; `RecordError` names the file."""
    try:
        return EvalReport.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise RecordError(f"{path}: cannot read it ({exc.strerror})") from exc
    except ValidationError as exc:
        raise RecordError(f"{path} is not a calltriage eval record") from exc


class RecordError(ValueError):
    """An eval record that cannot be read; the message names the file."""


def write_html(report: EvalReport, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{_stem(report)}.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


def _stem(report: EvalReport) -> str:
    triager = re.sub(r"[^A-Za-z0-9._-]+", "-", report.settings.triager)
    return f"eval-{report.settings.date:%Y%m%dT%H%M%S}-{triager}"


# Terminal table.


def render_table(report: EvalReport) -> str:
    """Headline metrics, then one row per case, as plain text."""
    numbers = headline(report)
    settings = report.settings
    lines = [
        f"calltriage eval: {settings.triager}"
        + (f" ({settings.model})" if settings.model else "")
        + f", {len(report.cases)} cases x {settings.epochs} epoch(s)",
        "  ".join(f"{name} {_percent(numbers[name])}" for name in TABLE_RATES),
        f"filter_failures {numbers['filter_failures']}  "
        f"tokens {numbers['tokens_in']} in / {numbers['tokens_out']} out  "
        f"wall {report.metrics.wall_s:.1f} s",
        "",
    ]
    width = max([len("case"), *(len(result.case_id) for result in report.cases)])
    columns = ("TP", "FP", "FN", "dup", "filt", "elig", "cust", "grnd", "pass")
    lines.append(f"{'case':<{width}}  " + " ".join(f"{c:>6}" for c in columns))
    for result in report.cases:
        cells = _row(report.by_case[result.case_id], len(result.scores))
        lines.append(
            f"{result.case_id:<{width}}  " + " ".join(f"{c:>6}" for c in cells)
        )
    return "\n".join(lines) + "\n"


def _row(metrics: Metrics, epochs: int) -> list[str]:
    return [
        str(metrics.true_positives),
        str(metrics.false_positives),
        str(metrics.false_negatives),
        str(metrics.duplicates),
        str(metrics.filter_failures),
        f"{metrics.eligibility_correct}/{epochs}",
        f"{metrics.customers_correct}/{metrics.customers_checked}"
        if metrics.customers_checked
        else "-",
        f"{metrics.grounded_excerpts}/{metrics.excerpts}" if metrics.excerpts else "-",
        f"{metrics.passed}/{epochs}",
    ]


def _percent(rate: float | int | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


# Comparing two reports.


def compare(a: EvalReport, b: EvalReport) -> str:
    """What moved from report `a` to report `b`: metrics, then cases that flipped."""
    before, after = headline(a), headline(b)
    moved = [
        f"  {name}: {_value(before[name])} -> {_value(after[name])}"
        for name in before
        if before[name] != after[name]
    ]
    was = {result.case_id: result.passed for result in a.cases}
    now = {result.case_id: result.passed for result in b.cases}
    flipped = [
        f"  {case_id}: {_verdict(was[case_id])} -> {_verdict(now[case_id])}"
        for case_id in now
        if case_id in was and was[case_id] != now[case_id]
    ]
    lines = ["Metrics that moved:", *(moved or ["  none"])]
    lines += ["Cases that flipped:", *(flipped or ["  none"])]
    if was.keys() != now.keys():
        lines.append("Cases in one report only:")
        lines += [f"  {case_id}: first" for case_id in was if case_id not in now]
        lines += [f"  {case_id}: second" for case_id in now if case_id not in was]
    return "\n".join(lines) + "\n"


def _value(number: int | float | None) -> str:
    if number is None:
        return "-"
    if isinstance(number, float):
        return f"{number:.3f}"
    return str(number)


def _verdict(passed: bool) -> str:
    return "pass" if passed else "fail"


# HTML.

_TEMPLATES = Environment(
    loader=PackageLoader("evals", "templates"),
    undefined=StrictUndefined,
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_TEMPLATES.filters["percent"] = _percent
_TEMPLATES.filters["clock"] = clock


@dataclass(frozen=True)
class IssueView:
    issue: FiledIssue
    score: IssueScore
    verdict: str

    @property
    def excerpts(self) -> list[tuple[ExcerptRecord, ExcerptCheck]]:
        return list(zip(self.issue.excerpts, self.score.excerpts, strict=True))


@dataclass(frozen=True)
class EpochView:
    number: int
    run: CaseRun
    score: CaseScore
    issues: list[IssueView]
    matched_by: dict[str, str]


@dataclass(frozen=True)
class CaseView:
    result: CaseResult
    findings: list[Finding]
    epochs: list[EpochView]


def render_html(report: EvalReport) -> str:
    """One page: the headline, then each case's filed issues beside its findings."""
    return _TEMPLATES.get_template("report.html.j2").render(
        report=report,
        numbers=headline(report),
        rates=TABLE_RATES,
        cases=[_case_view(result) for result in report.cases],
    )


def _case_view(result: CaseResult) -> CaseView:
    epochs = [
        EpochView(
            number=number,
            run=run,
            score=score,
            issues=[
                IssueView(issue, issue_score, _issue_verdict(issue_score))
                for issue, issue_score in zip(run.issues, score.issues, strict=True)
            ],
            matched_by={i.finding_id: i.issue_id for i in score.issues if i.finding_id},
        )
        for number, (run, score) in enumerate(
            zip(result.runs, result.scores, strict=True), 1
        )
    ]
    return CaseView(result=result, findings=result.expected.findings, epochs=epochs)


def _issue_verdict(score: IssueScore) -> str:
    if score.finding_id is not None:
        return f"matches {score.finding_id}"
    if score.duplicate_of is not None:
        return f"duplicate of {score.duplicate_of} (false positive)"
    if score.filter_failure is not None:
        return f"filter failure: {score.filter_failure} (false positive)"
    return "false positive"
