"""Pairing issues with findings: the most pairs, then the most overlap."""

from __future__ import annotations

import itertools
import random

from evals.matching import best_pairs


def test_no_allowed_pairs_pair_nothing():
    assert best_pairs({}) == {}


def test_an_extra_pair_beats_any_amount_of_overlap():
    # Greedy on weight takes (0, 0) for 100 and strands issue 1; two pairs of
    # weight 1 + 1 are better than one of weight 100.
    weights = {(0, 0): 100, (0, 1): 1, (1, 0): 1}

    assert best_pairs(weights) == {0: 1, 1: 0}


def test_among_maximum_pairings_the_heaviest_wins():
    # Both pairings have two pairs: 5 + 5 beats 1 + 1.
    weights = {(0, 0): 1, (0, 1): 5, (1, 0): 5, (1, 1): 1}

    assert best_pairs(weights) == {0: 1, 1: 0}


def test_more_issues_than_findings_leave_the_lightest_issue_out():
    weights = {(0, 7): 3, (1, 7): 9, (2, 7): 4}

    assert best_pairs(weights) == {1: 7}


def test_it_agrees_with_trying_every_pairing_on_small_random_graphs():
    rng = random.Random(20260301)
    for _ in range(300):
        weights = {
            (left, right): rng.randint(0, 6)
            for left in range(rng.randint(1, 5))
            for right in range(rng.randint(1, 5))
            if rng.random() < 0.5
        }
        pairs = best_pairs(weights)

        assert len(set(pairs.values())) == len(pairs)
        assert all(pair in weights for pair in pairs.items())
        assert _value(weights, pairs) == _best_by_trying_all(weights)


def _value(weights, pairs) -> tuple[int, int]:
    return len(pairs), sum(weights[pair] for pair in pairs.items())


def _best_by_trying_all(weights) -> tuple[int, int]:
    best = (0, 0)
    edges = list(weights)
    for size in range(1, len(edges) + 1):
        for chosen in itertools.combinations(edges, size):
            lefts = {left for left, _ in chosen}
            rights = {right for _, right in chosen}
            if len(lefts) == len(rights) == size:
                best = max(best, _value(weights, dict(chosen)))
    return best
