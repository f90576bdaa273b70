"""One-to-one pairing of filed issues with expected findings."""

from __future__ import annotations

import math
from collections.abc import Mapping


def best_pairs(weights: Mapping[tuple[int, int], int]) -> dict[int, int]:
    """The most pairs possible, and among those the heaviest, as {left: right}.

    `weights` holds the allowed (left, right) pairs and a non-negative weight for
    each. Giving every allowed pair a bonus larger than all weights together makes
    one more pair always worth more than any weight gain, so a single maximum
    weight assignment settles both goals in order.
    """
    if not weights:
        return {}
    lefts = sorted({left for left, _ in weights})
    rights = sorted({right for _, right in weights})
    bonus = sum(weights.values()) + 1

    def gain(left: int, right: int) -> int:
        weight = weights.get((left, right))
        return 0 if weight is None else bonus + weight

    # The assignment solver needs no more rows than columns.
    if len(lefts) <= len(rights):
        gains = [[gain(left, right) for right in rights] for left in lefts]
        chosen = _assign(gains)
        pairs = {lefts[row]: rights[col] for row, col in enumerate(chosen)}
    else:
        gains = [[gain(left, right) for left in lefts] for right in rights]
        chosen = _assign(gains)
        pairs = {lefts[col]: rights[row] for row, col in enumerate(chosen)}
    return {left: right for left, right in pairs.items() if (left, right) in weights}


def _assign(gains: list[list[int]]) -> list[int]:
    """The column for each row maximising total gain (rows <= columns).

    The Hungarian method with row and column potentials: each row in turn is
    added by growing a shortest augmenting path over reduced costs.
    """
    rows, cols = len(gains), len(gains[0])
    top = max(max(row) for row in gains)
    cost = [[top - gain for gain in row] for row in gains]

    row_pot = [0] * (rows + 1)
    col_pot = [0] * (cols + 1)
    owner = [0] * (cols + 1)  # owner[c]: the 1-based row holding column c; 0 is free
    for row in range(1, rows + 1):
        _add_row(row, cost, row_pot, col_pot, owner)

    chosen = [0] * rows
    for col in range(1, cols + 1):
        if owner[col]:
            chosen[owner[col] - 1] = col - 1
    return chosen


def _add_row(
    row: int,
    cost: list[list[int]],
    row_pot: list[int],
    col_pot: list[int],
    owner: list[int],
) -> None:
    """Give `row` a column, shifting earlier rows along the cheapest augmenting path."""
    cols = len(col_pot) - 1
    owner[0] = row
    slack = [math.inf] * (cols + 1)
    came_from = [0] * (cols + 1)
    visited = [False] * (cols + 1)
    col = 0

    # Grow the tree of tight edges until it reaches a free column.
    while owner[col]:
        visited[col] = True
        current = owner[col]
        step, next_col = math.inf, 0
        for candidate in range(1, cols + 1):
            if visited[candidate]:
                continue
            reduced = (
                cost[current - 1][candidate - 1] - row_pot[current] - col_pot[candidate]
            )
            if reduced < slack[candidate]:
                slack[candidate], came_from[candidate] = reduced, col
            if slack[candidate] < step:
                step, next_col = slack[candidate], candidate
        for candidate in range(cols + 1):
            if visited[candidate]:
                row_pot[owner[candidate]] += step
                col_pot[candidate] -= step
            else:
                slack[candidate] -= step
        col = next_col

    # Flip the path back to the root.
    while col:
        previous = came_from[col]
        owner[col] = owner[previous]
        col = previous
