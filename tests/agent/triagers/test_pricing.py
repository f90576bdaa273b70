"""Cost estimates by model family, and the token totals they are built from."""

from __future__ import annotations

import pytest

from agent.triagers.pricing import TokenUsage, estimate_cost, rates_for


@pytest.mark.parametrize(
    ("model", "per_million_in", "per_million_out"),
    [
        ("claude-sonnet-4-5", 3.0, 15.0),
        ("claude-sonnet-4-5-20250929", 3.0, 15.0),
        ("claude-opus-4-1-20250805", 15.0, 75.0),
        ("claude-opus-4-20250514", 15.0, 75.0),
        ("claude-opus-4-5", 5.0, 25.0),
        ("claude-haiku-4-5", 1.0, 5.0),
        ("claude-3-5-haiku-20241022", 0.8, 4.0),
        ("claude-3-haiku-20240307", 0.25, 1.25),
        ("anthropic.claude-sonnet-4-5-20250929-v1:0", 3.0, 15.0),
    ],
)
def test_a_model_id_finds_its_family_rates(model, per_million_in, per_million_out):
    rates = rates_for(model)

    assert (rates.input, rates.output) == (per_million_in, per_million_out)


def test_cache_writes_cost_more_and_cache_reads_less_than_plain_input():
    usage = TokenUsage()
    usage.add(1_000_000, 100_000, cache_write=1_000_000, cache_read=1_000_000)

    # 3.00 fresh + 3.75 written + 0.30 read + 1.50 output, on a Sonnet.
    assert estimate_cost("claude-sonnet-4-5", usage) == 8.55
    assert (usage.total_input, usage.total) == (3_000_000, 3_100_000)


def test_an_unknown_model_costs_nothing_rather_than_a_guess():
    usage = TokenUsage(input=1000, output=1000)

    assert estimate_cost("scripted", usage) == 0.0


def test_missing_cache_counts_add_nothing():
    usage = TokenUsage()
    usage.add(10, 5, None, None)

    assert (usage.cache_write, usage.cache_read, usage.total) == (0, 0, 15)
