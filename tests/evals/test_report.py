"""Building, writing and rendering eval reports, and comparing two of them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from evals.dataset import load_cases
from evals.record import EvalReport, EvalSettings
from evals.report import (
    build_report,
    compare,
    headline,
    read_record,
    render_html,
    render_table,
    write_html,
    write_record,
)
from tests.evals.builders import (
    CSV,
    DARK_MODE,
    DISCOUNT_ASK,
    issue,
    make_case,
    quote,
    run,
)

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def settings(**fields) -> EvalSettings:
    return EvalSettings.model_validate({"triager": "offline", "date": WHEN} | fields)


def report_of(*epochs, **fields) -> EvalReport:
    """A report over cases "good" and "noisy"; each epoch maps case to issues."""
    cases = [make_case("good"), make_case("noisy")]
    runs = [
        [run(*issues, case_id=case_id) for case_id, issues in epoch.items()]
        for epoch in epochs
    ]
    return build_report(settings(epochs=len(epochs), **fields), cases, runs)


BOTH = [issue("i1", CSV), issue("i2", DARK_MODE, team="DASH")]
NOISE = [*BOTH, issue("i3", DISCOUNT_ASK)]


def test_a_report_totals_every_case_and_keeps_what_was_expected():
    report = report_of({"good": BOTH, "noisy": NOISE})

    # 4 TP, 1 FP (the discount), 0 FN: precision 4/5.
    assert report.metrics.precision == pytest.approx(0.8)
    assert report.by_case["noisy"].filter_failures == 1
    assert [result.passed for result in report.cases] == [True, False]
    assert report.cases[0].expected.findings[0].id == "f1"
    assert report.by_kind["bug"].found == 2


def test_the_headline_has_the_dashboard_keys_with_rates_as_fractions():
    numbers = headline(report_of({"good": BOTH, "noisy": NOISE}))

    assert list(numbers) == [
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
    ]
    assert (numbers["cases"], numbers["precision"], numbers["recall"]) == (2, 0.8, 1.0)
    assert numbers["filter_failures"] == 1


def test_a_run_missing_for_a_case_is_refused():
    with pytest.raises(ValueError, match="epoch 1 has 0 runs for case noisy"):
        report_of({"good": BOTH})


def test_the_record_is_written_as_json_and_reads_back_the_same(tmp_path):
    report = report_of({"good": BOTH, "noisy": NOISE}, model="claude-x")

    path = write_record(report, tmp_path / "out")

    assert path.name == "eval-20260301T093000-offline.json"
    assert read_record(path) == report


def test_the_terminal_table_has_the_headline_and_a_row_per_case():
    table = render_table(report_of({"good": BOTH, "noisy": NOISE}))

    assert "precision 80.0%" in table
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[5:]}
    # TP FP FN dup filt elig cust grnd pass
    assert rows["good"] == ["2", "0", "0", "0", "0", "1/1", "1/1", "2/2", "1/1"]
    assert rows["noisy"] == ["2", "1", "0", "0", "1", "1/1", "1/1", "3/3", "0/1"]


def test_the_html_report_shows_each_case_and_escapes_quoted_words(tmp_path):
    hostile = issue("i9", quote("<script>alert(1)</script>", 1000, 2000), team="API")
    report = report_of({"good": BOTH, "noisy": [*NOISE, hostile]})

    html = render_html(report)

    assert 'id="good"' in html and 'id="noisy"' in html
    assert "filter failure: sales_question (false positive)" in html
    assert "matches f1" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert write_html(report, tmp_path).read_text() == html


def test_compare_lists_metrics_that_moved_and_cases_that_flipped():
    before = report_of({"good": BOTH, "noisy": NOISE})
    after = report_of({"good": NOISE, "noisy": BOTH})

    text = compare(before, after)

    assert "good: pass -> fail" in text
    assert "noisy: fail -> pass" in text
    assert "precision" not in text  # 4 of 5 either way
    assert compare(before, before).count("none") == 2


def test_compare_reports_a_moved_metric():
    before = report_of({"good": BOTH, "noisy": NOISE})
    after = report_of({"good": BOTH, "noisy": BOTH})

    assert "precision: 0.800 -> 1.000" in compare(before, after)
    assert "noisy: fail -> pass" in compare(before, after)


def test_an_issue_on_an_earnings_call_question_is_a_filter_failure(shared_dir):
    (case,) = load_cases(
        [shared_dir / "evalset/real-precision/earnings21-4384744.json"]
    )
    window = case.expected.non_actionable[0].evidence[0]
    said = next(
        u for u in case.utterances if window.start_ms <= u.start_ms < window.end_ms
    )
    filed = issue("i1", quote(said.text, said.start_ms, said.end_ms, said.speaker))
    report = build_report(
        settings(), [case], [[run(filed, case_id=case.id, customer=None)]]
    )

    assert report.metrics.filter_failures == 1
    assert report.metrics.precision == 0.0
    assert report.metrics.grounding_rate == 1.0


def test_compare_names_cases_found_in_one_report_only():
    before = report_of({"good": BOTH, "noisy": NOISE})
    after = build_report(settings(), [make_case("new")], [[run(case_id="new")]])

    text = compare(before, after)

    assert (
        "Cases in one report only:\n  good: first\n  noisy: first\n  new: second"
        in text
    )
