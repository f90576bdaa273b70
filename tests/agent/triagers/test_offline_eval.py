"""The offline triager's scores on labeled calls stay above their bars.

The bars sit a little below what the rules measure today, so a change that
makes them noisier or blinder fails here before it ships.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from agent.triagers.offline import OfflineTriager
from evals.dataset import load_cases
from evals.record import Metrics
from evals.run import run_cases
from evals.score import score_case, summarise

REPO_ROOT = Path(__file__).resolve().parents[3]


def score(paths: list[Path]) -> Metrics:
    cases = load_cases(paths)
    runs = asyncio.run(run_cases(cases, lambda _case: OfflineTriager()))
    by_id = {case.id: case for case in cases}
    return summarise([score_case(by_id[run.case_id], run) for run in runs])


def test_the_projects_own_labeled_calls_stay_above_the_bars() -> None:
    metrics = score([REPO_ROOT / "evals" / "cases"])

    assert metrics.precision >= 0.9
    assert metrics.recall >= 0.9
    assert metrics.routing_accuracy >= 0.85
    assert metrics.filter_failures == 0


def test_the_shared_labeled_calls_stay_above_the_bars(shared_dir: Path) -> None:
    cases = shared_dir / "evalset" / "cases"
    if not cases.is_dir():
        pytest.skip(f"no labeled calls at {cases}")

    metrics = score([cases])

    assert metrics.precision >= 0.88
    assert metrics.recall >= 0.48
    assert metrics.filter_failures == 0


def test_nothing_is_filed_from_calls_with_no_customer_feedback(
    shared_dir: Path,
) -> None:
    calls = shared_dir / "evalset" / "real-precision"
    if not calls.is_dir():
        pytest.skip(f"no feedback-free calls at {calls}")

    metrics = score([calls])

    assert metrics.false_positives == 0
