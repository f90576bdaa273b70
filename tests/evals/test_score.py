"""Scoring runs against hand-made labeled calls; each test works out its numbers."""

from __future__ import annotations

import pytest

from evals.record import CaseRun
from evals.score import score_case, summarise, summarise_epochs
from tests.evals.builders import (
    CSV,
    DANA,
    DARK_MODE,
    DISCOUNT_ASK,
    HELEN,
    MONDAY,
    NOBODY,
    issue,
    make_case,
    quote,
    run,
)
from tools.grounding import normalise


def test_an_issue_quoting_a_finding_matches_it_and_the_other_finding_is_missed():
    score = score_case(make_case(), run(issue("i1", CSV, team="API")))

    assert [i.finding_id for i in score.issues] == ["f1"]
    assert score.issues[0].team_correct is True
    assert score.issues[0].grounded
    assert score.missed == ["f2"]
    # 1 TP, 0 FP, 1 FN: precision 1/1, recall 1/2, F1 2*1/(2*1+0+1) = 2/3.
    metrics = summarise([score])
    assert (
        metrics.true_positives,
        metrics.false_positives,
        metrics.false_negatives,
    ) == (
        1,
        0,
        1,
    )
    assert metrics.precision == 1.0
    assert metrics.recall == 0.5
    assert metrics.f1 == pytest.approx(2 / 3)


def test_a_second_issue_for_the_same_finding_is_a_duplicate_and_a_false_positive():
    # "short" overlaps f1 for 4 s (64-68 s), "long" for 8 s (60-68 s): the longer
    # overlap wins the finding, whichever was filed first.
    short = issue("short", MONDAY)
    long = issue("long", quote(f"{CSV.text} {MONDAY.text}", 60000, 68000))
    score = score_case(make_case(), run(short, long))

    by_id = {i.issue_id: i for i in score.issues}
    assert by_id["long"].finding_id == "f1"
    assert by_id["short"].duplicate_of == "f1"
    assert by_id["short"].filter_failure is None
    # 1 TP, 1 FP: precision 1/2; 1 duplicate.
    metrics = summarise([score])
    assert (metrics.precision, metrics.duplicates) == (0.5, 1)


def test_an_issue_on_non_actionable_talk_is_a_filter_failure_and_a_false_positive():
    score = score_case(make_case(), run(issue("i1", CSV), issue("i2", DISCOUNT_ASK)))

    assert score.issues[1].finding_id is None
    assert score.issues[1].filter_failure == "sales_question"
    # 1 TP (f1), 1 FP (the discount), 1 FN (f2).
    metrics = summarise([score])
    assert metrics.filter_failures == 1
    assert metrics.filter_failures_by_kind == {"sales_question": 1}
    assert (metrics.true_positives, metrics.false_positives) == (1, 1)
    assert metrics.precision == 0.5


def test_a_run_that_files_nothing_misses_every_finding():
    score = score_case(make_case(), run())

    assert score.missed == ["f1", "f2"]
    # 0 TP, 0 FP, 2 FN: no precision to measure, recall 0/2, F1 0/(0+0+2) = 0.
    metrics = summarise([score])
    assert metrics.precision is None
    assert metrics.recall == 0.0
    assert metrics.f1 == 0.0
    assert metrics.by_kind["bug"].recall == 0.0


def test_an_excerpt_ten_seconds_before_a_window_matches_through_the_collar():
    # f2's window starts at 200 s; this sentence ends at 190 s, inside the 15 s collar.
    late_night = quote("Our analysts work late at night.", 188000, 190000)

    score = score_case(make_case(), run(issue("i1", late_night, team="DASH")))

    assert score.issues[0].finding_id == "f2"


def test_an_excerpt_further_than_the_collar_matches_nothing_and_is_no_filter_failure():
    # Ends at 172 s, 28 s before f2 and far from the discount talk.
    far = quote("Lots of people use it.", 170000, 172000)

    score = score_case(make_case(), run(issue("i1", far)))

    assert score.issues[0].finding_id is None
    assert score.issues[0].duplicate_of is None
    assert score.issues[0].filter_failure is None
    assert score.false_positives == 1


def test_excerpts_with_the_wrong_speaker_time_or_words_are_not_grounded():
    excerpts = [
        quote("exports to csv, KEEP timing out", 60000, 64000),  # grounded
        quote("Exports to CSV keep timing out.", 60000, 64000, speaker=DANA),
        quote("Exports to CSV keep timing out.", 100000, 104000),
        quote("Exports to PDF keep timing out.", 60000, 64000),
    ]
    score = score_case(make_case(), run(issue("i1", *excerpts)))

    checks = score.issues[0].excerpts
    assert [check.grounded for check in checks] == [True, False, False, False]
    assert checks[1].reason == f"the words are said by {HELEN}, not {DANA}"
    assert (
        checks[2].reason == f"{HELEN} says the words at 01:00-01:04, not at 01:40-01:44"
    )
    assert checks[3].reason == "the words do not occur in the transcript"
    assert score.issues[0].grounding_reason == checks[1].reason
    # Grounding is a rate over excerpts: 1 of 4.
    assert summarise([score]).grounding_rate == 0.25


def test_an_excerpt_may_run_across_sentences_of_one_turn_but_not_across_speakers():
    across_sentences = quote("timing out. It happens", 60000, 68000)
    across_speakers = quote("every Monday morning. Sorry to hear", 64000, 72000)

    score = score_case(make_case(), run(issue("i1", across_sentences, across_speakers)))

    assert [check.grounded for check in score.issues[0].excerpts] == [True, False]


def test_a_speaker_no_party_owns_is_quoted_as_unknown_speaker():
    webhook = quote("I think the webhook retries are broken.", 400000, 403000, NOBODY)

    score = score_case(make_case(), run(issue("i1", webhook)))

    assert score.issues[0].grounded


def test_a_word_inside_a_longer_word_does_not_count_as_said():
    assert normalise("Don’t  STOP—now!") == "dont stop now"
    score = score_case(make_case(), run(issue("i1", quote("port", 60000, 64000))))

    assert not score.issues[0].grounded


def test_a_matched_issue_on_the_wrong_team_counts_against_routing_only():
    score = score_case(make_case(), run(issue("i1", CSV, team="DASH")))

    assert score.issues[0].finding_id == "f1"
    assert score.issues[0].team_correct is False
    metrics = summarise([score])
    assert (metrics.true_positives, metrics.routing_accuracy) == (1, 0.0)


LARKSPUR = {
    "create": {"name": "Larkspur Media Group", "domain": "larkspurmedia.example"}
}


@pytest.mark.parametrize(
    ("expected", "linked", "correct"),
    [
        ({"match": "cus_acme"}, {"id": "cus_acme", "name": "Acme"}, True),
        ({"match": "cus_acme"}, {"id": "cus_other", "name": "Acme"}, False),
        ({"match": "cus_acme"}, None, False),
        (LARKSPUR, {"id": "n1", "name": "larkspur media group", "created": True}, True),
        (
            LARKSPUR,
            {
                "id": "n1",
                "name": "Larkspur",
                "created": True,
                "domains": ["www.LarkspurMedia.example"],
            },
            True,
        ),
        # Linking an existing customer is not creating the new one, whatever its name.
        (LARKSPUR, {"id": "cus_lark", "name": "Larkspur Media Group"}, False),
        (LARKSPUR, {"id": "n1", "name": "Larkhill Dental", "created": True}, False),
        (None, None, True),
        (None, {"id": "n1", "name": "Participant P3", "created": True}, False),
    ],
)
def test_the_customer_is_right_when_it_is_the_expected_match_or_creation(
    expected, linked, correct
):
    case = make_case(customer=expected, findings=[])
    score = score_case(case, run(customer=linked))

    assert score.customer_correct is correct


def test_a_call_skipped_for_the_wrong_reason_fails_eligibility_and_has_no_customer():
    case = make_case(eligible=False, skip_reason="private", findings=[])

    wrong = score_case(
        case, run(eligible=False, skip_reason="too_short", customer=None)
    )
    right = score_case(case, run(eligible=False, skip_reason="private", customer=None))

    assert (wrong.eligibility_correct, wrong.customer_correct, wrong.passed) == (
        False,
        None,
        False,
    )
    assert (right.eligibility_correct, right.passed) == (True, True)
    # Eligibility accuracy over the two runs: 1 of 2; customer accuracy unmeasured.
    metrics = summarise([wrong, right])
    assert (metrics.eligibility_accuracy, metrics.customer_accuracy) == (0.5, None)


def test_triaging_a_call_that_should_be_skipped_fails_and_its_issues_are_noise():
    case = make_case(eligible=False, skip_reason="internal", findings=[])

    score = score_case(case, run(issue("i1", CSV)))

    assert not score.eligibility_correct
    assert score.false_positives == 1


def test_matching_finds_the_most_pairs_where_greedy_pairing_would_not():
    # g1 is 500-510 s, g2 530-540 s. "wide" overlaps g1 by 5 s and g2 by 2 s;
    # "narrow" overlaps only g1. Pairing "wide" with its best finding (g1) would
    # leave "narrow" unmatched; the maximum matching pairs wide-g2, narrow-g1.
    findings = [
        {
            "id": "g1",
            "kind": "bug",
            "team": "API",
            "evidence": [window(500000, 510000)],
        },
        {
            "id": "g2",
            "kind": "bug",
            "team": "API",
            "evidence": [window(530000, 540000)],
        },
    ]
    findings = [finding | {"summary": finding["id"]} for finding in findings]
    wide = issue("wide", quote("wide", 505000, 532000))
    narrow = issue("narrow", quote("narrow", 507000, 509000))

    score = score_case(make_case(findings=findings), run(wide, narrow))

    assert {i.issue_id: i.finding_id for i in score.issues} == {
        "wide": "g2",
        "narrow": "g1",
    }
    assert (score.true_positives, score.false_positives, score.missed) == (2, 0, [])


def test_a_run_that_stopped_with_an_error_does_not_pass():
    case = make_case(findings=[])

    assert score_case(case, run()).passed
    assert not score_case(case, run(error="model budget exhausted")).passed


def test_cost_is_summed_over_runs():
    case = make_case(findings=[])
    runs = [
        run(tokens_in=100, tokens_out=10, model_calls=2, tool_calls=3, wall_s=1.5),
        run(tokens_in=50, tokens_out=5, model_calls=1, tool_calls=1, wall_s=0.5),
    ]

    metrics = summarise([score_case(case, r) for r in runs])

    assert (metrics.tokens_in, metrics.tokens_out) == (150, 15)
    assert (metrics.model_calls, metrics.tool_calls, metrics.wall_s) == (3, 4, 2.0)


def test_rates_with_nothing_to_measure_are_none():
    metrics = summarise([])

    assert metrics.runs == 0
    for rate in ("precision", "recall", "f1", "routing_accuracy", "grounding_rate"):
        assert getattr(metrics, rate) is None


def test_recall_is_reported_per_finding_kind():
    # f1 is a bug, f2 a feature request; only f2 is found.
    score = score_case(make_case(), run(issue("i1", DARK_MODE, team="DASH")))

    by_kind = summarise([score]).by_kind
    assert (by_kind["bug"].findings, by_kind["bug"].found) == (1, 0)
    assert by_kind["feature_request"].recall == 1.0


def test_a_run_scored_against_another_case_is_refused():
    with pytest.raises(ValueError, match="other"):
        score_case(make_case(), CaseRun(case_id="other", eligible=True))


def window(start_ms: int, end_ms: int) -> dict[str, int]:
    return {"start_ms": start_ms, "end_ms": end_ms}


def test_pass_k_needs_a_case_to_pass_every_epoch():
    # "steady" passes both epochs. "flaky" passes the first and files a
    # duplicate in the second. Precision: epoch 1 is 4/4 = 1.0, epoch 2 is
    # 4/5 = 0.8, so the mean is 0.9. pass^2 holds for one of two cases.
    steady, flaky = make_case("steady"), make_case("flaky")
    both = [issue("i1", CSV), issue("i2", DARK_MODE, team="DASH")]
    first = [score_case(steady, run(*both, case_id="steady"))]
    first.append(score_case(flaky, run(*both, case_id="flaky")))
    second = [score_case(steady, run(*both, case_id="steady"))]
    extra = issue("i3", MONDAY)
    second.append(score_case(flaky, run(*both, extra, case_id="flaky")))

    summary = summarise_epochs([first, second])

    assert summary.epochs == 2
    assert summary.passes == {"steady": 2, "flaky": 1}
    assert summary.pass_k == {"steady": True, "flaky": False}
    assert summary.pass_k_rate == 0.5
    assert summary.mean["precision"] == pytest.approx(0.9)
    assert summary.mean["false_positives"] == 0.5


def test_epochs_that_scored_different_cases_are_refused():
    one = [score_case(make_case("a"), run(case_id="a"))]
    other = [score_case(make_case("b"), run(case_id="b"))]

    with pytest.raises(ValueError, match="same cases"):
        summarise_epochs([one, other])
